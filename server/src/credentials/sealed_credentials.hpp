// CredentialRepository with its secret fields sealed by the vault: through this class, create()
// and update() store every secret field of the credential's type (every field, for a type no
// longer known) sealed, and get() and update() answer with them opened. The stored data also
// holds "$sealVersion", the counter bound into each seal (vault.hpp), raised on every write of
// the data; it never leaves this class.
//
// Legacy rows (written before the vault, with plaintext secrets) are read as they are and
// sealed on their next write of data; seal_plaintext_rows() seals them all at start.
//
// The base class is public so that code that needs no secret (a type check, a listing) can keep
// holding a CredentialRepository: through the base, data is seen sealed, which tells nothing.
#pragma once

#include "credentials/vault.hpp"

#include <weft/runtime/repositories/credential_repository.hpp>

namespace weft::credentials {

class SealedCredentials : public CredentialRepository {
 public:
  // OWNERSHIP: `storage` and `vault` are borrowed and must outlive this object.
  SealedCredentials(const Storage& storage, const Vault& vault) : CredentialRepository(storage), vault_(vault) {}

  // As CredentialRepository::create, with the secret fields sealed. The credential is first
  // stored without its secrets (its id is part of their seals), then with them; when the second
  // write fails the first is undone.
  Result<CredentialRecord> create(const NewCredential& credential) const;
  // As CredentialRepository::get, with the secret fields opened. A field that does not open
  // fails the call with kInternal naming the credential and the field.
  Result<CredentialRecord> get(std::string_view id) const;
  // As CredentialRepository::update, with the secret fields of `change.data` sealed at the next
  // seal version; the answer has them opened.
  Result<CredentialRecord> update(std::string_view id, const CredentialChange& change,
                                  int64_t expected_revision) const;

  // Seals the plaintext secret fields of every stored credential (one conditional write each; a
  // credential changed meanwhile is left for its own write to seal). Returns how many were
  // sealed.
  Result<size_t> seal_plaintext_rows() const;

 private:
  // `data` (plain, as the API has it) as stored at `seal_version`: secret fields sealed.
  Result<Json> sealed_data(const std::string& id, const std::string& type, const Json& data,
                           int64_t seal_version) const;
  // Stored `data` with the secret fields opened and "$sealVersion" removed.
  Result<Json> opened_data(const std::string& id, const Json& data) const;

  const Vault& vault_;
};

}  // namespace weft::credentials
