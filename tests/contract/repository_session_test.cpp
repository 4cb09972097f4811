// SessionRepository on the backend under test: lookup by token hash, rotation with one winner,
// family revocation, removal of expired sessions.
#include "contract_store.hpp"

#include <weft/runtime/repositories/session_repository.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace weft::contract {
namespace {

class RepositorySessions : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    sessions_ = std::make_unique<SessionRepository>(*store_);
  }

  SessionRecord must_create(const std::string& user, const std::string& hash, int64_t expires,
                            const std::string& family = "") {
    auto s = sessions_->create({user, family, hash, expires});
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return s ? *s : SessionRecord{};
  }

  std::unique_ptr<SessionRepository> sessions_;
};

TEST_F(RepositorySessions, CreateAndFindByTokenHash) {
  SessionRecord s = must_create("u1", "th-1", 10'000);
  EXPECT_EQ(s.family.size(), 32u);
  auto found = sessions_->find_by_hash("th-1");
  ASSERT_TRUE(found.is_ok()) << found.status().to_string();
  EXPECT_EQ(found->id, s.id);
  EXPECT_EQ(found->family, s.family);
  EXPECT_TRUE(found->usable(9'999));
  EXPECT_FALSE(found->usable(10'000));
  EXPECT_EQ(sessions_->find_by_hash("th-x").status().code(), Code::kNotFound);
  EXPECT_EQ(sessions_->create({"", "", "h", 1}).status().code(), Code::kInvalid);
  EXPECT_EQ(sessions_->create({"u", "", "", 1}).status().code(), Code::kInvalid);
}

TEST_F(RepositorySessions, RotationMarksTheOldSessionAndHasOneWinner) {
  SessionRecord first = must_create("u1", "th-1", 10'000);
  auto second = sessions_->rotate(first, "th-2", 20'000);
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(second->family, first.family);
  EXPECT_EQ(second->user_id, "u1");
  auto old = sessions_->find_by_hash("th-1");
  ASSERT_TRUE(old.is_ok());
  EXPECT_TRUE(old->rotated);
  EXPECT_FALSE(old->usable(1));
  // Reusing the old record (a replayed refresh token) conflicts.
  EXPECT_EQ(sessions_->rotate(first, "th-3", 20'000).status().code(), Code::kConflict);
  EXPECT_EQ(sessions_->rotate(*old, "th-3", 20'000).status().code(), Code::kConflict);
  EXPECT_EQ(sessions_->find_by_hash("th-3").status().code(), Code::kNotFound);

  // Concurrent refreshes of one session: exactly one successor.
  SessionRecord current = *second;
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      auto r = sessions_->rotate(current, "race-" + std::to_string(t), 30'000);
      if (r) ++ok;
      else if (r.status().code() == Code::kConflict) ++conflicts;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 5);
}

TEST_F(RepositorySessions, RevokeFamilyRevokesEverySessionOfTheFamilyOnly) {
  SessionRecord s = must_create("u1", "f-0", 100'000);
  for (int i = 1; i <= 4; ++i) s = *sessions_->rotate(s, "f-" + std::to_string(i), 100'000);
  SessionRecord other = must_create("u1", "other", 100'000);
  ASSERT_TRUE(sessions_->revoke(s.id, 50).is_ok());  // one already revoked

  auto revoked = sessions_->revoke_family(s.family, 60);
  ASSERT_TRUE(revoked.is_ok()) << revoked.status().to_string();
  EXPECT_EQ(*revoked, 4);
  for (int i = 0; i <= 4; ++i) {
    auto r = sessions_->find_by_hash("f-" + std::to_string(i));
    ASSERT_TRUE(r.is_ok());
    ASSERT_TRUE(r->revoked_at_ms.has_value());
    EXPECT_EQ(*r->revoked_at_ms, i == 4 ? 50 : 60);
    EXPECT_EQ(r->rotated, i < 4);  // revocation keeps the rotation mark
  }
  EXPECT_FALSE(sessions_->get(other.id)->revoked_at_ms.has_value());
  EXPECT_EQ(*sessions_->revoke_family(s.family, 70), 0);
  EXPECT_EQ(*sessions_->revoke_family("no-such-family", 70), 0);
}

TEST_F(RepositorySessions, RemoveExpiredDeletesOnlyExpiredSessions) {
  for (int i = 0; i < 30; ++i) must_create("u1", "exp-" + std::to_string(i), 1000 + i);
  for (int i = 0; i < 3; ++i) must_create("u1", "live-" + std::to_string(i), 5000);
  auto removed = sessions_->remove_expired(2000);
  ASSERT_TRUE(removed.is_ok()) << removed.status().to_string();
  EXPECT_EQ(*removed, 30);
  EXPECT_EQ(sessions_->find_by_hash("exp-0").status().code(), Code::kNotFound);
  EXPECT_TRUE(sessions_->find_by_hash("live-2").is_ok());
  EXPECT_EQ(*sessions_->remove_expired(2000), 0);
}

}  // namespace
}  // namespace weft::contract
