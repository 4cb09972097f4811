// WorkflowRepository on the backend under test: immutable numbered versions, one winner among
// concurrent saves, If-Match conflicts, filtered and paginated listings, removal.
#include "contract_store.hpp"

#include <weft/runtime/repositories/workflow_repository.hpp>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace weft::contract {
namespace {

class RepositoryWorkflows : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    repo_ = std::make_unique<WorkflowRepository>(*store_);
  }

  static Json definition(const std::string& marker) {
    return {{"name", "wf " + marker},
            {"nodes", Json::array({{{"id", "start"}, {"type", "weft.manual"}, {"typeVersion", 1},
                                    {"parameters", {{"marker", marker}}}}})},
            {"edges", Json::array()}};
  }

  WorkflowRecord must_create(const std::string& id, const std::string& name = "",
                             const std::string& owner = "alice", bool active = false) {
    NewWorkflow n;
    n.id = id;
    n.name = name;
    n.owner = owner;
    n.active = active;
    n.definition = definition(id);
    n.author = owner;
    auto r = repo_->create(n);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : WorkflowRecord{};
  }

  std::unique_ptr<WorkflowRepository> repo_;
};

TEST_F(RepositoryWorkflows, CreateSavesVersionOne) {
  WorkflowRecord w = must_create("wf-1", "First", "alice", true);
  EXPECT_EQ(w.id, "wf-1");
  EXPECT_EQ(w.version, 1);
  EXPECT_GE(w.revision, 1);
  EXPECT_EQ(w.definition["id"], "wf-1");
  EXPECT_EQ(w.definition["name"], "First");
  EXPECT_EQ(w.definition["version"], 1);

  auto got = repo_->get("wf-1");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(got->name, "First");
  EXPECT_EQ(got->owner, "alice");
  EXPECT_TRUE(got->active);
  EXPECT_EQ(got->revision, w.revision);
  EXPECT_EQ(got->definition, w.definition);
  EXPECT_GT(got->created_at_ms, 0);

  auto v1 = repo_->get_version("wf-1", 1);
  ASSERT_TRUE(v1.is_ok()) << v1.status().to_string();
  EXPECT_EQ(v1->definition, w.definition);
  EXPECT_EQ(v1->author, "alice");
  EXPECT_EQ(v1->workflow_id, "wf-1");
}

TEST_F(RepositoryWorkflows, NameDefaultsToTheDefinitionsAndIdIsGeneratedWhenEmpty) {
  NewWorkflow n;
  n.definition = definition("x");
  auto r = repo_->create(n);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->id.size(), 32u);
  EXPECT_EQ(r->name, "wf x");
  auto other = repo_->create(n);
  ASSERT_TRUE(other.is_ok());
  EXPECT_NE(other->id, r->id);
}

TEST_F(RepositoryWorkflows, CreatingAnExistingIdConflicts) {
  must_create("wf-1");
  NewWorkflow again;
  again.id = "wf-1";
  again.definition = definition("again");
  auto r = repo_->create(again);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_NE(r.status().message().find("wf-1"), std::string::npos) << r.status().message();
  EXPECT_EQ(repo_->get("wf-1")->definition["nodes"][0]["parameters"]["marker"], "wf-1");
}

TEST_F(RepositoryWorkflows, ADefinitionThatIsNotAnObjectIsInvalid) {
  NewWorkflow n;
  n.definition = Json::array();
  EXPECT_EQ(repo_->create(n).status().code(), Code::kInvalid);
  must_create("wf-1");
  EXPECT_EQ(repo_->replace("wf-1", "text", 1, "bob").status().code(), Code::kInvalid);
}

TEST_F(RepositoryWorkflows, VersionsAreNumberedAndImmutable) {
  WorkflowRecord w = must_create("wf-1");
  const Json first = w.definition;
  for (int i = 2; i <= 4; ++i) {
    auto r = repo_->replace("wf-1", definition("v" + std::to_string(i)), w.revision, "bob");
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->version, i);
    EXPECT_GT(r->revision, w.revision);
    w = *r;
  }
  EXPECT_EQ(repo_->get("wf-1")->definition["nodes"][0]["parameters"]["marker"], "v4");
  EXPECT_EQ(repo_->get("wf-1")->version, 4);
  // Version 1 is still exactly what was first saved.
  auto v1 = repo_->get_version("wf-1", 1);
  ASSERT_TRUE(v1.is_ok());
  EXPECT_EQ(v1->definition, first);
  EXPECT_EQ(v1->author, "alice");
  EXPECT_EQ(repo_->get_version("wf-1", 3)->definition["version"], 3);
  EXPECT_EQ(repo_->get_version("wf-1", 3)->author, "bob");
  EXPECT_EQ(repo_->get_version("wf-1", 5).status().code(), Code::kNotFound);

  // Newest first, in pages.
  std::vector<int64_t> seen;
  PageRequest page{3, {}};
  for (;;) {
    auto p = repo_->list_versions("wf-1", page);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    for (const auto& v : p->items) seen.push_back(v.version);
    if (p->next_cursor.empty()) break;
    page.cursor = p->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{4, 3, 2, 1}));
}

TEST_F(RepositoryWorkflows, AStaleRevisionConflictsAndChangesNothing) {
  WorkflowRecord w = must_create("wf-1");
  auto second = repo_->replace("wf-1", definition("second"), w.revision, "bob");
  ASSERT_TRUE(second.is_ok());
  // A client still holding the first revision (If-Match) loses.
  auto stale = repo_->replace("wf-1", definition("stale"), w.revision, "carol");
  ASSERT_FALSE(stale.is_ok());
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_NE(stale.status().message().find("wf-1"), std::string::npos);
  auto now = repo_->get("wf-1");
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->revision, second->revision);
  EXPECT_EQ(repo_->get_version("wf-1", 3).status().code(), Code::kNotFound);
  EXPECT_EQ(repo_->replace("nope", definition("x"), 1, "bob").status().code(), Code::kNotFound);
}

TEST_F(RepositoryWorkflows, ConcurrentSavesOfOneRevisionHaveExactlyOneWinner) {
  for (int round = 0; round < 5; ++round) {
    const std::string id = "wf-" + std::to_string(round);
    WorkflowRecord w = must_create(id);
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, conflicts{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        auto r = repo_->replace(id, definition("t" + std::to_string(t)), w.revision, "racer");
        if (r) ++ok;
        else if (r.status().code() == Code::kConflict) ++conflicts;
        else ++other;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    EXPECT_EQ(conflicts.load(), kThreads - 1) << "round " << round;
    EXPECT_EQ(other.load(), 0) << "round " << round;
    auto now = repo_->get(id);
    EXPECT_EQ(now->version, 2);
    auto versions = repo_->list_versions(id, {});
    ASSERT_TRUE(versions.is_ok());
    EXPECT_EQ(versions->items.size(), 2u);
    // The pointer's definition is the one the winner saved as version 2.
    EXPECT_EQ(repo_->get_version(id, 2)->definition, now->definition);
  }
}

TEST_F(RepositoryWorkflows, SetActiveChangesTheFlagWithoutANewVersion) {
  WorkflowRecord w = must_create("wf-1");
  auto on = repo_->set_active("wf-1", true, w.revision);
  ASSERT_TRUE(on.is_ok()) << on.status().to_string();
  EXPECT_TRUE(on->active);
  EXPECT_EQ(on->version, 1);
  EXPECT_GT(on->revision, w.revision);
  EXPECT_EQ(repo_->set_active("wf-1", false, w.revision).status().code(), Code::kConflict);
  auto off = repo_->set_active("wf-1", false);
  ASSERT_TRUE(off.is_ok());
  EXPECT_FALSE(repo_->get("wf-1")->active);
  EXPECT_EQ(repo_->list_versions("wf-1", {})->items.size(), 1u);
  EXPECT_EQ(repo_->set_active("nope", true).status().code(), Code::kNotFound);
}

TEST_F(RepositoryWorkflows, ListFiltersSortsAndPaginates) {
  // 30 workflows: owner alice for even i, bob for odd; active when i % 3 == 0; names n00..n29
  // created in a shuffled order so that name order differs from update order.
  std::vector<int> order;
  for (int i = 0; i < 30; ++i) order.push_back((i * 7) % 30);
  for (int i : order) {
    char name[32];
    std::snprintf(name, sizeof name, "n%02d", i);
    must_create("wf-" + std::to_string(i), name, i % 2 == 0 ? "alice" : "bob", i % 3 == 0);
  }
  auto all = [&](WorkflowFilter f) {
    std::vector<WorkflowRecord> out;
    for (;;) {
      auto p = repo_->list(f);
      EXPECT_TRUE(p.is_ok()) << p.status().to_string();
      if (!p) break;
      EXPECT_LE(p->items.size(), size_t(f.page.limit));
      out.insert(out.end(), p->items.begin(), p->items.end());
      if (p->next_cursor.empty()) break;
      f.page.cursor = p->next_cursor;
    }
    return out;
  };

  WorkflowFilter by_name;
  by_name.sort = WorkflowSort::kName;
  by_name.descending = false;
  by_name.page.limit = 7;
  auto named = all(by_name);
  ASSERT_EQ(named.size(), 30u);
  for (size_t i = 0; i < named.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "n%02zu", i);
    EXPECT_EQ(named[i].name, name);
  }

  WorkflowFilter newest;
  newest.page.limit = 4;
  auto updated = all(newest);
  ASSERT_EQ(updated.size(), 30u);
  std::set<std::string> ids;
  for (size_t i = 0; i < updated.size(); ++i) {
    ids.insert(updated[i].id);
    if (i > 0) {
      EXPECT_LE(updated[i].updated_at_ms, updated[i - 1].updated_at_ms);
    }
  }
  EXPECT_EQ(ids.size(), 30u);

  WorkflowFilter bob;
  bob.owner = "bob";
  bob.page.limit = 4;
  auto bobs = all(bob);
  EXPECT_EQ(bobs.size(), 15u);
  for (const auto& w : bobs) EXPECT_EQ(w.owner, "bob");

  WorkflowFilter active_alice;
  active_alice.owner = "alice";
  active_alice.active = true;
  auto actives = all(active_alice);
  EXPECT_EQ(actives.size(), 5u);  // i in {0, 6, 12, 18, 24}
  for (const auto& w : actives) EXPECT_TRUE(w.active && w.owner == "alice");

  WorkflowFilter inactive;
  inactive.active = false;
  EXPECT_EQ(all(inactive).size(), 20u);

  WorkflowFilter exact;
  exact.name = "n17";
  auto one = all(exact);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, "wf-17");

  WorkflowFilter bad;
  bad.page.limit = 0;
  EXPECT_EQ(repo_->list(bad).status().code(), Code::kInvalid);
  WorkflowFilter foreign_cursor;
  foreign_cursor.page.cursor = "not-a-cursor";
  EXPECT_EQ(repo_->list(foreign_cursor).status().code(), Code::kInvalid);
}

TEST_F(RepositoryWorkflows, RemoveDeletesTheWorkflowAndEveryVersion) {
  WorkflowRecord w = must_create("wf-1");
  must_create("wf-10");
  for (int i = 0; i < 3; ++i) w = *repo_->replace("wf-1", definition(std::to_string(i)), w.revision, "bob");
  EXPECT_EQ(repo_->remove("wf-1", w.revision - 1).code(), Code::kConflict);
  EXPECT_TRUE(repo_->get("wf-1").is_ok());
  ASSERT_TRUE(repo_->remove("wf-1", w.revision).is_ok());
  EXPECT_EQ(repo_->get("wf-1").status().code(), Code::kNotFound);
  for (int v = 1; v <= 4; ++v)
    EXPECT_EQ(repo_->get_version("wf-1", v).status().code(), Code::kNotFound) << v;
  EXPECT_TRUE(repo_->list_versions("wf-1", {})->items.empty());
  EXPECT_EQ(repo_->remove("wf-1").code(), Code::kNotFound);
  // Another workflow (whose id starts the same) is untouched.
  EXPECT_TRUE(repo_->get("wf-10").is_ok());
  EXPECT_TRUE(repo_->get_version("wf-10", 1).is_ok());
  // The id can be used again, from version 1.
  EXPECT_EQ(must_create("wf-1").version, 1);
}

TEST_F(RepositoryWorkflows, RemoveOfAWorkflowWithManyVersionsWorksInBatches) {
  WorkflowRecord w = must_create("wf-big");
  Json writes = Json::array();
  // 1,200 versions written directly, more than one removal batch holds.
  for (int v = 2; v <= 1200; ++v)
    writes.push_back({{"op", "put"}, {"collection", "workflow_versions"},
                      {"id", "wf-big:" + std::to_string(v)}, {"body", {{"version", v}}},
                      {"index", {{"workflowId", "wf-big"}, {"version", v}, {"createdAt", v}}}});
  ASSERT_TRUE(store_->write({{"writes", writes}}).is_ok());
  ASSERT_TRUE(repo_->remove("wf-big").is_ok());
  auto left = store_->query({{"collection", "workflow_versions"}, {"count", true}});
  ASSERT_TRUE(left.is_ok());
  EXPECT_EQ((*left)["count"], 0);
}

}  // namespace
}  // namespace weft::contract
