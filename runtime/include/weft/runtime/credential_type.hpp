// A credential type as a plugin declared it (ABI 1.2, registrar->register_credential_type):
// its fields, which are required and which are secret, and the host-checked format rule of
// each. The host parses and checks a declaration once, at load; the server validates stored
// credential data against it (server/src/credentials/credential_types.hpp).
#pragma once

#include <weft/runtime/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

struct PluginInfo;

enum class CredentialFieldKind { kString, kBoolean, kInteger };

// A format rule on a string value. Returns nullptr when `value` is acceptable, else why not;
// the reason never quotes the value (it may be a secret): "must be a valid HTTP header name".
using CredentialFormatCheck = const char* (*)(std::string_view value);

struct CredentialFieldSpec {
  std::string name;
  CredentialFieldKind kind = CredentialFieldKind::kString;
  bool required = false;
  bool secret = false;  // encrypted at rest; never returned by the API, logged or quoted
  std::string description;
  std::string format;                      // the rule's name, empty when any value goes
  CredentialFormatCheck check = nullptr;   // the rule, resolved from `format`
};

struct CredentialTypeSpec {
  std::string name;          // "weft.httpHeaderAuth"
  std::string display_name;  // "HTTP header auth"
  std::string description;
  std::vector<CredentialFieldSpec> fields;
  std::shared_ptr<const PluginInfo> plugin;  // who declared it

  // The field called `name`, or nullptr.
  const CredentialFieldSpec* field(std::string_view field_name) const {
    for (const auto& f : fields)
      if (f.name == field_name) return &f;
    return nullptr;
  }
};

// "string", "boolean", "integer".
const char* credential_field_kind_name(CredentialFieldKind kind);

// The check named `format` ("httpHeaderName", "httpHeaderValue", "noColon", "noControl"), or
// nullptr when there is no such rule.
CredentialFormatCheck credential_format_check(std::string_view format);

// Parses a declaration into `out`; returns an empty string, or what is wrong with it (one line,
// naming the field of the declaration at fault).
std::string parse_credential_type(std::string_view description_json, CredentialTypeSpec& out);

}  // namespace weft
