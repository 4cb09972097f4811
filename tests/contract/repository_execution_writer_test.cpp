// ExecutionWriter on the backend under test: group commit really batches, coalesces writes of
// one document, pushes back when full, isolates a bad write, retries an unavailable store in
// order, and drains on flush and destruction.
#include "contract_store.hpp"

#include <weft/runtime/repositories/execution_writer.hpp>

#include <atomic>
#include <future>
#include <thread>

namespace weft::contract {
namespace {

class RepositoryExecutionWriter : public DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    if (HasFatalFailure()) return;
  }

  // A commit that counts the batches it passes to the store under test.
  ExecutionWriter::Commit counting() {
    return [this](const Json& batch) {
      ++batches_;
      return store_->write(batch);
    };
  }

  static Json put(const std::string& id, Json body = {{"n", 0}}, Json expected = nullptr) {
    Json w = {{"op", "put"}, {"collection", "executions"}, {"id", id}, {"body", std::move(body)},
              {"index", {{"workflowId", "wf"}, {"status", "success"}, {"startedAt", 1}}}};
    if (!expected.is_null()) w["expectedVersion"] = expected;
    return w;
  }

  int64_t count() {
    auto r = store_->query({{"collection", "executions"}, {"count", true}});
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? (*r)["count"].get<int64_t>() : -1;
  }

  static ExecutionWriter::Options options(size_t queue, size_t batch) {
    ExecutionWriter::Options o;
    o.queue_size = queue;
    o.batch_size = batch;
    return o;
  }

  std::atomic<int> batches_{0};
};

TEST_F(RepositoryExecutionWriter, GroupCommitWritesManyRecordsPerStorageBatch) {
  ExecutionWriter writer(counting(), options(5000, 500));
  writer.pause();
  std::vector<std::future<Status>> done;
  for (int i = 0; i < 1200; ++i) done.push_back(writer.submit_durable(put("e" + std::to_string(i))));
  writer.resume();
  writer.flush();
  for (auto& f : done) EXPECT_TRUE(f.get().is_ok());
  // 1,200 writes in batches of at most 500: three storage batches.
  EXPECT_EQ(batches_.load(), 3);
  EXPECT_EQ(writer.stats().batches, 3u);
  EXPECT_EQ(writer.stats().committed, 1200u);
  EXPECT_EQ(count(), 1200);
}

TEST_F(RepositoryExecutionWriter, ABusyStreamIsCommittedInFewerBatchesThanWrites) {
  // No pause: writers race the commit thread, as in production.
  ExecutionWriter writer(counting(), options(10000, 500));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) ASSERT_TRUE(writer.submit(put("t" + std::to_string(t) + "-" + std::to_string(i))).is_ok());
    });
  for (auto& th : threads) th.join();
  writer.flush();
  EXPECT_EQ(count(), 2000);
  EXPECT_EQ(writer.stats().committed, 2000u);
  EXPECT_LT(batches_.load(), 2000);
}

TEST_F(RepositoryExecutionWriter, WritesOfOneDocumentInABatchCoalesceIntoTheLast) {
  ExecutionWriter writer(counting(), options(100, 100));
  writer.pause();
  std::vector<std::future<Status>> done;
  for (int n = 0; n < 10; ++n) done.push_back(writer.submit_durable(put("same", {{"n", n}})));
  done.push_back(writer.submit_durable(put("other")));
  writer.resume();
  for (auto& f : done) EXPECT_TRUE(f.get().is_ok());
  auto same = store_->get("executions", "same");
  ASSERT_TRUE(same.is_ok());
  EXPECT_EQ(same->body["n"], 9);
  EXPECT_EQ(same->version, 1);  // one put reached the store
  EXPECT_EQ(writer.stats().coalesced, 9u);
  EXPECT_EQ(batches_.load(), 1);
}

TEST_F(RepositoryExecutionWriter, ConditionalWritesAreNeverCoalescedAway) {
  ExecutionWriter writer(counting(), options(100, 100));
  writer.pause();
  auto a = writer.submit_durable(put("doc", {{"n", 1}}, 0));
  auto b = writer.submit_durable(put("doc", {{"n", 2}}, 1));
  auto c = writer.submit_durable(put("doc", {{"n", 3}}));
  writer.resume();
  EXPECT_TRUE(a.get().is_ok());
  EXPECT_TRUE(b.get().is_ok());
  EXPECT_TRUE(c.get().is_ok());
  EXPECT_EQ(store_->get("executions", "doc")->version, 3);
  EXPECT_EQ(store_->get("executions", "doc")->body["n"], 3);
}

TEST_F(RepositoryExecutionWriter, OneBadWriteFailsAloneAndTheOthersCommit) {
  ASSERT_TRUE(store_->write({{"writes", Json::array({put("exists")})}}).is_ok());
  ExecutionWriter writer(counting(), options(100, 100));
  writer.pause();
  std::vector<std::future<Status>> good;
  for (int i = 0; i < 5; ++i) good.push_back(writer.submit_durable(put("g" + std::to_string(i))));
  auto bad = writer.submit_durable(put("exists", {{"n", 1}}, 0));  // must not exist: it does
  for (int i = 5; i < 10; ++i) good.push_back(writer.submit_durable(put("g" + std::to_string(i))));
  writer.resume();
  auto bad_status = bad.get();
  EXPECT_EQ(bad_status.code(), Code::kConflict) << bad_status.to_string();
  for (auto& f : good) EXPECT_TRUE(f.get().is_ok());
  EXPECT_EQ(count(), 11);
  EXPECT_EQ(store_->get("executions", "exists")->version, 1);
  EXPECT_EQ(writer.stats().failed, 1u);
  EXPECT_EQ(writer.stats().committed, 10u);
}

TEST_F(RepositoryExecutionWriter, AFullQueueBlocksThenRefusesWithUnavailable) {
  ExecutionWriter writer(counting(), options(4, 2));
  writer.pause();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(writer.submit(put("q" + std::to_string(i))).is_ok());
  Status refused = writer.submit(put("q4"), {}, std::chrono::milliseconds(20));
  EXPECT_EQ(refused.code(), Code::kUnavailable) << refused.to_string();
  EXPECT_NE(refused.message().find("queue is full"), std::string::npos);
  EXPECT_EQ(writer.stats().rejected, 1u);

  // A submitter willing to wait gets in once the writer makes room.
  auto waiting = std::async(std::launch::async, [&] {
    return writer.submit(put("q5"), {}, std::chrono::minutes(5));
  });
  writer.resume();
  EXPECT_TRUE(waiting.get().is_ok());
  writer.flush();
  EXPECT_EQ(count(), 5);
  EXPECT_EQ(store_->get("executions", "q4").status().code(), Code::kNotFound);
}

TEST_F(RepositoryExecutionWriter, MalformedWritesAreRefusedAtSubmit) {
  ExecutionWriter writer(counting(), options(10, 10));
  EXPECT_EQ(writer.submit(Json::array()).code(), Code::kInvalid);
  EXPECT_EQ(writer.submit({{"op", "put"}, {"collection", "executions"}}).code(), Code::kInvalid);
  EXPECT_EQ(writer.submit({{"op", "merge"}, {"collection", "executions"}, {"id", "x"}}).code(), Code::kInvalid);
  auto f = writer.submit_durable({{"op", "put"}, {"id", "x"}});
  EXPECT_EQ(f.get().code(), Code::kInvalid);
}

TEST_F(RepositoryExecutionWriter, AnUnavailableStoreIsRetriedInOrder) {
  std::atomic<int> failures_left{3};
  auto options_ = options(100, 1);  // one write per batch, so order spans batches
  options_.retry_initial = std::chrono::milliseconds(1);
  ExecutionWriter writer(
      [&](const Json& batch) -> Result<std::vector<int64_t>> {
        if (failures_left.fetch_sub(1) > 0) return Status::unavailable("database restarting");
        return store_->write(batch);
      },
      options_);
  // Each write expects the version the previous one made: out of order, they would conflict.
  std::vector<std::future<Status>> done;
  for (int v = 0; v < 5; ++v) done.push_back(writer.submit_durable(put("seq", {{"n", v}}, v)));
  for (auto& f : done) EXPECT_TRUE(f.get().is_ok());
  EXPECT_EQ(store_->get("executions", "seq")->version, 5);
  EXPECT_EQ(writer.stats().retries, 3u);
}

TEST_F(RepositoryExecutionWriter, AStoreDownForLongerThanRetryForFailsTheWaiters) {
  auto options_ = options(100, 10);
  options_.retry_initial = std::chrono::milliseconds(1);
  options_.retry_for = std::chrono::milliseconds(20);
  std::atomic<bool> down{true};
  ExecutionWriter writer(
      [&](const Json& batch) -> Result<std::vector<int64_t>> {
        if (down) return Status::unavailable("connection refused");
        return store_->write(batch);
      },
      options_);
  auto lost = writer.submit_durable(put("lost"));
  Status st = lost.get();
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("connection refused"), std::string::npos);
  down = false;
  EXPECT_TRUE(writer.submit_durable(put("later")).get().is_ok());
  EXPECT_TRUE(store_->get("executions", "later").is_ok());
}

TEST_F(RepositoryExecutionWriter, FlushAndTheDestructorDrainTheQueue) {
  auto writer = std::make_unique<ExecutionWriter>(*store_, options(1000, 50));
  for (int i = 0; i < 120; ++i) ASSERT_TRUE(writer->submit(put("f" + std::to_string(i))).is_ok());
  writer->flush();
  EXPECT_EQ(count(), 120);
  writer->pause();
  std::atomic<int> told{0};
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(writer->submit(put("d" + std::to_string(i)), [&](const Status& s) { if (s) ++told; }).is_ok());
  EXPECT_EQ(count(), 120);  // paused: nothing more reached the store
  // The destructor resumes and drains, telling every waiter.
  writer.reset();
  EXPECT_EQ(told.load(), 300);
  EXPECT_EQ(count(), 420);
}

TEST_F(RepositoryExecutionWriter, OptionsComeFromTheConfiguration) {
  Config config;
  auto o = ExecutionWriter::Options::from_config(config);
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(o->queue_size, 10000u);
  EXPECT_EQ(o->batch_size, 500u);
  ASSERT_TRUE(config.set("executions.writer.batchSize", 20000, "test").is_ok());
  auto bad = ExecutionWriter::Options::from_config(config);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("executions.writer.batchSize"), std::string::npos);
}

}  // namespace
}  // namespace weft::contract
