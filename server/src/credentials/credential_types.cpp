#include "credentials/credential_types.hpp"

#include <algorithm>
#include <array>

namespace weft::credentials {

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

const char* check_basic_user(std::string_view v) {
  if (v.find(':') != std::string_view::npos) return "must not contain ':'";
  return has_control_char(v) ? "must not contain control characters" : nullptr;
}

const char* check_basic_password(std::string_view v) {
  return has_control_char(v) ? "must not contain control characters" : nullptr;
}

constexpr std::array<CredentialField, 2> kHttpHeaderAuthFields = {{
    {.name = "name", .kind = FieldKind::kString, .required = true, .secret = false,
     .description = "the header to send, e.g. X-API-Key", .check = check_header_name},
    {.name = "value", .kind = FieldKind::kString, .required = true, .secret = true,
     .description = "the header's value", .check = check_header_value},
}};

constexpr std::array<CredentialField, 2> kBasicAuthFields = {{
    {.name = "user", .kind = FieldKind::kString, .required = true, .secret = false,
     .description = "the user name (no ':')", .check = check_basic_user},
    {.name = "password", .kind = FieldKind::kString, .required = true, .secret = true,
     .description = "the password", .check = check_basic_password},
}};

// Sorted by name.
constexpr std::array<CredentialType, 2> kTypes = {{
    {.name = "weft.basicAuth", .display_name = "HTTP basic auth", .fields = kBasicAuthFields},
    {.name = "weft.httpHeaderAuth", .display_name = "HTTP header auth", .fields = kHttpHeaderAuthFields},
}};

// A field name as an error quotes it: a name sent by a caller may be long, so it is cut.
std::string quote_text(std::string_view name) {
  constexpr size_t kMax = 64;
  if (name.size() <= kMax) return "'" + std::string(name) + "'";
  return "'" + std::string(name.substr(0, kMax)) + "...'";
}

bool has_kind(const Json& v, FieldKind kind) {
  switch (kind) {
    case FieldKind::kString: return v.is_string();
    case FieldKind::kBoolean: return v.is_boolean();
    case FieldKind::kInteger: return v.is_number_integer();
  }
  return false;
}

}  // namespace

const char* field_kind_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString: return "string";
    case FieldKind::kBoolean: return "boolean";
    case FieldKind::kInteger: return "integer";
  }
  return "unknown";
}

const CredentialField* CredentialType::field(std::string_view field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

std::span<const CredentialType> credential_types() { return kTypes; }

const CredentialType* find_credential_type(std::string_view name) {
  for (const auto& t : kTypes)
    if (t.name == name) return &t;
  return nullptr;
}

std::string known_credential_type_names() {
  std::string out;
  for (const auto& t : kTypes) {
    if (!out.empty()) out += ", ";
    out += t.name;
  }
  return out;
}

Status validate_credential_data(const CredentialType& type, const Json& data) {
  const std::string prefix = std::string(type.name) + ": ";
  if (!data.is_object()) return Status::invalid(prefix + "data must be a JSON object");
  for (const auto& [key, value] : data.items()) {
    (void)value;
    if (!type.field(key)) {
      std::string known;
      for (const auto& f : type.fields) known += (known.empty() ? "" : ", ") + std::string(f.name);
      return Status::invalid(prefix + "unknown field " + quote_text(key) + " (the fields are " + known + ")");
    }
  }
  for (const auto& f : type.fields) {
    const std::string field = "field '" + std::string(f.name) + "'";
    auto it = data.find(std::string(f.name));
    if (it == data.end() || it->is_null()) {
      if (f.required) return Status::invalid(prefix + field + " is required");
      continue;
    }
    if (!has_kind(*it, f.kind))
      return Status::invalid(prefix + field + " must be a " + field_kind_name(f.kind));
    if (f.check && it->is_string())
      if (const char* why = f.check(it->get_ref<const std::string&>()))
        return Status::invalid(prefix + field + " " + why);
  }
  return Status::ok();
}

PublicView public_view(const CredentialType* type, const Json& data) {
  PublicView view;
  if (!data.is_object()) return view;
  for (const auto& [key, value] : data.items()) {
    if (value.is_null()) continue;
    const CredentialField* f = type ? type->field(key) : nullptr;
    if (f && !f->secret)
      view.data[key] = value;
    else
      view.secrets_set.push_back(key);  // unknown fields of a known type are hidden too
  }
  std::sort(view.secrets_set.begin(), view.secrets_set.end());
  return view;
}

Json merge_credential_data(const Json& stored, const Json& change) {
  Json merged = stored.is_object() ? stored : Json::object();
  for (const auto& [key, value] : change.items()) {
    if (value.is_null())
      merged.erase(key);
    else
      merged[key] = value;
  }
  return merged;
}

}  // namespace weft::credentials
