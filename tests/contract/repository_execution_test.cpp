// ExecutionRepository on the backend under test: the save policy (every combination), data
// stripping, progress records, listings by workflow / status / time over thousands of rows,
// removal and pruning (never a running execution).
#include "contract_store.hpp"

#include <weft/runtime/repositories/retention_pruner.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>

#include <future>
#include <set>

namespace weft::contract {
namespace {

constexpr int64_t kBase = 1'764'000'000'000;  // a fixed Unix ms, so that times are known

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class RepositoryExecutions : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
    writer_ = std::make_unique<ExecutionWriter>(*store_, ExecutionWriter::Options{});
    repo_ = std::make_unique<ExecutionRepository>(*store_, *writer_, SavePolicy{});
  }
  void TearDown() override {
    repo_.reset();
    writer_.reset();
  }

  static NodeRun run_of(const std::string& id, NodeStatus status, std::vector<Items> output) {
    NodeRun r;
    r.node_id = id;
    r.type = "weft.set";
    r.type_version = 1;
    r.status = status;
    r.tries = status == NodeStatus::kSkipped ? 0 : 1;
    r.started_at_ms = kBase + 5;
    r.duration_us = 42;
    r.items_in = {1};
    r.output = std::move(output);
    if (status == NodeStatus::kFailed) r.error = Status(Code::kNode, "boom");
    return r;
  }

  // A finished execution of workflow `wf` with two nodes: "a" (two items out) and "b" (one
  // item out when it succeeds, failing otherwise).
  static ExecutionResult result_of(const std::string& id, ExecutionStatus status,
                                   const std::string& wf = "wf-1", int64_t started = kBase) {
    ExecutionResult r;
    r.id = id;
    r.workflow_id = wf;
    r.workflow_version = 3;
    r.mode = "manual";
    r.status = status;
    r.started_at_ms = started;
    r.finished_at_ms = started + 250;
    r.runs.push_back(run_of("a", NodeStatus::kSucceeded,
                            {{make_item({{"secret", "a1"}}), make_item({{"secret", "a2"}})}}));
    if (status == ExecutionStatus::kSucceeded) {
      r.runs.push_back(run_of("b", NodeStatus::kSucceeded, {{make_item({{"secret", "b1"}})}}));
      r.result.emplace_back("b", Items{make_item({{"secret", "b1"}})});
      r.response = Json{{"status", 200}};
    } else if (status == ExecutionStatus::kFailed) {
      r.runs.push_back(run_of("b", NodeStatus::kFailed, {Items{}}));
      r.error = Status(Code::kNode, "boom");
      r.error_node = "b";
    } else {
      r.runs.push_back(run_of("b", NodeStatus::kCancelled, {Items{}}));
      r.error = Status::cancelled("the execution was cancelled");
    }
    return r;
  }

  static Items input() { return {make_item({{"order", 7}})}; }

  // Plays one execution through a recorder, as the Executor would; returns its saved() status.
  Status record(const ExecutionResult& r, const SavePolicy& policy, bool check_progress = false) {
    auto recorder = repo_->recorder(policy);
    Items in = input();
    recorder->execution_started({r.id, r.workflow_id, r.workflow_version, r.mode, r.started_at_ms, in});
    for (const auto& run : r.runs) {
      recorder->node_started({r.id, run.node_id, run.type, run.started_at_ms});
      recorder->node_finished(r.id, run);
    }
    if (check_progress) {
      writer_->flush();
      auto running = repo_->get(r.id);
      EXPECT_EQ(running.is_ok(), policy.progress) << running.status().to_string();
      if (running) {
        EXPECT_EQ(running->status, ExecutionState::kRunning);
        EXPECT_EQ(running->nodes.size(), r.runs.size());
        EXPECT_FALSE(running->finished_at_ms.has_value());
      }
    }
    recorder->execution_finished(r);
    auto saved = recorder->saved();
    EXPECT_EQ(saved.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    return saved.get();
  }

  // Writes n finished records straight through the writer: execution i of workflow
  // wf-(i % 2), status success for even i and error for odd, started at kBase + i * 1000.
  void seed(int n) {
    for (int i = 0; i < n; ++i) {
      ExecutionRecord r;
      r.id = "e" + std::to_string(100000 + i);
      r.workflow_id = "wf-" + std::to_string(i % 2);
      r.status = i % 2 == 0 ? ExecutionState::kSuccess : ExecutionState::kError;
      r.mode = "api";
      r.started_at_ms = kBase + i * 1000;
      r.finished_at_ms = r.started_at_ms + 10;
      ASSERT_TRUE(writer_->submit(Json{{"op", "put"}, {"collection", "executions"}, {"id", r.id},
                                       {"body", r.body()}, {"index", r.index()}})
                      .is_ok());
    }
    writer_->flush();
  }

  // Queues a record in `state` (flush the writer before reading).
  void put_state(const std::string& id, ExecutionState state, int64_t started) {
    ExecutionRecord r;
    r.id = id;
    r.workflow_id = "wf-p";
    r.status = state;
    r.started_at_ms = started;
    if (is_finished(state)) r.finished_at_ms = started + 1;
    ASSERT_TRUE(writer_->submit({{"op", "put"}, {"collection", "executions"}, {"id", r.id},
                                 {"body", r.body()}, {"index", r.index()}})
                    .is_ok());
  }

  std::set<std::string> stored_ids() {
    std::set<std::string> ids;
    ExecutionQuery q;
    q.page.limit = 1000;
    for (;;) {
      auto p = repo_->list(q);
      EXPECT_TRUE(p.is_ok()) << p.status().to_string();
      if (!p) break;
      for (const auto& r : p->items) ids.insert(r.id);
      if (p->next_cursor.empty()) break;
      q.page.cursor = p->next_cursor;
    }
    return ids;
  }

  std::unique_ptr<ExecutionWriter> writer_;
  std::unique_ptr<ExecutionRepository> repo_;
};

TEST_F(RepositoryExecutions, EverySavePolicyCombinationKeepsExactlyWhatItSays) {
  const ExecutionStatus outcomes[] = {ExecutionStatus::kSucceeded, ExecutionStatus::kFailed,
                                      ExecutionStatus::kCancelled};
  int n = 0;
  for (int bits = 0; bits < 16; ++bits) {
    SavePolicy p;
    p.on_success = bits & 1;
    p.on_error = bits & 2;
    p.progress = bits & 4;
    p.data = bits & 8;
    for (ExecutionStatus outcome : outcomes) {
      const std::string id = "combo-" + std::to_string(n++);
      SCOPED_TRACE(id + " onSuccess=" + std::to_string(p.on_success) + " onError=" +
                   std::to_string(p.on_error) + " progress=" + std::to_string(p.progress) +
                   " data=" + std::to_string(p.data) + " outcome=" + execution_status_name(outcome));
      ASSERT_TRUE(record(result_of(id, outcome), p, /*check_progress=*/true).is_ok());
      const bool kept = outcome == ExecutionStatus::kSucceeded ? p.on_success : p.on_error;
      auto got = repo_->get(id);
      ASSERT_EQ(got.is_ok(), kept) << got.status().to_string();
      if (!kept) {
        EXPECT_EQ(got.status().code(), Code::kNotFound);
        continue;
      }
      EXPECT_EQ(got->status, state_of(outcome));
      EXPECT_EQ(got->data_saved, p.data);
      EXPECT_EQ(got->nodes.size(), 2u);
      EXPECT_EQ(got->nodes[0].contains("output"), p.data);
      EXPECT_EQ(got->input.empty(), !p.data);
      EXPECT_EQ(got->finished_at_ms, kBase + 250);
    }
  }
}

TEST_F(RepositoryExecutions, WithoutDataItemsAreStrippedButCountsStatusTimingAndErrorsStay) {
  SavePolicy p;
  p.data = false;
  ASSERT_TRUE(record(result_of("ok", ExecutionStatus::kSucceeded), p).is_ok());
  ASSERT_TRUE(record(result_of("bad", ExecutionStatus::kFailed), p).is_ok());
  auto ok = repo_->get("ok");
  ASSERT_TRUE(ok.is_ok());
  const std::string text = ok->body().dump();
  EXPECT_EQ(text.find("secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("order"), std::string::npos) << text;
  EXPECT_FALSE(ok->data_saved);
  EXPECT_TRUE(ok->input.empty());
  EXPECT_TRUE(ok->result.empty());
  EXPECT_TRUE(ok->response.is_null());
  EXPECT_EQ(ok->nodes[0]["itemsOut"], Json::array({2}));
  EXPECT_EQ(ok->nodes[0]["itemsIn"], Json::array({1}));
  EXPECT_EQ(ok->nodes[0]["status"], "succeeded");
  EXPECT_EQ(ok->nodes[0]["durationUs"], 42);
  EXPECT_EQ(ok->nodes[0]["tries"], 1);
  EXPECT_EQ(ok->started_at_ms, kBase);
  EXPECT_EQ(ok->finished_at_ms, kBase + 250);
  EXPECT_EQ(ok->workflow_version, 3);

  auto bad = repo_->get("bad");
  ASSERT_TRUE(bad.is_ok());
  EXPECT_EQ(bad->status, ExecutionState::kError);
  EXPECT_EQ(bad->error["message"], "boom");
  EXPECT_EQ(bad->error["node"], "b");
  EXPECT_EQ(bad->nodes[1]["error"]["message"], "boom");
  EXPECT_EQ(bad->nodes[1]["status"], "failed");

  // With data, the same record keeps every item.
  ASSERT_TRUE(record(result_of("full", ExecutionStatus::kSucceeded), SavePolicy{}).is_ok());
  auto full = repo_->get("full");
  EXPECT_EQ(full->nodes[0]["output"][0][1]["secret"], "a2");
  EXPECT_EQ(full->input, Json::array({{{"order", 7}}}));
  EXPECT_EQ(full->result["b"][0]["secret"], "b1");
  EXPECT_EQ(full->response["status"], 200);
}

TEST_F(RepositoryExecutions, AProgressRecordIsWrittenWhileRunningAndRemovedWhenUnsaved) {
  SavePolicy p;
  p.progress = true;
  p.on_success = false;
  ExecutionResult r = result_of("prog", ExecutionStatus::kSucceeded);
  auto recorder = repo_->recorder(p, "earlier");
  Items in = input();
  recorder->execution_started({r.id, r.workflow_id, r.workflow_version, r.mode, r.started_at_ms, in});
  writer_->flush();
  auto started = repo_->get("prog");
  ASSERT_TRUE(started.is_ok()) << started.status().to_string();
  EXPECT_EQ(started->status, ExecutionState::kRunning);
  EXPECT_TRUE(started->nodes.empty());
  EXPECT_EQ(started->retry_of, "earlier");
  EXPECT_EQ(started->input, Json::array({{{"order", 7}}}));

  recorder->node_finished(r.id, r.runs[0]);
  writer_->flush();
  auto one = repo_->get("prog");
  ASSERT_TRUE(one.is_ok());
  ASSERT_EQ(one->nodes.size(), 1u);
  EXPECT_EQ(one->nodes[0]["id"], "a");
  // Listed as running meanwhile.
  ExecutionQuery running;
  running.status = ExecutionState::kRunning;
  ASSERT_EQ(repo_->list(running)->items.size(), 1u);

  recorder->node_finished(r.id, r.runs[1]);
  recorder->execution_finished(r);
  ASSERT_TRUE(recorder->saved().get().is_ok());
  EXPECT_EQ(repo_->get("prog").status().code(), Code::kNotFound);
}

TEST_F(RepositoryExecutions, AProgressRecordBecomesTheFinishedRecord) {
  SavePolicy p;
  p.progress = true;
  ASSERT_TRUE(record(result_of("prog", ExecutionStatus::kFailed), p, true).is_ok());
  auto done = repo_->get("prog");
  ASSERT_TRUE(done.is_ok());
  EXPECT_EQ(done->status, ExecutionState::kError);
  EXPECT_EQ(done->nodes.size(), 2u);
  ASSERT_TRUE(done->finished_at_ms.has_value());
}

TEST_F(RepositoryExecutions, WorkflowSettingsOverrideTheDefaults) {
  SavePolicy defaults;
  ExecutionRepository repo(*store_, *writer_, defaults);
  auto p = repo.policy_for({{"saveExecutions", {{"onSuccess", false}, {"data", false}}}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_FALSE(p->on_success);
  EXPECT_FALSE(p->data);
  EXPECT_TRUE(p->on_error);
  EXPECT_FALSE(p->progress);
  EXPECT_TRUE(repo.policy_for(Json::object())->on_success);

  auto wrong = repo.policy_for({{"saveExecutions", {{"onError", "yes"}}}});
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_EQ(wrong.status().code(), Code::kInvalid);
  EXPECT_NE(wrong.status().message().find("saveExecutions.onError"), std::string::npos);
  auto unknown = repo.policy_for({{"saveExecutions", {{"onSucess", true}}}});
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("onSucess"), std::string::npos);
  EXPECT_EQ(repo.policy_for({{"saveExecutions", 3}}).status().code(), Code::kInvalid);

  Config config;
  ASSERT_TRUE(config.set("executions.save.onError", false, "test").is_ok());
  ASSERT_TRUE(config.set("executions.save.progress", true, "test").is_ok());
  SavePolicy from_config = SavePolicy::from_config(config);
  EXPECT_TRUE(from_config.on_success);
  EXPECT_FALSE(from_config.on_error);
  EXPECT_TRUE(from_config.progress);
  EXPECT_TRUE(from_config.data);
}

TEST_F(RepositoryExecutions, SaveWritesAFinishedExecutionDirectly) {
  ASSERT_TRUE(repo_->save(result_of("s1", ExecutionStatus::kSucceeded), SavePolicy{}, input(), "s0").is_ok());
  auto got = repo_->get("s1");
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(got->retry_of, "s0");
  EXPECT_EQ(got->input.size(), 1u);
  SavePolicy errors_only;
  errors_only.on_success = false;
  ASSERT_TRUE(repo_->save(result_of("s2", ExecutionStatus::kSucceeded), errors_only).is_ok());
  EXPECT_EQ(repo_->get("s2").status().code(), Code::kNotFound);
}

TEST_F(RepositoryExecutions, ListsByWorkflowStatusAndTimeNewestFirstOverThousandsOfRows) {
  constexpr int kRows = 3000;
  seed(kRows);
  auto walk = [&](ExecutionQuery q) {
    std::vector<ExecutionRecord> out;
    for (;;) {
      auto p = repo_->list(q);
      EXPECT_TRUE(p.is_ok()) << p.status().to_string();
      if (!p) break;
      for (auto& r : p->items) out.push_back(std::move(r));
      if (p->next_cursor.empty()) break;
      q.page.cursor = p->next_cursor;
    }
    return out;
  };

  ExecutionQuery all;
  all.page.limit = 700;
  auto every = walk(all);
  ASSERT_EQ(every.size(), size_t(kRows));
  std::set<std::string> ids;
  for (size_t i = 0; i < every.size(); ++i) {
    ids.insert(every[i].id);
    if (i > 0) {
      EXPECT_LT(every[i].started_at_ms, every[i - 1].started_at_ms);
    }
  }
  EXPECT_EQ(ids.size(), size_t(kRows));
  EXPECT_EQ(every.front().id, "e" + std::to_string(100000 + kRows - 1));

  ExecutionQuery wf1;
  wf1.workflow_id = "wf-1";
  wf1.page.limit = 333;
  auto ones = walk(wf1);
  ASSERT_EQ(ones.size(), size_t(kRows / 2));
  for (const auto& r : ones) {
    EXPECT_EQ(r.workflow_id, "wf-1");
    EXPECT_EQ(r.status, ExecutionState::kError);
  }

  // Rows 1000..1999 of workflow wf-0 that succeeded: the even ones, 500 of them.
  ExecutionQuery window;
  window.workflow_id = "wf-0";
  window.status = ExecutionState::kSuccess;
  window.started_from_ms = kBase + 1000 * 1000;
  window.started_before_ms = kBase + 2000 * 1000;
  window.page.limit = 128;
  auto windowed = walk(window);
  ASSERT_EQ(windowed.size(), 500u);
  EXPECT_EQ(windowed.front().started_at_ms, kBase + 1998 * 1000);
  EXPECT_EQ(windowed.back().started_at_ms, kBase + 1000 * 1000);

  ExecutionQuery none;
  none.status = ExecutionState::kCancelled;
  EXPECT_TRUE(walk(none).empty());
  ExecutionQuery bad;
  bad.page.limit = 1001;
  EXPECT_EQ(repo_->list(bad).status().code(), Code::kInvalid);
}

TEST_F(RepositoryExecutions, RemoveDeletesOneRecord) {
  put_state("r1", ExecutionState::kSuccess, kBase);
  put_state("r2", ExecutionState::kSuccess, kBase);
  writer_->flush();
  ASSERT_TRUE(repo_->remove("r1").is_ok());
  EXPECT_EQ(repo_->get("r1").status().code(), Code::kNotFound);
  EXPECT_TRUE(repo_->get("r2").is_ok());
  EXPECT_EQ(repo_->remove("r1").code(), Code::kNotFound);
}

TEST_F(RepositoryExecutions, PruningByAgeDeletesOldFinishedExecutionsOnly) {
  const int64_t now = kBase + 100LL * 3600 * 1000;
  const int64_t old = now - 48LL * 3600 * 1000;  // two days before now
  for (int i = 0; i < 620; ++i)  // more than one pruning batch
    put_state("old-" + std::to_string(i), i % 3 == 0 ? ExecutionState::kCancelled : ExecutionState::kSuccess, old + i);
  put_state("old-running", ExecutionState::kRunning, old - 5);
  put_state("old-queued", ExecutionState::kQueued, old - 5);
  put_state("old-interrupted", ExecutionState::kInterrupted, old - 5);
  for (int i = 0; i < 5; ++i) put_state("new-" + std::to_string(i), ExecutionState::kError, now - 1000 + i);
  writer_->flush();

  auto pruned = repo_->prune(std::chrono::hours(24), 0, now);
  ASSERT_TRUE(pruned.is_ok()) << pruned.status().to_string();
  EXPECT_EQ(*pruned, 621);
  auto left = stored_ids();
  EXPECT_EQ(left, (std::set<std::string>{"old-running", "old-queued", "new-0", "new-1", "new-2",
                                         "new-3", "new-4"}));
  EXPECT_EQ(*repo_->prune(std::chrono::hours(24), 0, now), 0);
}

TEST_F(RepositoryExecutions, PruningByCountKeepsTheNewestFinishedExecutions) {
  for (int i = 0; i < 30; ++i)
    put_state("f-" + std::to_string(100 + i), ExecutionState::kSuccess, kBase + i * 10);
  // Unfinished ones older than all of them are neither counted nor deleted.
  put_state("running", ExecutionState::kRunning, kBase - 100);
  put_state("queued", ExecutionState::kQueued, kBase - 100);
  writer_->flush();

  auto pruned = repo_->prune(std::chrono::milliseconds(0), 8, kBase + 1000);
  ASSERT_TRUE(pruned.is_ok()) << pruned.status().to_string();
  EXPECT_EQ(*pruned, 22);
  std::set<std::string> expected = {"running", "queued"};
  for (int i = 22; i < 30; ++i) expected.insert("f-" + std::to_string(100 + i));
  EXPECT_EQ(stored_ids(), expected);
  EXPECT_EQ(*repo_->prune(std::chrono::milliseconds(0), 8, kBase + 1000), 0);
  // No limits: nothing to do.
  EXPECT_EQ(*repo_->prune(std::chrono::milliseconds(0), 0, kBase + 1000), 0);
}

TEST_F(RepositoryExecutions, TheRetentionPrunerRunsOnItsOwnThreadWithItsOptions) {
  for (int i = 0; i < 12; ++i) put_state("p-" + std::to_string(i), ExecutionState::kSuccess, now_ms() - i);
  writer_->flush();
  // Beside the executions: one expired and one live session, one old and one recent audit event.
  SessionRepository sessions(*store_);
  ASSERT_TRUE(sessions.create({"u1", "", "expired-hash", now_ms() - 1000}).is_ok());
  ASSERT_TRUE(sessions.create({"u1", "", "live-hash", now_ms() + 3'600'000}).is_ok());
  AuditRepository audit(*store_);
  for (int64_t at : {now_ms() - int64_t{3} * 24 * 3600 * 1000, now_ms()}) {
    AuditEvent e;
    e.at_ms = at;
    e.actor_kind = "system";
    e.action = "test.event";
    e.object_type = "test";
    e.object_id = std::to_string(at);
    ASSERT_TRUE(audit.append(e).is_ok());
  }

  auto first = std::make_shared<std::promise<Result<RetentionPruner::Pass>>>();
  auto reported = std::make_shared<std::atomic<bool>>(false);
  RetentionPruner::Options options;
  options.interval = std::chrono::milliseconds(10);
  options.execution_max_age = std::chrono::milliseconds(0);
  options.execution_max_count = 4;
  options.audit_max_age = std::chrono::hours(24);
  {
    RetentionPruner pruner(*repo_, sessions, audit, options,
                           [first, reported](const Result<RetentionPruner::Pass>& r) {
                             if (!reported->exchange(true)) first->set_value(r);
                           });
    auto f = first->get_future();
    ASSERT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    auto r = f.get();
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->executions, 8);
    EXPECT_EQ(r->sessions, 1);
    EXPECT_EQ(r->audit_events, 1);
  }
  EXPECT_EQ(stored_ids().size(), 4u);
  EXPECT_EQ(sessions.find_by_hash("expired-hash").status().code(), Code::kNotFound);
  EXPECT_TRUE(sessions.find_by_hash("live-hash").is_ok());
  auto left = audit.list({});
  ASSERT_TRUE(left.is_ok()) << left.status().to_string();
  ASSERT_EQ(left->items.size(), 1u);
  EXPECT_EQ(left->items[0].object_id, std::to_string(left->items[0].at_ms));

  Config config;
  ASSERT_TRUE(config.set("executions.pruning.maxCount", -1, "test").is_ok());
  auto bad = RetentionPruner::Options::from_config(config);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("executions.pruning.maxCount"), std::string::npos);
  Config bad_audit;
  ASSERT_TRUE(bad_audit.set("audit.retentionDays", -1, "test").is_ok());
  auto refused = RetentionPruner::Options::from_config(bad_audit);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("audit.retentionDays"), std::string::npos);
  auto defaults = RetentionPruner::Options::from_config(Config());
  ASSERT_TRUE(defaults.is_ok());
  EXPECT_EQ(defaults->execution_max_age, std::chrono::hours(336));
  EXPECT_EQ(defaults->execution_max_count, 10000);
  EXPECT_EQ(defaults->audit_max_age, std::chrono::hours(365 * 24));
  EXPECT_EQ(defaults->interval, std::chrono::seconds(300));
}

}  // namespace
}  // namespace weft::contract
