// The event bus: one order per execution, bounded queues that drop and mark overflow without
// blocking the publisher, unsubscribe, and publishing from many threads at once.
#include <weft/runtime/events/event_bus.hpp>
#include <weft/runtime/events/execution_events.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

namespace weft::events {
namespace {

Event execution_event(EventType type, const std::string& execution, const std::string& node = "") {
  Event e;
  e.type = type;
  e.workflow_id = "w1";
  e.execution_id = execution;
  e.node_id = node;
  return e;
}

TEST(EventBus, DeliversAnExecutionsEventsInPublishingOrder) {
  EventBus bus;
  auto a = bus.subscribe(100);
  auto b = bus.subscribe(100);
  ExecutionEventPublisher pub(bus);
  const std::string id = "e1";
  const std::string mode = "api";
  Items input;
  pub.execution_started(ExecutionStarted{id, std::string("w1"), 3, mode, 1000, input});
  const std::string n1 = "n1", type = "weft.noop";
  pub.node_started(NodeStarted{id, n1, type, 1001});
  NodeRun run;
  run.node_id = "n1";
  run.type = "weft.noop";
  run.status = NodeStatus::kSucceeded;
  run.tries = 1;
  run.duration_us = 2500;
  run.items_in = {2};
  run.output = {{make_item(Json{{"x", 1}}), make_item(Json{{"x", 2}})}};
  pub.node_finished(id, run);
  ExecutionResult result;
  result.id = id;
  result.workflow_id = "w1";
  result.workflow_version = 3;
  result.status = ExecutionStatus::kSucceeded;
  result.started_at_ms = 1000;
  result.finished_at_ms = 1010;
  pub.execution_finished(result);

  for (auto& s : {a, b}) {
    auto got = s->drain();
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(got[0]->type, EventType::kExecutionStarted);
    EXPECT_EQ(got[1]->type, EventType::kExecutionNodeStarted);
    EXPECT_EQ(got[2]->type, EventType::kExecutionNodeCompleted);
    EXPECT_EQ(got[3]->type, EventType::kExecutionCompleted);
    for (size_t i = 1; i < got.size(); ++i) EXPECT_LT(got[i - 1]->sequence, got[i]->sequence);
    Json done = event_data(*got[2], false);
    EXPECT_EQ(done["nodeId"], "n1");
    EXPECT_EQ(done["nodeType"], "weft.noop");
    EXPECT_EQ(done["itemsIn"], Json::array({2}));
    EXPECT_EQ(done["itemsOut"], Json::array({2}));
    EXPECT_EQ(done["durationMs"], 2);
    EXPECT_EQ(done["workflowVersion"], 3);
    EXPECT_FALSE(done.contains("output"));
    EXPECT_EQ(event_data(*got[2], true)["output"][0][1]["x"], 2);
    EXPECT_EQ(event_data(*got[3], false)["durationMs"], 10);
    EXPECT_FALSE(s->overflowed());
  }
}

TEST(EventBus, AFullQueueDropsForThatSubscriberOnlyAndMarksIt) {
  EventBus bus;
  auto small = bus.subscribe(3);
  auto large = bus.subscribe(100);
  for (int i = 0; i < 10; ++i) bus.publish(execution_event(EventType::kExecutionQueued, "e" + std::to_string(i)));
  EXPECT_TRUE(small->overflowed());
  EXPECT_EQ(small->dropped(), 7u);
  auto kept = small->drain();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0]->execution_id, "e0");  // the oldest stay; the newest are dropped
  EXPECT_EQ(kept[2]->execution_id, "e2");
  EXPECT_FALSE(large->overflowed());
  EXPECT_EQ(large->size(), 10u);
  // Draining makes room again, but the overflow stays known.
  bus.publish(execution_event(EventType::kExecutionQueued, "e10"));
  EXPECT_EQ(small->size(), 1u);
  EXPECT_TRUE(small->overflowed());
}

TEST(EventBus, UnsubscribeStopsDeliveryAndKeepsWhatWasQueued) {
  EventBus bus;
  int notified = 0;
  auto s = bus.subscribe(10, [&] { ++notified; });
  bus.publish(execution_event(EventType::kExecutionQueued, "e1"));
  EXPECT_EQ(notified, 1);
  bus.unsubscribe(s);
  bus.unsubscribe(s);  // idempotent
  EXPECT_EQ(bus.subscribers(), 0u);
  bus.publish(execution_event(EventType::kExecutionQueued, "e2"));
  EXPECT_EQ(notified, 1);
  auto got = s->drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->execution_id, "e1");
  EXPECT_EQ(bus.published(), 2u);
}

TEST(EventBus, ManyThreadsPublishAndEachThreadsOrderHolds) {
  EventBus bus;
  constexpr int kThreads = 8, kPerThread = 2000;
  auto all = bus.subscribe(kThreads * kPerThread);
  auto tiny = bus.subscribe(16);
  std::atomic<int> notified{0};
  auto counted = bus.subscribe(kThreads * kPerThread, [&] { notified.fetch_add(1); });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Event e = execution_event(EventType::kExecutionNodeCompleted, "exec" + std::to_string(t), std::to_string(i));
        bus.publish(std::move(e));
      }
    });
  for (auto& th : threads) th.join();
  auto got = all->drain();
  ASSERT_EQ(got.size(), size_t(kThreads * kPerThread));
  EXPECT_EQ(notified.load(), 1) << "told once, when its queue stopped being empty";
  std::map<std::string, int> next;
  uint64_t last_sequence = 0;
  for (const auto& e : got) {
    EXPECT_GT(e->sequence, last_sequence);
    last_sequence = e->sequence;
    EXPECT_EQ(std::stoi(e->node_id), next[e->execution_id]++) << e->execution_id;
  }
  EXPECT_EQ(tiny->size(), 16u);
  EXPECT_EQ(tiny->dropped(), uint64_t(kThreads * kPerThread - 16));
  EXPECT_EQ(counted->size(), size_t(kThreads * kPerThread));
}

TEST(EventBus, ASubscriberIsToldWhenItsQueueStopsBeingEmpty) {
  EventBus bus;
  int notified = 0;
  auto s = bus.subscribe(8, [&] { ++notified; });
  bus.publish(execution_event(EventType::kExecutionStarted, "e1", ""));
  bus.publish(execution_event(EventType::kExecutionCompleted, "e1", ""));
  EXPECT_EQ(notified, 1);
  EXPECT_EQ(s->drain().size(), 2u);
  bus.publish(execution_event(EventType::kExecutionStarted, "e2", ""));
  EXPECT_EQ(notified, 2);
}

TEST(EventBus, InterestDecidesWhatIsPublishedAndWhetherOutputIsWanted) {
  EventBus bus;
  EXPECT_FALSE(bus.wanted()) << "no subscriber";
  auto s = bus.subscribe(8);
  EXPECT_TRUE(bus.wanted());
  EXPECT_TRUE(bus.output_wanted());
  s->set_interest(false, true);  // wanting no events wants no output either
  EXPECT_FALSE(bus.wanted());
  EXPECT_FALSE(bus.output_wanted());
  bus.publish(execution_event(EventType::kExecutionStarted, "e1", ""));
  EXPECT_EQ(s->size(), 0u) << "an uninterested subscriber gets nothing";
  s->set_interest(true, false);
  EXPECT_TRUE(bus.wanted());
  EXPECT_FALSE(bus.output_wanted());
  bus.publish(execution_event(EventType::kExecutionStarted, "e2", ""));
  EXPECT_EQ(s->size(), 1u);

  // The execution publisher leaves the output out when nobody asked for it...
  ExecutionEventPublisher pub(bus);
  NodeRun run;
  run.node_id = "n1";
  run.type = "weft.noop";
  run.status = NodeStatus::kSucceeded;
  run.output = {{make_item(Json{{"x", 1}})}};
  pub.node_finished("e2", run);
  auto got = s->drain();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1]->output, nullptr);
  EXPECT_EQ(event_data(*got[1], true)["itemsOut"], Json::array({1}));
  // ...and publishes nothing at all when nobody wants events.
  s->set_interest(false, false);
  pub.node_finished("e2", run);
  EXPECT_EQ(s->size(), 0u);
  EXPECT_EQ(bus.published(), 3u) << "e1 (offered to nobody), e2 and the first node event; not the second";
}

}  // namespace
}  // namespace weft::events
