#include "credentials/vault.hpp"

#include <chrono>
#include <vector>

namespace weft::credentials {

namespace {

constexpr const char* kFirstDataKey = "dk-1";

std::string data_key_aad(std::string_view key_id) { return std::string("weft.vault.dataKey") + '\0' + std::string(key_id); }

std::string field_aad(std::string_view credential_id, std::string_view field, int64_t seal_version) {
  std::string aad = "weft.credential.v1";
  aad += '\0';
  aad += credential_id;
  aad += '\0';
  aad += field;
  aad += '\0';
  aad += std::to_string(seal_version);
  return aad;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string text_of(const Json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Every record of the vault_keys collection.
Result<std::vector<Record>> all_data_keys(const Storage& storage) {
  std::vector<Record> out;
  Json cursor = nullptr;
  do {
    auto page = storage.query({{"collection", kVaultKeys}, {"orderBy", "id"}, {"limit", 1000}, {"cursor", cursor}});
    if (!page) return Status(page.status().code(), "vault: cannot read the data keys: " + page.status().message());
    for (auto& item : (*page)["items"]) out.push_back(Storage::record_from_json(std::move(item)));
    cursor = (*page)["nextCursor"];
  } while (cursor.is_string());
  return out;
}

Result<SecretKey> unwrap(const Record& r, const SecretKey& master) {
  auto wrapped = from_base64(text_of(r.body, "wrapped"));
  if (!wrapped) return Status::invalid("vault: data key " + r.id + " is malformed in the store");
  auto key = gcm_open(master, data_key_aad(r.id), *wrapped);
  if (!key || key->size() != kKeyBytes)
    return Status::invalid("vault: data key " + r.id + " does not unwrap with master key " + master.id() +
                           " although it is recorded under that key: the vault_keys collection was altered");
  return SecretKey(std::move(*key));
}

Result<Json> wrapped_body(const std::string& id, const SecretKey& data_key, const SecretKey& master, int64_t created) {
  auto wrapped = gcm_seal(master, data_key_aad(id), data_key.bytes());
  if (!wrapped) return wrapped.status();
  return Json{{"id", id}, {"wrapped", to_base64(*wrapped)}, {"masterKeyId", master.id()}, {"createdAt", created}};
}

Json put_op(const std::string& id, const Json& body, int64_t expected_version) {
  return {{"op", "put"},
          {"collection", kVaultKeys},
          {"id", id},
          {"expectedVersion", expected_version},
          {"body", body},
          {"index", {{"masterKeyId", body["masterKeyId"]}, {"createdAt", body["createdAt"]}}}};
}

// Stores a new first data key; kConflict when another process stored one first.
Status create_first_data_key(const Storage& storage, const SecretKey& master) {
  auto key = random_key();
  if (!key) return key.status();
  auto body = wrapped_body(kFirstDataKey, *key, master, now_ms());
  if (!body) return body.status();
  auto written = storage.write({{"writes", Json::array({put_op(kFirstDataKey, *body, 0)})}});
  return written ? Status::ok() : written.status();
}

}  // namespace

Result<std::unique_ptr<Vault>> Vault::open(const Storage& storage, const SecretKey& master,
                                           const std::string& master_origin) {
  auto records = all_data_keys(storage);
  if (!records) return records.status();
  if (records->empty()) {
    Status st = create_first_data_key(storage, master);
    if (!st && st.code() != Code::kConflict)
      return Status(st.code(), "vault: cannot store the first data key: " + st.message());
    records = all_data_keys(storage);  // ours, or the one another process stored first
    if (!records) return records.status();
  }
  std::map<std::string, SecretKey> keys;
  std::string current;
  int64_t current_created = -1;
  for (const Record& r : *records) {
    const std::string needed = text_of(r.body, "masterKeyId");
    if (needed != master.id())
      return Status::invalid("vault: the data keys are wrapped by master key " + needed + ", but the master key from " +
                             master_origin + " is " + master.id() + ": start with master key " + needed +
                             " (or finish an interrupted `weft credentials rotate-key`)");
    auto key = unwrap(r, master);
    if (!key) return key.status();
    const int64_t created = r.body.value("createdAt", int64_t(0));
    if (created > current_created || (created == current_created && r.id > current)) {
      current = r.id;
      current_created = created;
    }
    keys.emplace(r.id, std::move(*key));
  }
  if (keys.empty()) return Status::internal("vault: no data key could be stored or read");
  return std::make_unique<Vault>(std::move(keys), std::move(current));
}

Vault::Vault(std::map<std::string, SecretKey> data_keys, std::string current)
    : keys_(std::move(data_keys)), current_(std::move(current)) {}

bool Vault::is_sealed(const Json& value) { return value.is_object() && value.contains("$sealed"); }

Result<Json> Vault::seal(std::string_view credential_id, std::string_view field, int64_t seal_version,
                         const Json& value) const {
  auto key = keys_.find(current_);
  if (key == keys_.end()) return Status::internal("vault: the current data key " + current_ + " is not held");
  std::string plaintext = value.dump();
  auto sealed = gcm_seal(key->second, field_aad(credential_id, field, seal_version), plaintext);
  std::fill(plaintext.begin(), plaintext.end(), '\0');
  if (!sealed) return sealed.status();
  const std::string_view all = *sealed;
  return Json{{"$sealed", 1},
              {"keyId", current_},
              {"nonce", to_base64(all.substr(0, kNonceBytes))},
              {"ciphertext", to_base64(all.substr(kNonceBytes))}};
}

Result<Json> Vault::open(std::string_view credential_id, std::string_view field, int64_t seal_version,
                         const Json& sealed) const {
  const std::string where = "credential " + std::string(credential_id) + " field '" + std::string(field) + "'";
  if (!is_sealed(sealed) || sealed["$sealed"] != 1)
    return Status::internal(where + " cannot be decrypted: its sealed form is not one this server knows");
  const std::string key_id = text_of(sealed, "keyId");
  auto key = keys_.find(key_id);
  if (key == keys_.end())
    return Status::internal(where + " cannot be decrypted: it was sealed with data key '" + key_id.substr(0, 64) +
                            "', which this server does not hold");
  auto nonce = from_base64(text_of(sealed, "nonce"));
  auto ciphertext = from_base64(text_of(sealed, "ciphertext"));
  if (!nonce || nonce->size() != kNonceBytes || !ciphertext)
    return Status::internal(where + " cannot be decrypted: its nonce or ciphertext is malformed");
  auto plaintext = gcm_open(key->second, field_aad(credential_id, field, seal_version), *nonce + *ciphertext);
  if (!plaintext)
    return Status::internal(where + " cannot be decrypted: authentication failed (altered, or moved from "
                                    "another credential, field or write)");
  Json value = Json::parse(*plaintext, nullptr, false);
  std::fill(plaintext->begin(), plaintext->end(), '\0');
  if (value.is_discarded()) return Status::internal(where + " cannot be decrypted: its plaintext is not JSON");
  return value;
}

Result<RewrapReport> rewrap_data_keys(const Storage& storage, const SecretKey& old_master,
                                      const SecretKey& new_master) {
  auto records = all_data_keys(storage);
  if (!records) return records.status();
  RewrapReport report;
  for (const Record& r : *records) {
    const std::string under = text_of(r.body, "masterKeyId");
    if (under == new_master.id()) {
      auto key = unwrap(r, new_master);
      if (!key) return key.status();
      ++report.already;
      continue;
    }
    if (under != old_master.id())
      return Status::invalid("vault: data key " + r.id + " is wrapped by master key " + under +
                             ", which is neither the current key " + old_master.id() + " nor the new key " +
                             new_master.id());
    auto key = unwrap(r, old_master);
    if (!key) return key.status();
    auto body = wrapped_body(r.id, *key, new_master, r.body.value("createdAt", int64_t(0)));
    if (!body) return body.status();
    auto written = storage.write({{"writes", Json::array({put_op(r.id, *body, r.version)})}});
    if (!written)
      return Status(written.status().code(), "vault: cannot re-wrap data key " + r.id + ": " + written.status().message());
    ++report.rewrapped;
  }
  return report;
}

}  // namespace weft::credentials
