#include "webhooks/webhook_auth.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>

#include <sstream>

namespace weft::server {

namespace {

using Kind = WebhookAuthOutcome::Kind;

// Equal strings, in a time that depends on their lengths only.
bool same_secret(const std::string& given, const std::string& expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  const size_t n = expected.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
  }
  return diff == 0;
}

std::string string_field(const Json& data, const char* name) {
  if (!data.is_object()) return {};
  auto it = data.find(name);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "user:password" of an "Authorization: Basic ..." header; nullopt when there is none or it
// is malformed.
std::optional<std::pair<std::string, std::string>> basic_credentials(const http::HeaderList& headers) {
  auto header = headers.get("Authorization");
  if (!header || header->size() < 6 || !http::equals_ignore_case(header->substr(0, 6), "Basic ")) return std::nullopt;
  std::string decoded;
  try {
    std::istringstream in(header->substr(6));
    Poco::Base64Decoder decoder(in);
    decoded.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded.substr(0, colon), decoded.substr(colon + 1));
}

}  // namespace

WebhookAuthOutcome check_webhook_auth(const WebhookTarget& target, const http::HeaderList& headers,
                                      const credentials::SealedCredentials& credentials) {
  WebhookAuthOutcome out;
  if (target.auth == WebhookTarget::Auth::kNone) return out;
  auto credential = credentials.get(target.credential_id);
  if (!credential) {
    const Code code = credential.status().code();
    out.kind = code == Code::kNotFound || code == Code::kInternal ? Kind::kMisconfigured : Kind::kUnavailable;
    out.reason = "credential " + target.credential_id + " of webhook node " + target.node_id + " of workflow " +
                 target.workflow_id + ": " + credential.status().message();
    return out;
  }
  const char* wanted = target.credential_type();
  if (credential->type != wanted) {
    out.kind = Kind::kMisconfigured;
    out.reason = "credential " + target.credential_id + " of webhook node " + target.node_id + " of workflow " +
                 target.workflow_id + " is a " + credential->type + ", not a " + wanted;
    return out;
  }
  if (target.auth == WebhookTarget::Auth::kHeader) {
    const std::string name = string_field(credential->data, "name");
    const std::string value = string_field(credential->data, "value");
    if (name.empty() || value.empty()) {
      out.kind = Kind::kMisconfigured;
      out.reason = "credential " + target.credential_id + " has no header name or no value";
      return out;
    }
    out.secret_header = name;
    auto given = headers.get(name);
    if (!given || !same_secret(*given, value)) {
      out.kind = Kind::kRejected;
      out.reason = given ? "the " + name + " header does not match" : "the " + name + " header is missing";
    }
    return out;
  }
  const std::string user = string_field(credential->data, "user");
  const std::string password = string_field(credential->data, "password");
  if (user.empty() || password.empty()) {
    out.kind = Kind::kMisconfigured;
    out.reason = "credential " + target.credential_id + " has no user or no password";
    return out;
  }
  auto given = basic_credentials(headers);
  // Both compared, whatever the first gives, so the time tells nothing of which was wrong.
  const bool user_ok = given && same_secret(given->first, user);
  const bool password_ok = given && same_secret(given->second, password);
  if (!user_ok || !password_ok) {
    out.kind = Kind::kRejected;
    out.reason = given ? "the user or the password does not match" : "HTTP basic authentication is required";
  }
  return out;
}

}  // namespace weft::server
