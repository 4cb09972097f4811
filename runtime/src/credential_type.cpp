#include <weft/runtime/credential_type.hpp>

#include <algorithm>
#include <set>

namespace weft {

namespace {

// RFC 9110 tchar: what a header name (a token) is made of.
bool is_token_char(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Control characters other than HTAB would split or corrupt the header they are sent in.
bool has_control_char(std::string_view v) {
  return std::any_of(v.begin(), v.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t') || c == 0x7f;
  });
}

const char* check_header_name(std::string_view v) {
  if (v.empty()) return "must be a valid HTTP header name (not empty)";
  if (!std::all_of(v.begin(), v.end(), [](char ch) { return is_token_char(static_cast<unsigned char>(ch)); }))
    return "must be a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)";
  return nullptr;
}

const char* check_header_value(std::string_view v) {
  return has_control_char(v) ? "must not contain control characters (CR, LF, NUL, ...)" : nullptr;
}

const char* check_no_colon(std::string_view v) {
  if (v.find(':') != std::string_view::npos) return "must not contain ':'";
  return has_control_char(v) ? "must not contain control characters" : nullptr;
}

const char* check_no_control(std::string_view v) {
  return has_control_char(v) ? "must not contain control characters" : nullptr;
}

bool valid_name(std::string_view name, bool allow_upper) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
              (allow_upper && c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

std::string string_member(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const char* credential_field_kind_name(CredentialFieldKind kind) {
  switch (kind) {
    case CredentialFieldKind::kString: return "string";
    case CredentialFieldKind::kBoolean: return "boolean";
    case CredentialFieldKind::kInteger: return "integer";
  }
  return "unknown";
}

CredentialFormatCheck credential_format_check(std::string_view format) {
  if (format == "httpHeaderName") return &check_header_name;
  if (format == "httpHeaderValue") return &check_header_value;
  if (format == "noColon") return &check_no_colon;
  if (format == "noControl") return &check_no_control;
  return nullptr;
}

std::string parse_credential_type(std::string_view description_json, CredentialTypeSpec& out) {
  Json d = Json::parse(description_json, nullptr, false);
  if (d.is_discarded() || !d.is_object()) return "its declaration is not a JSON object";
  for (const char* key : {"name", "displayName", "description"}) {
    auto it = d.find(key);
    if (it != d.end() && !it->is_string()) return std::string("declaration field '") + key + "' must be a string";
  }
  out.name = string_member(d, "name");
  // Credential type names are camelCase by convention ("weft.httpHeaderAuth").
  if (!valid_name(out.name, true))
    return "declaration field 'name' must be 1 to 128 letters, digits, '.', '_' or '-'";
  out.display_name = string_member(d, "displayName");
  if (out.display_name.empty()) out.display_name = out.name;
  out.description = string_member(d, "description");
  auto fields = d.find("fields");
  if (fields == d.end() || !fields->is_array() || fields->empty())
    return "declaration field 'fields' must be a non-empty array";
  std::set<std::string> seen;
  for (size_t i = 0; i < fields->size(); ++i) {
    const Json& f = (*fields)[i];
    const std::string where = "fields[" + std::to_string(i) + "]";
    if (!f.is_object()) return where + " must be an object";
    CredentialFieldSpec spec;
    spec.name = string_member(f, "name");
    if (!valid_name(spec.name, true)) return where + ".name must be 1 to 128 letters, digits, '.', '_' or '-'";
    if (!seen.insert(spec.name).second) return where + ": field '" + spec.name + "' is declared twice";
    const std::string type = f.contains("type") ? string_member(f, "type") : "string";
    if (type == "string") spec.kind = CredentialFieldKind::kString;
    else if (type == "boolean") spec.kind = CredentialFieldKind::kBoolean;
    else if (type == "integer") spec.kind = CredentialFieldKind::kInteger;
    else return where + ".type must be string, boolean or integer";
    for (const char* flag : {"required", "secret"}) {
      auto it = f.find(flag);
      if (it != f.end() && !it->is_boolean()) return where + "." + flag + " must be true or false";
    }
    spec.required = f.value("required", false);
    spec.secret = f.value("secret", false);
    if (f.contains("description") && !f["description"].is_string()) return where + ".description must be a string";
    spec.description = string_member(f, "description");
    if (f.contains("format")) {
      if (!f["format"].is_string()) return where + ".format must be a string";
      spec.format = f["format"].get<std::string>();
      spec.check = credential_format_check(spec.format);
      if (!spec.check)
        return where + ".format '" + spec.format +
               "' is not a known rule (httpHeaderName, httpHeaderValue, noColon, noControl)";
      if (spec.kind != CredentialFieldKind::kString) return where + ".format applies to string fields only";
    }
    out.fields.push_back(std::move(spec));
  }
  return {};
}

}  // namespace weft
