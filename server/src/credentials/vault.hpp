// The vault: envelope encryption of credentials' secret fields.
//
// Data keys (random, 256-bit) live in collection "vault_keys", each wrapped by the master key
// (master_key.hpp) with AES-256-GCM and stored with the master key's id:
//   {"id": "dk-1", "wrapped": base64(nonce || ct || tag), "masterKeyId": "1a2b3c4d", "createdAt": ms}
// (associated data "weft.vault.dataKey" NUL <data key id>, so a wrapped key cannot be swapped
// for another's). The vault unwraps them once, at open, and keeps them in memory: rotating the
// master key only re-wraps them (rewrap_data_keys), so a running server goes on sealing and
// opening with what it holds, whatever the store says meanwhile.
//
// A sealed field is a JSON object, which no secret field's plain value can be (they are strings,
// booleans or integers), so sealed and legacy plaintext values are told apart without a flag:
//   {"$sealed": 1, "keyId": "dk-1", "nonce": base64(96 bits), "ciphertext": base64(ct || tag)}
// The plaintext is the value's JSON text. The associated data binds the ciphertext to its place:
//   "weft.credential.v1" NUL <credential id> NUL <field name> NUL <seal version>
// where the seal version is a counter of the credential, kept in its stored data and raised on
// every write of its data (sealed_credentials.hpp). So a ciphertext copied to another
// credential, to another field, or back from an older write of the same credential fails to
// open. It is not the storage revision on purpose: a rename, or a copy of the store to another
// backend, changes revisions and must not make secrets unreadable.
#pragma once

#include "credentials/vault_crypto.hpp"

#include <weft/runtime/json.hpp>
#include <weft/runtime/storage.hpp>

#include <map>
#include <memory>
#include <string>

namespace weft::credentials {

// The collection of wrapped data keys (declared in domain_collections()).
constexpr const char* kVaultKeys = "vault_keys";

class Vault {
 public:
  // Loads and unwraps every data key of `storage` with `master`, and creates the first data key
  // when there is none. Fails with one line when a data key is wrapped by another master key
  // (naming the key id it needs and `master_origin`, where this key came from), when one does
  // not unwrap (the collection was altered), or when the store cannot be read.
  // OWNERSHIP: `storage` is borrowed and must outlive the vault.
  static Result<std::unique_ptr<Vault>> open(const Storage& storage, const SecretKey& master,
                                             const std::string& master_origin);

  // A vault over data keys held in memory, sealing with `current` (a key of `data_keys`).
  // For tests and tools; such a vault never reads the store.
  Vault(std::map<std::string, SecretKey> data_keys, std::string current);

  // `value` sealed as field `field` of credential `credential_id` at `seal_version`, under the
  // current data key with a fresh nonce. kInternal only when the system's RNG or cipher fails.
  Result<Json> seal(std::string_view credential_id, std::string_view field, int64_t seal_version,
                    const Json& value) const;

  // The value seal() sealed with the same credential id, field and seal version. Fails with
  // kInternal naming the credential and the field (never a value) when `sealed` is malformed,
  // names a data key the vault does not hold, or does not authenticate (tampered, or moved
  // from another credential, field or version).
  Result<Json> open(std::string_view credential_id, std::string_view field, int64_t seal_version,
                    const Json& sealed) const;

  // Whether `value` has the shape seal() gives (not whether it opens).
  static bool is_sealed(const Json& value);

  // The data key new seals use.
  const std::string& current_key_id() const { return current_; }

 private:
  std::map<std::string, SecretKey> keys_;
  std::string current_;
};

// What rewrap_data_keys did.
struct RewrapReport {
  size_t rewrapped = 0;  // moved from the old master key to the new one
  size_t already = 0;    // already under the new master key (a rotation run again after a stop)
};

// Re-wraps every data key of `storage` from `old_master` to `new_master`, each with a
// conditional write on its version, so it is safe next to running servers (they hold the
// unwrapped keys and never write them back) and can be run again after an interruption: keys
// already under the new master key are checked and counted. Fails with one line naming the
// data key and the master key id it needs when one is wrapped by a third key.
Result<RewrapReport> rewrap_data_keys(const Storage& storage, const SecretKey& old_master,
                                      const SecretKey& new_master);

}  // namespace weft::credentials
