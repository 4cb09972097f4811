// The last line of defence against a secret in a log line: weft code builds every message and
// field and must never pass a secret, but should one slip into `fields`, the value of any key
// whose name says it holds a secret is replaced before the line is written.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace weft::logging {

// What a scrubbed value is replaced with.
inline constexpr const char* kRedacted = "[redacted]";

// True when a field named `name` may hold a secret: ignoring case, '-', '_' and '.', the name
// contains password, passwd, secret, token, apikey, authorization, cookie, privatekey,
// masterkey, credentialdata or credentials, or is exactly "key" or "credential". Decided on
// names only: values are never inspected (a secret is not recognisable by its shape).
bool is_secret_field(std::string_view name);

// `fields` with every value under a secret-bearing key (at any depth, inside objects and
// arrays) replaced by kRedacted. Other values are kept as they are.
nlohmann::json scrub_fields(const nlohmann::json& fields);

}  // namespace weft::logging
