// The counters a store reports through admin {"op": "stats"}.
#pragma once

#include <weft/sdk.hpp>

#include <atomic>
#include <cstdint>

namespace weft::storage {

// Calls served, by kind. Thread-safe.
class Counters {
 public:
  // Runs `call`, counting it as a read (`is_write` false) or a write, or as an error when it
  // throws (the exception propagates).
  template <class F>
  auto count(bool is_write, F&& call) {
    try {
      auto result = call();
      (is_write ? writes_ : reads_).fetch_add(1, std::memory_order_relaxed);
      return result;
    } catch (...) {
      errors_.fetch_add(1, std::memory_order_relaxed);
      throw;
    }
  }

  // {"reads": n, "writes": n, "errors": n}
  OwnedValue value(Context& ctx) const {
    OwnedValue out = ctx.object();
    out.set("reads", int64_t(reads_.load(std::memory_order_relaxed)));
    out.set("writes", int64_t(writes_.load(std::memory_order_relaxed)));
    out.set("errors", int64_t(errors_.load(std::memory_order_relaxed)));
    return out;
  }

 private:
  std::atomic<int64_t> reads_{0};
  std::atomic<int64_t> writes_{0};
  std::atomic<int64_t> errors_{0};
};

}  // namespace weft::storage
