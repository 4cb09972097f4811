// The credential types the server knows: those the loaded plugins declared (ABI 1.2,
// register_credential_type; weft.httpHeaderAuth and weft.basicAuth come from the
// weft.http_request plugin). For each: its fields, which are required and which are secret. A
// credential's `data` is checked against its type before it is stored, and answered through
// public_view() only, which drops every secret field. The checks are the host's
// (weft/runtime/credential_type.hpp): no plugin code runs on credential data when it is saved.
//
// The registry in use is installed once at start (install_credential_types, from the plugin
// host) and read by the free functions below. Before any install it is empty, so every field of
// every credential counts as secret.
#pragma once

#include <weft/runtime/credential_type.hpp>
#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft {
class PluginHost;
}

namespace weft::credentials {

// The JSON type a field's value must have.
using FieldKind = CredentialFieldKind;
// A declared field: name, kind, required, secret, description, format and its check.
using CredentialField = CredentialFieldSpec;
// A declared type: name, display_name, description, fields, field(name), plugin.
using CredentialType = CredentialTypeSpec;

// "string", "boolean", "integer": how an error names a FieldKind.
const char* field_kind_name(FieldKind kind);

// A set of credential types, sorted by name. Immutable once built.
class CredentialTypeRegistry {
 public:
  // Every type the host's plugins declared.
  static std::shared_ptr<const CredentialTypeRegistry> from_plugins(const PluginHost& host);
  // The types `specs` (for tests and tools); a duplicate name keeps the first.
  static std::shared_ptr<const CredentialTypeRegistry> of(std::vector<CredentialType> specs);

  // The type called `name` (exact, case-sensitive), or nullptr. Valid while this registry lives.
  const CredentialType* find(std::string_view name) const;
  std::span<const CredentialType> types() const { return types_; }
  // "weft.basicAuth, weft.httpHeaderAuth"
  std::string names() const;

 private:
  std::vector<CredentialType> types_;
};

// Makes `registry` the one the functions below read. Every registry ever installed is kept
// alive for the process, so pointers handed out earlier stay valid. Thread-safe.
void install_credential_types(std::shared_ptr<const CredentialTypeRegistry> registry);
// Installs CredentialTypeRegistry::from_plugins(host).
void install_credential_types(const PluginHost& host);

// Every known type, sorted by name. Valid for the whole process.
std::span<const CredentialType> credential_types();

// The type called `name` (exact, case-sensitive), or nullptr when there is none.
const CredentialType* find_credential_type(std::string_view name);

// The names of every known type, comma-separated, for errors: "weft.basicAuth, weft.httpHeaderAuth".
std::string known_credential_type_names();

// OK when `data` is a complete, valid credential of `type`: a JSON object with every required
// field, no field the type does not declare, each value of its field's kind and passing its
// format check. Otherwise kInvalid naming the type and the first field at fault, never quoting
// a value: "weft.basicAuth: field 'user' must not contain ':'".
Status validate_credential_data(const CredentialType& type, const Json& data);

// The public description of a type, for GET /api/v1/credential-types: name, displayName,
// description, plugin and fields (name, type, required, secret, description, format). Never a
// value.
Json credential_type_json(const CredentialType& type);

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
