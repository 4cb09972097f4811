// An open store of a storage backend plugin, called through the storage contract
// (sdk/STORAGE.md). Domain repositories are built on this class alone.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/status.hpp>
#include <weft/runtime/storage_observer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

// A document as stored.
struct Record {
  std::string id;
  int64_t version = 0;
  Json body;
  Json index = Json::object();
};

class Storage {
 public:
  // Opens backend `backend` with `config` ({"collections": ..., backend options}). Errors name
  // the backend: an unknown one lists those that are registered.
  static Result<std::unique_ptr<Storage>> open(const PluginHost& plugins, std::string_view backend,
                                               const Json& config);
  // Closes the store. No call may be in progress.
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  const std::string& backend_name() const { return type_->name; }
  // Whether what is written survives the process: false for a backend that says so in its
  // description, and for a store whose `stats` say `"durable": false` right now (the dual
  // backend in memory-only mode).
  bool durable() const;

  // The document, or kNotFound.
  Result<Record> get(std::string_view collection, std::string_view id) const;
  // Applies an atomic batch ({"writes": [...]}); returns the new versions in request order.
  Result<std::vector<int64_t>> write(const Json& batch) const;
  // Runs a query; returns {"items": [...], "nextCursor": ...} (or {"count": n}).
  Result<Json> query(const Json& query) const;
  // Claims jobs; returns {"items": [...]}.
  Result<Json> claim(const Json& request) const;
  // Administration: ping, status, migrate, rollback, stats.
  Result<Json> admin(const Json& request) const;

  // Tells `observer` of every call from now on (storage_observer.hpp). Call before the store
  // is shared between threads (at start); not thread-safe against calls in progress.
  // OWNERSHIP: borrowed; must outlive this store.
  void add_observer(StorageObserver* observer) { observers_.push_back(observer); }

  // Reads a record from its JSON form ({"id","version","body","index"}).
  static Record record_from_json(Json j);

 private:
  using StoreFn = weft_status (*)(void*, weft_ctx*, const weft_value*, weft_value**);

  Storage(const PluginHost& plugins, const StorageBackendType* type, void* store);
  // Runs one request-shaped call of the backend and takes its result.
  Result<Json> call(StoreFn fn, const Json& request, const char* what) const;
  // Tells the observers of a call of `op` begun at `start` that ended with `code`.
  void observe(const char* op, std::chrono::steady_clock::time_point start, Code code) const;

  const PluginHost& plugins_;
  const StorageBackendType* type_;  // OWNERSHIP: the plugin host's, which outlives this store
  void* store_;                     // OWNERSHIP: the plugin's, released by close in ~Storage
  std::vector<StorageObserver*> observers_;  // OWNERSHIP: borrowed
};

}  // namespace weft
