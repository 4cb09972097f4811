// The credential types the server knows: for each, its fields, which are required and which are
// secret. A credential's `data` is checked against its type before it is stored, and answered
// through public_view() only, which drops every secret field. The table is a plain array so a
// later issue can move the declarations into plugins (the SDK's node descriptions).
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft::credentials {

// The JSON type a field's value must have.
enum class FieldKind { kString, kBoolean, kInteger };

// "string", "boolean", "integer": how an error names a FieldKind.
const char* field_kind_name(FieldKind kind);

struct CredentialField {
  std::string_view name;
  FieldKind kind = FieldKind::kString;
  bool required = false;
  // Never returned by the API, never written to an error or a log.
  bool secret = false;
  std::string_view description;
  // A rule on a string value beyond its kind; nullptr when any string goes. Returns nullptr
  // when `value` is acceptable, else why not. The reason must not quote the value (it may be a
  // secret): "must be a valid HTTP header name".
  const char* (*check)(std::string_view value) = nullptr;
};

struct CredentialType {
  std::string_view name;          // "weft.httpHeaderAuth"
  std::string_view display_name;  // "HTTP header auth"
  std::span<const CredentialField> fields;

  // The field called `name`, or nullptr.
  const CredentialField* field(std::string_view name) const;
};

// Every known type, sorted by name. The spans and pointers stay valid for the whole process.
std::span<const CredentialType> credential_types();

// The type called `name` (exact, case-sensitive), or nullptr when there is none.
const CredentialType* find_credential_type(std::string_view name);

// The names of every known type, comma-separated, for errors: "weft.basicAuth, weft.httpHeaderAuth".
std::string known_credential_type_names();

// OK when `data` is a complete, valid credential of `type`: a JSON object with every required
// field, no field the type does not declare, each value of its field's kind and passing its
// check. Otherwise kInvalid naming the type and the first field at fault, never quoting a value:
// "weft.basicAuth: field 'user' must not contain ':'".
Status validate_credential_data(const CredentialType& type, const Json& data);

// What may be shown of a credential's data.
struct PublicView {
  Json data = Json::object();             // the fields that are not secret
  std::vector<std::string> secrets_set;  // names of the secret fields that hold a value, by name
};

// The public view of stored `data` of `type`. With `type` null (a type no longer known), every
// field counts as secret: nothing of data is shown, its field names are listed in secrets_set.
// Data that is not an object gives an empty view.
PublicView public_view(const CredentialType* type, const Json& data);

// `stored` data with `change` merged into it field by field: a field in `change` replaces the
// stored one, a null removes it, an absent one is kept (so a secret need not be sent again to
// change another field). Precondition: `change` is an object; a non-object `stored` counts as
// empty. The result is not validated: call validate_credential_data on it.
Json merge_credential_data(const Json& stored, const Json& change);

}  // namespace weft::credentials
