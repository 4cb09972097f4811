#include "credentials/sealed_credentials.hpp"

#include <weft/runtime/repositories/random_id.hpp>

#include "credentials/credential_types.hpp"

namespace weft::credentials {

namespace {

constexpr const char* kSealVersion = "$sealVersion";

// Whether field `name` of a credential of `type` is kept sealed. For a type no longer known
// every field is, as public_view() hides them all.
bool is_secret(const CredentialType* type, const std::string& name) {
  const CredentialField* f = type ? type->field(name) : nullptr;
  return !f || f->secret;
}

int64_t seal_version_of(const Json& data) {
  if (!data.is_object()) return 0;
  auto it = data.find(kSealVersion);
  return it != data.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// Whether stored `data` holds a secret field that is not sealed (a row from before the vault).
bool has_plaintext_secret(const std::string& type_name, const Json& data) {
  if (!data.is_object()) return false;
  const CredentialType* type = find_credential_type(type_name);
  for (const auto& [name, value] : data.items())
    if (name != kSealVersion && !value.is_null() && is_secret(type, name) && !Vault::is_sealed(value)) return true;
  return false;
}

}  // namespace

Result<Json> SealedCredentials::sealed_data(const std::string& id, const std::string& type_name, const Json& data,
                                            int64_t seal_version) const {
  const CredentialType* type = find_credential_type(type_name);
  Json out = Json::object();
  if (!data.is_object()) return out;
  for (const auto& [name, value] : data.items()) {
    if (name == kSealVersion) continue;
    if (value.is_null() || !is_secret(type, name)) {
      out[name] = value;
      continue;
    }
    auto sealed = vault_.seal(id, name, seal_version, value);
    if (!sealed) return sealed.status();
    out[name] = std::move(*sealed);
  }
  out[kSealVersion] = seal_version;
  return out;
}

Result<Json> SealedCredentials::opened_data(const std::string& id, const Json& data) const {
  if (!data.is_object()) return data;
  const int64_t version = seal_version_of(data);
  Json out = Json::object();
  for (const auto& [name, value] : data.items()) {
    if (name == kSealVersion) continue;
    if (!Vault::is_sealed(value)) {
      out[name] = value;  // not secret, or a legacy plaintext secret
      continue;
    }
    auto opened = vault_.open(id, name, version, value);
    if (!opened) return opened.status();
    out[name] = std::move(*opened);
  }
  return out;
}

Result<CredentialRecord> SealedCredentials::create(const NewCredential& n) const {
  const CredentialType* type = find_credential_type(n.type);
  NewCredential public_part = n;
  public_part.data = Json::object();
  bool any_secret = false;
  if (n.data.is_object()) {
    for (const auto& [name, value] : n.data.items()) {
      if (name == kSealVersion) continue;
      if (is_secret(type, name) && !value.is_null()) any_secret = true;
      else public_part.data[name] = value;
    }
  }
  if (!any_secret) {
    auto stored = CredentialRepository::create(public_part);
    if (stored) stored->data.erase(kSealVersion);
    return stored;
  }
  // The id is chosen first: the sealed fields are bound to it, and the row is written once.
  NewCredential sealed_part = n;
  sealed_part.id = n.id.empty() ? random_id() : n.id;
  auto sealed = sealed_data(sealed_part.id, n.type, n.data, 1);
  if (!sealed) return sealed.status();
  sealed_part.data = std::move(*sealed);
  auto stored = CredentialRepository::create(sealed_part);
  if (!stored) return stored.status();
  auto opened = opened_data(stored->id, stored->data);
  if (!opened) return opened.status();
  stored->data = std::move(*opened);
  return stored;
}

Result<CredentialRecord> SealedCredentials::get(std::string_view id) const {
  auto c = CredentialRepository::get(id);
  if (!c) return c;
  auto opened = opened_data(c->id, c->data);
  if (!opened) return opened.status();
  c->data = std::move(*opened);
  return c;
}

Result<CredentialRecord> SealedCredentials::update(std::string_view id, const CredentialChange& change,
                                                   int64_t expected_revision) const {
  CredentialChange sealed_change = change;
  if (change.data) {
    // The counter read here is current: were the row changed since, the update below would fail
    // on its revision.
    auto current = CredentialRepository::get(id);
    if (!current) return current.status();
    auto sealed = sealed_data(current->id, current->type, *change.data, seal_version_of(current->data) + 1);
    if (!sealed) return sealed.status();
    sealed_change.data = std::move(*sealed);
  }
  auto updated = CredentialRepository::update(id, sealed_change, expected_revision);
  if (!updated) return updated;
  auto opened = opened_data(updated->id, updated->data);
  if (!opened) return opened.status();
  updated->data = std::move(*opened);
  return updated;
}

Result<size_t> SealedCredentials::seal_plaintext_rows() const {
  size_t sealed = 0;
  CredentialFilter filter;
  filter.page.limit = 500;
  while (true) {
    auto page = list(filter);
    if (!page) return page.status();
    for (const auto& summary : page->items) {
      auto raw = CredentialRepository::get(summary.id);
      if (!raw) {
        if (raw.status().code() == Code::kNotFound) continue;
        return raw.status();
      }
      if (!has_plaintext_secret(raw->type, raw->data)) continue;
      auto plain = opened_data(raw->id, raw->data);
      if (!plain) return plain.status();
      auto updated = update(raw->id, {.data = *plain}, raw->revision);
      if (updated) ++sealed;
      else if (updated.status().code() != Code::kConflict && updated.status().code() != Code::kNotFound)
        return updated.status();
    }
    if (page->next_cursor.empty()) break;
    filter.page.cursor = page->next_cursor;
  }
  return sealed;
}

}  // namespace weft::credentials
