#include <weft/runtime/storage.hpp>

#include <weft/runtime/plugin_call.hpp>

namespace weft {

namespace {

const weft_value* as_value(const Json& j) { return PluginCall::as_value(j); }

}  // namespace

Storage::Storage(const PluginHost& plugins, const StorageBackendType* type, void* store)
    : plugins_(plugins), type_(type), store_(store) {}

Storage::~Storage() { type_->backend.close(store_); }

Result<std::unique_ptr<Storage>> Storage::open(const PluginHost& plugins, std::string_view backend,
                                               const Json& config) {
  const StorageBackendType* type = plugins.storage_backend(backend);
  if (!type) {
    std::string known;
    for (const auto& b : plugins.storage_backends()) known += (known.empty() ? "" : ", ") + b->name;
    return Status::not_found("unknown storage backend '" + std::string(backend) + "' (available: " +
                             (known.empty() ? "none loaded" : known) + ")");
  }
  PluginCall call(plugins);
  void* store = nullptr;
  weft_status st = type->backend.open(&call, as_value(config), &store);
  if (st != WEFT_OK) {
    Status s = call.status(st, "open");
    return Status(s.code(), "storage backend " + type->name + ": " + s.message());
  }
  return std::unique_ptr<Storage>(new Storage(plugins, type, store));
}

bool Storage::durable() const {
  if (!type_->durable) return false;
  auto stats = admin({{"op", "stats"}});
  if (!stats || !stats->is_object()) return true;
  auto it = stats->find("durable");
  return it == stats->end() || !it->is_boolean() || it->get<bool>();
}

Record Storage::record_from_json(Json j) {
  Record r;
  if (!j.is_object()) return r;
  if (auto it = j.find("id"); it != j.end() && it->is_string()) r.id = it->get<std::string>();
  if (auto it = j.find("version"); it != j.end() && it->is_number_integer())
    r.version = it->get<int64_t>();
  if (auto it = j.find("body"); it != j.end()) r.body = std::move(*it);
  if (auto it = j.find("index"); it != j.end() && it->is_object()) r.index = std::move(*it);
  return r;
}

void Storage::observe(const char* op, std::chrono::steady_clock::time_point start, Code code) const {
  if (observers_.empty()) return;
  StorageCall c{type_->name, op, std::chrono::steady_clock::now() - start, code};
  for (StorageObserver* o : observers_) {
    try {
      o->storage_call(c);
    } catch (...) {
      // An observer's failure must not fail the store's caller.
    }
  }
}

Result<Record> Storage::get(std::string_view collection, std::string_view id) const {
  const auto start = std::chrono::steady_clock::now();
  PluginCall call(plugins_);
  weft_value* out = nullptr;
  weft_status st = type_->backend.get(store_, &call, to_weft_str(collection), to_weft_str(id), &out);
  if (st != WEFT_OK) {
    Status s = call.status(st, "get");
    observe("get", start, s.code());
    return s;
  }
  observe("get", start, Code::kOk);
  return record_from_json(call.take(out));
}

Result<std::vector<int64_t>> Storage::write(const Json& batch) const {
  auto result = call(type_->backend.write, batch, "write");
  if (!result) return result.status();
  std::vector<int64_t> versions;
  if (result->is_object() && result->contains("versions") && (*result)["versions"].is_array())
    for (const auto& v : (*result)["versions"]) versions.push_back(v.is_number() ? v.get<int64_t>() : 0);
  return versions;
}

Result<Json> Storage::call(StoreFn fn, const Json& request, const char* what) const {
  const auto start = std::chrono::steady_clock::now();
  PluginCall ctx(plugins_);
  weft_value* out = nullptr;
  weft_status st = fn(store_, &ctx, as_value(request), &out);
  if (st != WEFT_OK) {
    Status s = ctx.status(st, what);
    observe(what, start, s.code());
    return s;
  }
  observe(what, start, Code::kOk);
  return ctx.take(out);
}

Result<Json> Storage::query(const Json& query) const {
  return call(type_->backend.query, query, "query");
}

Result<Json> Storage::claim(const Json& request) const {
  return call(type_->backend.claim, request, "claim");
}

Result<Json> Storage::admin(const Json& request) const {
  return call(type_->backend.admin, request, "admin");
}

}  // namespace weft
