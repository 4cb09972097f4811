// A span per storage call: the StorageObserver that turns each finished call into a CLIENT span
// "storage <op>" (attributes db.system = the backend, weft.storage.operation) under the calling
// thread's current span. Calls made outside any span (a schedule's poll, a background write)
// are not traced: they would each start a trace of their own.
#pragma once

#include <weft/runtime/storage_observer.hpp>
#include <weft/runtime/tracing/tracer.hpp>

namespace weft::tracing {

class StorageTracing final : public StorageObserver {
 public:
  // OWNERSHIP: `tracer` is borrowed and must outlive the observer.
  explicit StorageTracing(const Tracer& tracer) : tracer_(tracer) {}
  void storage_call(const StorageCall& call) override;

 private:
  const Tracer& tracer_;
};

}  // namespace weft::tracing
