#include "logging/secret_scrubber.hpp"

#include <array>
#include <cctype>
#include <string>

namespace weft::logging {

namespace {

std::string normalized(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

bool is_secret_field(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kContains = {
      "password", "passwd", "secret", "token", "apikey", "authorization",
      "cookie", "privatekey", "masterkey", "credentialdata", "credentials"};
  const std::string n = normalized(name);
  if (n == "key" || n == "credential") return true;
  for (std::string_view word : kContains)
    if (n.find(word) != std::string::npos) return true;
  return false;
}

nlohmann::json scrub_fields(const nlohmann::json& fields) {
  if (fields.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, value] : fields.items())
      out[name] = is_secret_field(name) ? nlohmann::json(kRedacted) : scrub_fields(value);
    return out;
  }
  if (fields.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& value : fields) out.push_back(scrub_fields(value));
    return out;
  }
  return fields;
}

}  // namespace weft::logging
