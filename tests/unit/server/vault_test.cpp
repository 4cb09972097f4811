// The credential vault: AES-256-GCM seals with associated data (round trip, fresh nonce,
// tampering, a ciphertext moved to another credential, field or write, an unknown data key),
// master keys (parsing, the key file's mode), data keys in a real memory store (created once,
// refused under another master key, re-wrapped by a rotation), and SealedCredentials (what is
// stored is sealed; plaintext rows from before the vault are read and sealed).
#include "credentials/master_key.hpp"
#include "credentials/sealed_credentials.hpp"
#include "credentials/vault.hpp"

#include <weft/runtime/storage_setup.hpp>

#include <gtest/gtest.h>

#include <unordered_set>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace weft::credentials {
namespace {

SecretKey key_of(char fill) { return SecretKey(std::string(kKeyBytes, fill)); }

Vault vault_with(const std::string& id, char fill) {
  std::map<std::string, SecretKey> keys;
  keys.emplace(id, key_of(fill));
  return Vault(std::move(keys), id);
}

TEST(VaultCrypto, GcmRoundTripsAndEachSealHasAFreshNonce) {
  const SecretKey key = key_of('k');
  auto a = gcm_seal(key, "aad", "plain text");
  auto b = gcm_seal(key, "aad", "plain text");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), kNonceBytes + 10 + kTagBytes);
  EXPECT_NE(a->substr(0, kNonceBytes), b->substr(0, kNonceBytes));
  EXPECT_NE(*a, *b);
  auto opened = gcm_open(key, "aad", *a);
  ASSERT_TRUE(opened) << opened.status().to_string();
  EXPECT_EQ(*opened, "plain text");
}

TEST(VaultCrypto, OneHundredThousandSealsUnderOneKeyNeverRepeatANonce) {
  const SecretKey key = key_of('n');
  std::unordered_set<std::string> nonces;
  nonces.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) {
    auto sealed = gcm_seal(key, "aad", "same plaintext every time");
    ASSERT_TRUE(sealed) << sealed.status().to_string();
    ASSERT_TRUE(nonces.insert(sealed->substr(0, kNonceBytes)).second) << "nonce repeated at seal " << i;
  }
  EXPECT_EQ(nonces.size(), 100'000u);
}

TEST(VaultCrypto, GcmRefusesAnyChangeOfCiphertextTagAadOrKey) {
  const SecretKey key = key_of('k');
  auto sealed = gcm_seal(key, "aad", "plain text");
  ASSERT_TRUE(sealed);
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string bad = *sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(gcm_open(key, "aad", bad)) << "byte " << i;
  }
  EXPECT_FALSE(gcm_open(key, "aae", *sealed));
  EXPECT_FALSE(gcm_open(key_of('j'), "aad", *sealed));
  EXPECT_FALSE(gcm_open(key, "aad", sealed->substr(0, 10)));
}

TEST(VaultCrypto, Base64AndHexRoundTripAndRefuseJunk) {
  const std::string bytes("\x00\x01\xfe\xff xyz", 7);
  EXPECT_EQ(*from_base64(to_base64(bytes)), bytes);
  EXPECT_EQ(*from_hex(to_hex(bytes)), bytes);
  EXPECT_EQ(*from_base64("YQ=="), "a");
  EXPECT_EQ(*from_base64("YWI="), "ab");
  EXPECT_FALSE(from_base64("YQ"));
  EXPECT_FALSE(from_base64("Y=Q="));
  EXPECT_FALSE(from_base64("YQ*="));
  EXPECT_FALSE(from_hex("0g"));
  EXPECT_FALSE(from_hex("abc"));
}

TEST(Vault, SealedFieldsRoundTripAndNeverShowThePlaintext) {
  Vault vault = vault_with("dk-1", 'a');
  const std::vector<Json> values = {Json("s3cret-value-91"), Json(42), Json(true)};
  for (const Json& value : values) {
    auto sealed = vault.seal("cred-1", "value", 3, value);
    ASSERT_TRUE(sealed) << sealed.status().to_string();
    EXPECT_TRUE(Vault::is_sealed(*sealed));
    EXPECT_EQ((*sealed)["keyId"], "dk-1");
    EXPECT_EQ(from_base64((*sealed)["nonce"].get<std::string>())->size(), kNonceBytes);
    EXPECT_EQ(sealed->dump().find("s3cret"), std::string::npos);
    auto opened = vault.open("cred-1", "value", 3, *sealed);
    ASSERT_TRUE(opened) << opened.status().to_string();
    EXPECT_EQ(*opened, value);
  }
}

TEST(Vault, TwoSealsOfTheSameValueDiffer) {
  Vault vault = vault_with("dk-1", 'a');
  auto a = vault.seal("cred-1", "value", 1, "same");
  auto b = vault.seal("cred-1", "value", 1, "same");
  ASSERT_TRUE(a && b);
  EXPECT_NE((*a)["nonce"], (*b)["nonce"]);
  EXPECT_NE((*a)["ciphertext"], (*b)["ciphertext"]);
}

TEST(Vault, ATamperedCiphertextFailsNamingCredentialAndFieldOnly) {
  Vault vault = vault_with("dk-1", 'a');
  auto sealed = vault.seal("cred-1", "password", 1, "hunter2-secret");
  ASSERT_TRUE(sealed);
  std::string raw = *from_base64((*sealed)["ciphertext"].get<std::string>());
  raw[0] = static_cast<char>(raw[0] ^ 0x80);
  Json tampered = *sealed;
  tampered["ciphertext"] = to_base64(raw);
  auto opened = vault.open("cred-1", "password", 1, tampered);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.status().code(), Code::kInternal);
  const std::string m = opened.status().message();
  EXPECT_NE(m.find("credential cred-1 field 'password'"), std::string::npos) << m;
  EXPECT_NE(m.find("authentication failed"), std::string::npos) << m;
  EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
  Json bad_nonce = *sealed;
  bad_nonce["nonce"] = "not base64!";
  EXPECT_FALSE(vault.open("cred-1", "password", 1, bad_nonce));
}

TEST(Vault, ACiphertextMovedToAnotherCredentialFieldOrWriteFails) {
  Vault vault = vault_with("dk-1", 'a');
  auto sealed = vault.seal("cred-1", "value", 2, "moved");
  ASSERT_TRUE(sealed);
  EXPECT_TRUE(vault.open("cred-1", "value", 2, *sealed));
  auto other_row = vault.open("cred-2", "value", 2, *sealed);
  ASSERT_FALSE(other_row);
  EXPECT_NE(other_row.status().message().find("credential cred-2 field 'value'"), std::string::npos);
  EXPECT_FALSE(vault.open("cred-1", "password", 2, *sealed));
  EXPECT_FALSE(vault.open("cred-1", "value", 1, *sealed));
  EXPECT_FALSE(vault.open("cred-1", "value", 3, *sealed));
}

TEST(Vault, AnUnknownKeyIdOrAnotherKeyUnderTheSameIdFails) {
  Vault vault = vault_with("dk-1", 'a');
  auto sealed = vault.seal("cred-1", "value", 1, "x");
  ASSERT_TRUE(sealed);
  Json renamed = *sealed;
  renamed["keyId"] = "dk-9";
  auto unknown = vault.open("cred-1", "value", 1, renamed);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.status().message().find("data key 'dk-9', which this server does not hold"), std::string::npos)
      << unknown.status().message();
  Vault other = vault_with("dk-1", 'b');
  auto wrong_key = other.open("cred-1", "value", 1, *sealed);
  ASSERT_FALSE(wrong_key);
  EXPECT_NE(wrong_key.status().message().find("authentication failed"), std::string::npos);
}

TEST(MasterKey, HexAndBase64Of32BytesAreAcceptedAnythingElseRefusedWithoutQuotingIt) {
  const std::string bytes(kKeyBytes, '\x5a');
  auto hex = parse_master_key(to_hex(bytes) + "\n", "WEFT_ENCRYPTION_KEY");
  ASSERT_TRUE(hex) << hex.status().to_string();
  EXPECT_EQ(hex->bytes(), bytes);
  auto b64 = parse_master_key("  " + to_base64(bytes), "WEFT_ENCRYPTION_KEY");
  ASSERT_TRUE(b64);
  EXPECT_EQ(b64->bytes(), bytes);
  EXPECT_EQ(hex->id(), b64->id());
  EXPECT_EQ(hex->id().size(), 8u);
  const std::vector<std::string> bads = {"short-secret-abc", to_hex(bytes).substr(2), to_base64(bytes.substr(1)), ""};
  for (const std::string& bad : bads) {
    auto refused = parse_master_key(bad, "WEFT_ENCRYPTION_KEY");
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.status().message().find("WEFT_ENCRYPTION_KEY is not a 256-bit key"), std::string::npos);
    if (!bad.empty()) {
      EXPECT_EQ(refused.status().message().find(bad), std::string::npos);
    }
  }
}

class KeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("weft-vault-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(KeyFiles, TheFirstLoadCreatesA0600FileAndLaterLoadsReadTheSameKey) {
  MasterKeySource source;
  source.file = dir_ / "master.key";
  EXPECT_EQ(load_master_key(source, false).status().code(), Code::kNotFound);
  auto created = load_master_key(source, true);
  ASSERT_TRUE(created) << created.status().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(source.file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = load_master_key(source, true);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->bytes(), created->bytes());
  EXPECT_EQ(source.describe(), "key file " + source.file.string());
}

TEST_F(KeyFiles, AKeyFileOthersMayReadIsRefused) {
  MasterKeySource source;
  source.file = dir_ / "master.key";
  ASSERT_TRUE(write_key_file(source.file, key_of('q')));
  ::chmod(source.file.c_str(), 0644);
  auto refused = load_master_key(source, true);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("mode 0644"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("chmod 600"), std::string::npos);
  ::chmod(source.file.c_str(), 0600);
  auto read = load_master_key(source, false);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->bytes(), key_of('q').bytes());
}

TEST_F(KeyFiles, TheEnvironmentKeyWinsOverTheFile) {
  MasterKeySource source;
  source.file = dir_ / "absent.key";
  source.env_value = to_hex(key_of('e').bytes());
  auto key = load_master_key(source, true);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->bytes(), key_of('e').bytes());
  EXPECT_FALSE(std::filesystem::exists(source.file));
  EXPECT_EQ(source.describe(), "WEFT_ENCRYPTION_KEY");
}

// A real memory store with weft's collections.
class VaultStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = new PluginHost();
    ASSERT_TRUE(host_->load_directories({WEFT_TEST_PLUGIN_DIR}).is_ok());
  }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }
  void SetUp() override {
    auto store = Storage::open(*host_, "memory", {{"collections", domain_collections()}});
    ASSERT_TRUE(store) << store.status().to_string();
    store_ = std::move(*store);
  }
  // The stored body of credential `id`, as the store has it.
  Json raw_data(const std::string& id) const { return (*store_->get("credentials", id)).body["data"]; }

  static PluginHost* host_;
  std::unique_ptr<Storage> store_;
};

PluginHost* VaultStore::host_ = nullptr;

TEST_F(VaultStore, TheFirstOpenCreatesOneDataKeyThatLaterOpensShare) {
  const SecretKey master = key_of('m');
  auto first = Vault::open(*store_, master, "test key");
  ASSERT_TRUE(first) << first.status().to_string();
  auto second = Vault::open(*store_, master, "test key");
  ASSERT_TRUE(second) << second.status().to_string();
  EXPECT_EQ((*first)->current_key_id(), (*second)->current_key_id());
  auto sealed = (*first)->seal("c", "value", 1, "shared");
  ASSERT_TRUE(sealed);
  auto opened = (*second)->open("c", "value", 1, *sealed);
  ASSERT_TRUE(opened) << opened.status().to_string();
  EXPECT_EQ(*opened, "shared");
  auto keys = store_->query({{"collection", kVaultKeys}});
  ASSERT_TRUE(keys);
  ASSERT_EQ((*keys)["items"].size(), 1u);
  const Json body = (*keys)["items"][0]["body"];
  EXPECT_EQ(body["masterKeyId"], master.id());
  EXPECT_EQ(body.dump().find(to_base64(key_of('m').bytes())), std::string::npos);
}

TEST_F(VaultStore, AnotherMasterKeyIsRefusedNamingTheKeyIdItNeeds) {
  const SecretKey master = key_of('m');
  ASSERT_TRUE(Vault::open(*store_, master, "test key"));
  auto refused = Vault::open(*store_, key_of('n'), "WEFT_ENCRYPTION_KEY");
  ASSERT_FALSE(refused);
  const std::string m = refused.status().message();
  EXPECT_NE(m.find("wrapped by master key " + master.id()), std::string::npos) << m;
  EXPECT_NE(m.find("from WEFT_ENCRYPTION_KEY is " + key_of('n').id()), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);
}

TEST_F(VaultStore, RewrapMovesEveryDataKeyToTheNewMasterKeyAndCanRunAgain) {
  const SecretKey old_master = key_of('m');
  const SecretKey new_master = key_of('n');
  auto before = Vault::open(*store_, old_master, "old");
  ASSERT_TRUE(before);
  auto sealed = (*before)->seal("c", "value", 1, "kept across rotation");
  ASSERT_TRUE(sealed);

  auto report = rewrap_data_keys(*store_, old_master, new_master);
  ASSERT_TRUE(report) << report.status().to_string();
  EXPECT_EQ(report->rewrapped, 1u);
  EXPECT_EQ(report->already, 0u);
  // The vault opened before the rotation still opens and seals with what it holds.
  EXPECT_TRUE((*before)->open("c", "value", 1, *sealed));

  auto after = Vault::open(*store_, new_master, "new");
  ASSERT_TRUE(after) << after.status().to_string();
  auto opened = (*after)->open("c", "value", 1, *sealed);
  ASSERT_TRUE(opened) << opened.status().to_string();
  EXPECT_EQ(*opened, "kept across rotation");
  EXPECT_FALSE(Vault::open(*store_, old_master, "old"));

  auto again = rewrap_data_keys(*store_, old_master, new_master);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rewrapped, 0u);
  EXPECT_EQ(again->already, 1u);
  auto third = rewrap_data_keys(*store_, key_of('x'), key_of('y'));
  ASSERT_FALSE(third);
  EXPECT_NE(third.status().message().find("wrapped by master key " + new_master.id()), std::string::npos);
}

TEST_F(VaultStore, SealedCredentialsStoreSecretsSealedAndAnswerThemOpened) {
  auto vault = Vault::open(*store_, key_of('m'), "test key");
  ASSERT_TRUE(vault);
  SealedCredentials credentials(*store_, **vault);
  NewCredential n{.name = "crm", .type = "weft.httpHeaderAuth", .owner = "u1",
                  .data = {{"name", "X-Key"}, {"value", "planted-secret-1"}}};
  auto created = credentials.create(n);
  ASSERT_TRUE(created) << created.status().to_string();
  EXPECT_EQ(created->data, n.data);
  Json stored = raw_data(created->id);
  EXPECT_EQ(stored["name"], "X-Key");
  EXPECT_TRUE(Vault::is_sealed(stored["value"])) << stored.dump();
  EXPECT_EQ(stored.dump().find("planted-secret"), std::string::npos);
  EXPECT_EQ(stored["$sealVersion"], 1);

  auto got = credentials.get(created->id);
  ASSERT_TRUE(got) << got.status().to_string();
  EXPECT_EQ(got->data, n.data);
  // Through the base class the data is seen sealed.
  const CredentialRepository& base = credentials;
  EXPECT_TRUE(Vault::is_sealed((*base.get(created->id)).data["value"]));

  auto updated = credentials.update(created->id, {.data = Json{{"name", "X-Key"}, {"value", "planted-secret-2"}}},
                                    got->revision);
  ASSERT_TRUE(updated) << updated.status().to_string();
  EXPECT_EQ(updated->data["value"], "planted-secret-2");
  EXPECT_EQ(raw_data(created->id)["$sealVersion"], 2);
  EXPECT_EQ(raw_data(created->id).dump().find("planted-secret"), std::string::npos);
  auto renamed = credentials.update(created->id, {.name = std::string("crm2")}, updated->revision);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->data["value"], "planted-secret-2");
}

TEST_F(VaultStore, ASealedFieldCopiedIntoAnotherCredentialFailsToOpen) {
  auto vault = Vault::open(*store_, key_of('m'), "test key");
  ASSERT_TRUE(vault);
  SealedCredentials credentials(*store_, **vault);
  auto a = credentials.create({.name = "a", .type = "weft.basicAuth", .owner = "u", .data = {{"user", "a"}, {"password", "pa"}}});
  auto b = credentials.create({.name = "b", .type = "weft.basicAuth", .owner = "u", .data = {{"user", "b"}, {"password", "pb"}}});
  ASSERT_TRUE(a && b);
  Record rec = *store_->get("credentials", b->id);
  rec.body["data"]["password"] = raw_data(a->id)["password"];
  ASSERT_TRUE(store_->write({{"writes", Json::array({{{"op", "put"}, {"collection", "credentials"}, {"id", rec.id},
                                                      {"body", rec.body}, {"index", rec.index}}})}}));
  auto moved = credentials.get(b->id);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.status().message().find("credential " + b->id + " field 'password' cannot be decrypted"), 0u)
      << moved.status().message();
  EXPECT_TRUE(credentials.get(a->id));
}

TEST_F(VaultStore, PlaintextRowsFromBeforeTheVaultAreReadAndSealedAtStart) {
  CredentialRepository legacy(*store_);
  auto old = legacy.create({.name = "old", .type = "weft.httpHeaderAuth", .owner = "u",
                            .data = {{"name", "X-Old"}, {"value", "legacy-plain-secret"}}});
  ASSERT_TRUE(old);
  auto vault = Vault::open(*store_, key_of('m'), "test key");
  ASSERT_TRUE(vault);
  SealedCredentials credentials(*store_, **vault);
  auto read = credentials.get(old->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->data["value"], "legacy-plain-secret");

  auto sealed = credentials.seal_plaintext_rows();
  ASSERT_TRUE(sealed) << sealed.status().to_string();
  EXPECT_EQ(*sealed, 1u);
  EXPECT_EQ(raw_data(old->id).dump().find("legacy-plain-secret"), std::string::npos);
  EXPECT_EQ((*credentials.get(old->id)).data["value"], "legacy-plain-secret");
  EXPECT_EQ(*credentials.seal_plaintext_rows(), 0u);
}

}  // namespace
}  // namespace weft::credentials
