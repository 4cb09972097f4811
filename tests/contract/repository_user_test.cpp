// UserRepository on the backend under test: e-mail addresses unique case-insensitively, even
// under concurrent creates; lookups, updates that move the reservation, removal.
#include "contract_store.hpp"

#include <weft/runtime/repositories/user_repository.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace weft::contract {
namespace {

class RepositoryUsers : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    users_ = std::make_unique<UserRepository>(*store_);
  }

  UserRecord must_create(const std::string& email, const std::string& role = "member") {
    auto u = users_->create({email, "Name of " + email, role, "$argon2id$hash", false});
    EXPECT_TRUE(u.is_ok()) << u.status().to_string();
    return u ? *u : UserRecord{};
  }

  std::unique_ptr<UserRepository> users_;
};

TEST_F(RepositoryUsers, CreateGetAndFindByEmailInAnyCase) {
  UserRecord u = must_create("Ada@Example.COM", "admin");
  EXPECT_EQ(u.id.size(), 32u);
  EXPECT_EQ(u.email, "Ada@Example.COM");
  auto got = users_->get(u.id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(got->email, "Ada@Example.COM");
  EXPECT_EQ(got->role, "admin");
  EXPECT_EQ(got->password_hash, "$argon2id$hash");
  EXPECT_FALSE(got->disabled);
  EXPECT_GT(got->created_at_ms, 0);
  auto found = users_->find_by_email("ada@example.com");
  ASSERT_TRUE(found.is_ok()) << found.status().to_string();
  EXPECT_EQ(found->id, u.id);
  EXPECT_EQ(users_->find_by_email("ADA@EXAMPLE.COM")->id, u.id);
  EXPECT_EQ(users_->find_by_email("bob@example.com").status().code(), Code::kNotFound);
  EXPECT_EQ(users_->get("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(users_->create({"", "x", "member", "h", false}).status().code(), Code::kInvalid);
}

TEST_F(RepositoryUsers, AnEmailTakenInAnotherCaseConflicts) {
  must_create("ada@example.com");
  auto again = users_->create({"ADA@example.com", "Other", "member", "h", false});
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_NE(again.status().message().find("ADA@example.com"), std::string::npos);
  auto page = users_->list({});
  ASSERT_TRUE(page.is_ok());
  EXPECT_EQ(page->items.size(), 1u);
}

TEST_F(RepositoryUsers, ConcurrentCreatesOfOneEmailHaveExactlyOneWinner) {
  for (int round = 0; round < 5; ++round) {
    const std::string base = "race" + std::to_string(round) + "@example.com";
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        std::string email = base;
        if (t % 2) email[0] = 'R';  // the same address in another case
        auto r = users_->create({email, "racer", "member", "h", false});
        if (r) ++ok;
        else if (r.status().code() == Code::kConflict) ++conflicts;
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 1) << base;
    EXPECT_EQ(conflicts.load(), kThreads - 1) << base;
  }
  auto page = users_->list({});
  ASSERT_TRUE(page.is_ok());
  EXPECT_EQ(page->items.size(), 5u);
}

TEST_F(RepositoryUsers, ChangingTheEmailMovesItsReservation) {
  UserRecord ada = must_create("ada@example.com");
  UserRecord bob = must_create("bob@example.com");
  auto moved = users_->update(ada.id, {.email = "Ada.Lovelace@example.com"}, ada.revision);
  ASSERT_TRUE(moved.is_ok()) << moved.status().to_string();
  EXPECT_EQ(users_->find_by_email("ada.lovelace@example.com")->id, ada.id);
  EXPECT_EQ(users_->find_by_email("ada@example.com").status().code(), Code::kNotFound);
  // The old address is free again.
  must_create("ada@example.com");
  // Bob cannot take Ada's new address, in any case.
  auto steal = users_->update(bob.id, {.email = "ADA.LOVELACE@example.com"}, bob.revision);
  ASSERT_FALSE(steal.is_ok());
  EXPECT_EQ(steal.status().code(), Code::kConflict);
  EXPECT_NE(steal.status().message().find("already exists"), std::string::npos);
  EXPECT_EQ(users_->get(bob.id)->email, "bob@example.com");
  // A stale revision conflicts too.
  auto stale = users_->update(ada.id, {.name = "x"}, ada.revision);
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  // Other fields, and a change of letter case only.
  auto changed = users_->update(bob.id, {.email = "Bob@Example.com", .role = "admin", .disabled = true}, bob.revision);
  ASSERT_TRUE(changed.is_ok()) << changed.status().to_string();
  EXPECT_EQ(users_->get(bob.id)->role, "admin");
  EXPECT_TRUE(users_->get(bob.id)->disabled);
  EXPECT_EQ(users_->find_by_email("bob@example.com")->email, "Bob@Example.com");
}

TEST_F(RepositoryUsers, RemoveFreesTheEmail) {
  UserRecord u = must_create("ada@example.com");
  ASSERT_TRUE(users_->remove(u.id).is_ok());
  EXPECT_EQ(users_->get(u.id).status().code(), Code::kNotFound);
  EXPECT_EQ(users_->remove(u.id).code(), Code::kNotFound);
  must_create("ADA@example.com");
}

TEST_F(RepositoryUsers, ListsByEmailInPagesAndByRole) {
  for (int i = 0; i < 12; ++i) must_create("u" + std::to_string(10 + i) + "@x.org", i % 3 ? "member" : "admin");
  std::vector<std::string> emails;
  PageRequest page{5, {}};
  for (;;) {
    auto p = users_->list(page);
    ASSERT_TRUE(p.is_ok());
    for (const auto& u : p->items) emails.push_back(u.email);
    if (p->next_cursor.empty()) break;
    page.cursor = p->next_cursor;
  }
  ASSERT_EQ(emails.size(), 12u);
  EXPECT_TRUE(std::is_sorted(emails.begin(), emails.end()));
  EXPECT_EQ(users_->list({}, "admin")->items.size(), 4u);
}

}  // namespace
}  // namespace weft::contract
