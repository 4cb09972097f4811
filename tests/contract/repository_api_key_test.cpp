// ApiKeyRepository on the backend under test: unique hashes, find_by_hash, revocation,
// expiry, listing per user, use marks and removal.
#include "contract_store.hpp"

#include <weft/runtime/repositories/api_key_repository.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace weft::contract {
namespace {

class RepositoryApiKeys : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    keys_ = std::make_unique<ApiKeyRepository>(*store_);
  }

  ApiKeyRecord must_create(const std::string& user, const std::string& hash,
                           std::optional<int64_t> expires = std::nullopt) {
    auto k = keys_->create({user, "key " + hash, "wft_" + hash.substr(0, 4), hash,
                            {"workflows:read", "executions:run"}, expires});
    EXPECT_TRUE(k.is_ok()) << k.status().to_string();
    return k ? *k : ApiKeyRecord{};
  }

  std::unique_ptr<ApiKeyRepository> keys_;
};

TEST_F(RepositoryApiKeys, FindByHashThenRevoke) {
  ApiKeyRecord k = must_create("u1", "hash-aaaa");
  auto found = keys_->find_by_hash("hash-aaaa");
  ASSERT_TRUE(found.is_ok()) << found.status().to_string();
  EXPECT_EQ(found->id, k.id);
  EXPECT_EQ(found->user_id, "u1");
  EXPECT_EQ(found->prefix, "wft_hash");
  EXPECT_EQ(found->scopes, (std::vector<std::string>{"workflows:read", "executions:run"}));
  EXPECT_FALSE(found->revoked_at_ms.has_value());
  EXPECT_FALSE(found->last_used_at_ms.has_value());
  EXPECT_TRUE(found->usable(found->created_at_ms + 1));

  auto missing = keys_->find_by_hash("hash-zzzz");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message().find("hash-zzzz"), std::string::npos) << "the hash leaked";

  auto revoked = keys_->revoke(k.id, 1000);
  ASSERT_TRUE(revoked.is_ok());
  EXPECT_EQ(revoked->revoked_at_ms, 1000);
  EXPECT_FALSE(revoked->usable(999));
  // Still found (so that the caller can say "revoked"), and a second revoke keeps the first time.
  EXPECT_EQ(keys_->find_by_hash("hash-aaaa")->revoked_at_ms, 1000);
  EXPECT_EQ(keys_->revoke(k.id, 2000)->revoked_at_ms, 1000);
  EXPECT_EQ(keys_->revoke("nope", 1).status().code(), Code::kNotFound);
}

TEST_F(RepositoryApiKeys, AnExpiredKeyIsNotUsable) {
  ApiKeyRecord k = must_create("u1", "hash-exp", 5000);
  EXPECT_TRUE(keys_->get(k.id)->usable(4999));
  EXPECT_FALSE(keys_->get(k.id)->usable(5000));
}

TEST_F(RepositoryApiKeys, HashesAreUniqueEvenUnderConcurrentCreates) {
  must_create("u1", "hash-dup");
  EXPECT_EQ(keys_->create({"u2", "other", "p", "hash-dup", {}, std::nullopt}).status().code(), Code::kConflict);
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      auto r = keys_->create({"u" + std::to_string(t), "k", "p", "hash-race", {}, std::nullopt});
      if (r) ++ok;
      else if (r.status().code() == Code::kConflict) ++conflicts;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  EXPECT_EQ(keys_->create({"", "k", "p", "h", {}, std::nullopt}).status().code(), Code::kInvalid);
  EXPECT_EQ(keys_->create({"u", "k", "p", "", {}, std::nullopt}).status().code(), Code::kInvalid);
}

TEST_F(RepositoryApiKeys, ListForUserNewestFirstInPages) {
  for (int i = 0; i < 7; ++i) must_create("alice", "a" + std::to_string(i) + "xxxx");
  must_create("bob", "bxxxx");
  std::vector<ApiKeyRecord> all;
  PageRequest page{3, {}};
  for (;;) {
    auto p = keys_->list_for_user("alice", page);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    all.insert(all.end(), p->items.begin(), p->items.end());
    if (p->next_cursor.empty()) break;
    page.cursor = p->next_cursor;
  }
  ASSERT_EQ(all.size(), 7u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i].created_at_ms, all[i - 1].created_at_ms);
  for (const auto& k : all) EXPECT_EQ(k.user_id, "alice");
}

TEST_F(RepositoryApiKeys, MarkUsedAndRemove) {
  ApiKeyRecord k = must_create("u1", "hash-use");
  ASSERT_TRUE(keys_->mark_used(k.id, 777).is_ok());
  EXPECT_EQ(keys_->get(k.id)->last_used_at_ms, 777);
  EXPECT_EQ(keys_->mark_used("nope", 1).code(), Code::kNotFound);
  ASSERT_TRUE(keys_->remove(k.id).is_ok());
  EXPECT_EQ(keys_->find_by_hash("hash-use").status().code(), Code::kNotFound);
  EXPECT_EQ(keys_->remove(k.id).code(), Code::kNotFound);
  // The hash is free again.
  must_create("u1", "hash-use");
}

}  // namespace
}  // namespace weft::contract
