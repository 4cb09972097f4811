// AuditRepository on the backend under test: events come back newest first, filtered by actor,
// action and object, paged without repeats; pruning by age removes only older events.
#include "contract_store.hpp"

#include <weft/runtime/repositories/audit_repository.hpp>

#include <set>

namespace weft::contract {
namespace {

class RepositoryAudit : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    audit_ = std::make_unique<AuditRepository>(*store_);
  }

  AuditEvent must_append(int64_t at, const std::string& actor, const std::string& action,
                         const std::string& object_id) {
    AuditEvent e;
    e.at_ms = at;
    e.actor = actor;
    e.actor_kind = "user";
    e.action = action;
    e.object_type = "workflow";
    e.object_id = object_id;
    e.detail = {{"n", at}};
    auto stored = audit_->append(e);
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored ? *stored : AuditEvent{};
  }

  std::unique_ptr<AuditRepository> audit_;
};

TEST_F(RepositoryAudit, EventsComeBackNewestFirstAndFiltered) {
  must_append(1'000, "alice", "workflow.create", "w1");
  must_append(2'000, "bob", "workflow.update", "w1");
  must_append(3'000, "alice", "workflow.update", "w2");
  auto all = audit_->list({});
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].at_ms, 3'000);
  EXPECT_EQ(all->items[2].at_ms, 1'000);
  EXPECT_EQ(all->items[1].detail, Json({{"n", 2'000}}));
  EXPECT_EQ(all->items[1].actor_kind, "user");

  AuditFilter by_alice;
  by_alice.actor = "alice";
  auto alice = audit_->list(by_alice);
  ASSERT_TRUE(alice.is_ok());
  ASSERT_EQ(alice->items.size(), 2u);
  EXPECT_EQ(alice->items[0].object_id, "w2");

  AuditFilter updates_of_w1;
  updates_of_w1.action = "workflow.update";
  updates_of_w1.object_id = "w1";
  auto w1 = audit_->list(updates_of_w1);
  ASSERT_TRUE(w1.is_ok());
  ASSERT_EQ(w1->items.size(), 1u);
  EXPECT_EQ(w1->items[0].actor, "bob");

  AuditEvent no_action;
  EXPECT_EQ(audit_->append(no_action).status().code(), Code::kInvalid);
}

TEST_F(RepositoryAudit, PagesHoldEveryEventOnceAndPruningKeepsTheNewer) {
  for (int i = 0; i < 7; ++i) must_append(10'000 + i, "u", "auth.login", "s" + std::to_string(i));
  std::set<std::string> seen;
  AuditFilter f;
  f.page.limit = 3;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = audit_->list(f);
    ASSERT_TRUE(page.is_ok()) << page.status().to_string();
    for (const auto& e : page->items) EXPECT_TRUE(seen.insert(e.id).second) << "repeated " << e.id;
    if (page->next_cursor.empty()) break;
    f.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen.size(), 7u);

  auto removed = audit_->remove_before(10'004);
  ASSERT_TRUE(removed.is_ok()) << removed.status().to_string();
  EXPECT_EQ(*removed, 4);
  auto left = audit_->list({});
  ASSERT_TRUE(left.is_ok());
  ASSERT_EQ(left->items.size(), 3u);
  EXPECT_EQ(left->items.back().at_ms, 10'004);
}

}  // namespace
}  // namespace weft::contract
