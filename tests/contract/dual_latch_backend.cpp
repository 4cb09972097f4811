// A storage backend for the DualBackend tests, `dual-test-latch`: the memory backend's store,
// whose next get or write a test can hold at a chosen point, so that a dual store's calls meet
// in an order that is otherwise a matter of luck. Built as a plugin of its own, never installed.
//
// Every store of this backend in the process shares one latch, driven by admin requests on any
// of them:
//   {"op": "holdNextGet"}    the next get that finds its document waits before returning it
//   {"op": "holdNextWrite"}  the next write waits before it is applied
//   {"op": "awaitHeld"}      waits until the call armed for is waiting
//   {"op": "release"}        lets it go on
// A wait longer than 30 s fails with WEFT_ERR_TIMEOUT rather than hang the test.
#include "memory_store.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace {

using namespace std::chrono_literals;
using weft::Context;
using weft::OwnedValue;
using weft::Value;

class Latch {
 public:
  enum class Point { kNone, kGet, kWrite };

  void arm(Point point) {
    std::lock_guard lock(mutex_);
    armed_ = point;
    held_ = false;
    released_ = false;
  }
  // Waits here when armed for `point` (once per arming).
  void pass(Point point) {
    std::unique_lock lock(mutex_);
    if (armed_ != point) return;
    armed_ = Point::kNone;
    held_ = true;
    changed_.notify_all();
    if (!changed_.wait_for(lock, 30s, [&] { return released_; }))
      throw weft::Error(WEFT_ERR_TIMEOUT, "dual-test-latch: held for 30 s without a release");
  }
  void await_held() {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 30s, [&] { return held_; }))
      throw weft::Error(WEFT_ERR_TIMEOUT, "dual-test-latch: no call reached the latch in 30 s");
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  Point armed_ = Point::kNone;
  bool held_ = false;
  bool released_ = false;
};

Latch& latch() {
  static Latch instance;
  return instance;
}

class LatchStore : public weft::storage::MemoryStore {
 public:
  using MemoryStore::MemoryStore;

  OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) override {
    OwnedValue record = MemoryStore::get(ctx, collection, id);
    latch().pass(Latch::Point::kGet);
    return record;
  }
  OwnedValue write(Context& ctx, Value batch) override {
    latch().pass(Latch::Point::kWrite);
    return MemoryStore::write(ctx, batch);
  }
  OwnedValue admin(Context& ctx, Value request) override {
    std::string_view op = request["op"].is_string() ? request["op"].as_string() : "";
    if (op == "holdNextGet") {
      latch().arm(Latch::Point::kGet);
    } else if (op == "holdNextWrite") {
      latch().arm(Latch::Point::kWrite);
    } else if (op == "awaitHeld") {
      latch().await_held();
    } else if (op == "release") {
      latch().release();
    } else {
      return MemoryStore::admin(ctx, request);
    }
    return ctx.object();
  }
};

}  // namespace

WEFT_PLUGIN("weft-test-dual-latch", "0.1.0") {
  registry.add_storage<LatchStore>("dual-test-latch", R"({
    "displayName": "Dual test latch",
    "description": "The memory store with a latch on its next get or write; for the DualBackend tests only.",
    "durable": false,
    "config": []
  })");
}
