// What a Storage reports about each call it passes to its backend: the server counts and times
// them (Prometheus metrics); a tracer can time them the same way. Kept free of any metrics
// library so that the runtime depends on none.
#pragma once

#include <weft/runtime/status.hpp>

#include <chrono>
#include <string_view>

namespace weft {

// One finished call of a storage backend.
struct StorageCall {
  std::string_view backend;  // the backend's name: "sqlite", "postgres", "dual", ...
  std::string_view op;       // get, write, query, claim or admin
  std::chrono::steady_clock::duration duration{};
  Code code = Code::kOk;     // the call's outcome (kNotFound for a get of a missing document)
};

// Receives every call of the Storage it is added to (Storage::add_observer), on the calling
// thread, possibly from many threads at once: an implementation guards its own state. A call
// must return quickly (it delays the storage call's caller) and must not call the Storage
// back. Whatever it throws is caught and dropped by the Storage.
class StorageObserver {
 public:
  virtual ~StorageObserver() = default;
  // A call finished (successfully or not). The string views are valid during the call only.
  virtual void storage_call(const StorageCall& call) = 0;
};

// Whether a call's outcome is a failure of the store itself, rather than an answer about the
// data: a missing document, a version conflict or a refused request are not the store's fault.
inline bool is_storage_failure(Code code) {
  return code != Code::kOk && code != Code::kNotFound && code != Code::kConflict && code != Code::kInvalid;
}

}  // namespace weft
