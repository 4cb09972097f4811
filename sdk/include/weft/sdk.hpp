// weft SDK: the C++ layer over weft/abi.h for plugin authors. Header-only.
//
//   #include <weft/sdk.hpp>
//
//   class Upper : public weft::Node {
//    public:
//     weft::Result execute(weft::Context& ctx) override {
//       for (size_t i = 0; i < ctx.input_count(0); ++i) {
//         weft::OwnedValue item = ctx.clone(ctx.input(0, i));
//         item.set("name", ctx.param_string("text", i));
//         ctx.emit(0, std::move(item));
//       }
//       return weft::Result::ok();
//     }
//   };
//
//   WEFT_PLUGIN("acme-upper", "1.0.0") {
//     registry.add_node<Upper>("acme.upper", 1, R"({"displayName":"Upper", ...})");
//   }
//
// Every exception thrown by node code is caught at the boundary and becomes the node's error.
// Host calls that fail throw weft::Error; the thunks turn it back into a status code.
#pragma once

#include <weft/abi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef WEFT_PLUGIN_BUILD_ID
#define WEFT_PLUGIN_BUILD_ID "unknown"
#endif

namespace weft {

namespace detail {
// The host table of this plugin; set by init before any other call. One per shared object.
inline const weft_host* g_host = nullptr;
inline weft_str S(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view V(weft_str s) { return {s.ptr ? s.ptr : "", s.len}; }
}  // namespace detail

inline const weft_host& host() { return *detail::g_host; }

// An error with a status code. Thrown by SDK calls whose host call failed (the host has then
// already recorded its reason: `recorded` is true) and throwable by node code.
class Error : public std::exception {
 public:
  Error(weft_status code, std::string message, bool recorded = false)
      : code_(code), message_(std::move(message)), recorded_(recorded) {}
  weft_status code() const noexcept { return code_; }
  const char* what() const noexcept override { return message_.c_str(); }
  bool recorded() const noexcept { return recorded_; }

 private:
  weft_status code_;
  std::string message_;
  bool recorded_;
};

// The outcome of a node call.
class Result {
 public:
  static Result ok() { return Result(WEFT_OK, {}); }
  static Result error(weft_status code, std::string message) {
    return Result(code, std::move(message));
  }
  bool is_ok() const { return code_ == WEFT_OK; }
  weft_status code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Result(weft_status code, std::string message) : code_(code), message_(std::move(message)) {}
  weft_status code_;
  std::string message_;
};

// A read-only view of a host value, valid until the call that produced it returns. A view of a
// missing value (absent key, index out of range) is valid and reads as null.
class Value {
 public:
  Value() = default;
  explicit Value(const weft_value* v) : v_(v) {}

  bool exists() const { return v_ != nullptr; }
  weft_value_type type() const { return host().value_type(v_); }
  bool is_null() const { return type() == WEFT_NULL; }
  bool is_bool() const { return type() == WEFT_BOOL; }
  bool is_number() const { return type() == WEFT_INT || type() == WEFT_DOUBLE; }
  bool is_int() const { return type() == WEFT_INT; }
  bool is_string() const { return type() == WEFT_STRING; }
  bool is_array() const { return type() == WEFT_ARRAY; }
  bool is_object() const { return type() == WEFT_OBJECT; }

  bool as_bool() const { return host().value_bool(v_) != 0; }
  int64_t as_int() const { return host().value_int(v_); }
  double as_double() const { return host().value_double(v_); }
  std::string_view as_string() const { return detail::V(host().value_string(v_)); }

  // Array length or number of object members; 0 for scalars.
  size_t size() const { return host().value_size(v_); }
  Value operator[](std::string_view key) const {
    return Value(host().object_get(v_, detail::S(key)));
  }
  Value operator[](size_t index) const { return Value(host().array_at(v_, index)); }
  Value at(size_t index) const { return (*this)[index]; }
  bool has(std::string_view key) const { return host().object_get(v_, detail::S(key)) != nullptr; }
  std::string_view key_at(size_t index) const {
    return detail::V(host().object_key_at(v_, index));
  }
  Value value_at(size_t index) const { return Value(host().object_value_at(v_, index)); }

  // Follows a dotted path ("a.b.0.c"); array elements by decimal index.
  Value path(std::string_view dotted) const {
    Value cur = *this;
    while (!dotted.empty() && cur.exists()) {
      size_t dot = dotted.find('.');
      std::string_view part = dotted.substr(0, dot);
      if (cur.is_array()) {
        size_t idx = 0;
        bool digits = !part.empty();
        for (char c : part) {
          if (c < '0' || c > '9') { digits = false; break; }
          idx = idx * 10 + size_t(c - '0');
        }
        cur = digits ? cur[idx] : Value();
      } else {
        cur = cur[part];
      }
      dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
    }
    return cur;
  }

  const weft_value* raw() const { return v_; }

 private:
  const weft_value* v_ = nullptr;
};

// The name of a value's type for messages: null, boolean, number, string, array, object
// ("missing" for a view of nothing).
inline std::string_view type_name(Value v) {
  if (!v.exists()) return "missing";
  switch (v.type()) {
    case WEFT_BOOL: return "boolean";
    case WEFT_INT:
    case WEFT_DOUBLE: return "number";
    case WEFT_STRING: return "string";
    case WEFT_ARRAY: return "array";
    case WEFT_OBJECT: return "object";
    default: return "null";
  }
}

// "item 3: " for a per-item message, nothing for item < 0 (a value not tied to an item).
inline std::string item_prefix(int64_t item) {
  return item < 0 ? std::string() : "item " + std::to_string(item) + ": ";
}

// Deep equality of two values; numbers compare by value (1 == 1.0).
inline bool equals(Value a, Value b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case WEFT_NULL: return true;
    case WEFT_BOOL: return a.as_bool() == b.as_bool();
    case WEFT_STRING: return a.as_string() == b.as_string();
    case WEFT_ARRAY:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!equals(a[i], b[i])) return false;
      return true;
    case WEFT_OBJECT:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        Value other = b[a.key_at(i)];
        if (!other.exists() || !equals(a.value_at(i), other)) return false;
      }
      return true;
    default: return false;
  }
}

// A value built in the current call. Move-only; consumed by set / push / emit. Before it is
// consumed it can be read like a Value and changed in place.
class OwnedValue {
 public:
  OwnedValue() = default;
  OwnedValue(weft_ctx* ctx, weft_value* v) : ctx_(ctx), v_(v) {
    if (!v_) throw Error(WEFT_ERR_INTERNAL, "the host could not allocate a value");
  }
  OwnedValue(OwnedValue&& o) noexcept : ctx_(o.ctx_), v_(std::exchange(o.v_, nullptr)) {}
  OwnedValue& operator=(OwnedValue&& o) noexcept {
    ctx_ = o.ctx_;
    v_ = std::exchange(o.v_, nullptr);
    return *this;
  }
  OwnedValue(const OwnedValue&) = delete;
  OwnedValue& operator=(const OwnedValue&) = delete;

  Value view() const { return Value(v_); }
  Value operator[](std::string_view key) const { return view()[key]; }

  OwnedValue& set(std::string_view key, OwnedValue&& v) {
    check(host().object_set(ctx_, v_, detail::S(key), v.release()));
    return *this;
  }
  OwnedValue& set(std::string_view key, std::string_view s) {
    return set(key, OwnedValue(ctx_, host().new_string(ctx_, detail::S(s))));
  }
  OwnedValue& set(std::string_view key, const char* s) { return set(key, std::string_view(s)); }
  OwnedValue& set(std::string_view key, int64_t i) {
    return set(key, OwnedValue(ctx_, host().new_int(ctx_, i)));
  }
  OwnedValue& set(std::string_view key, int i) { return set(key, int64_t(i)); }
  OwnedValue& set(std::string_view key, double d) {
    return set(key, OwnedValue(ctx_, host().new_double(ctx_, d)));
  }
  OwnedValue& set(std::string_view key, bool b) {
    return set(key, OwnedValue(ctx_, host().new_bool(ctx_, b ? 1 : 0)));
  }
  OwnedValue& set(std::string_view key, Value v) {
    return set(key, OwnedValue(ctx_, host().clone(ctx_, v.raw())));
  }
  // Sets a dotted path ("a.b.c"), creating intermediate objects; replaces non-objects.
  OwnedValue& set_path(std::string_view dotted, OwnedValue&& v) {
    size_t dot = dotted.find('.');
    if (dot == std::string_view::npos) return set(dotted, std::move(v));
    std::string_view head = dotted.substr(0, dot);
    weft_value* child = host().object_get_mut(ctx_, v_, detail::S(head));
    if (!child || host().value_type(child) != WEFT_OBJECT) {
      set(head, OwnedValue(ctx_, host().new_object(ctx_)));
      child = host().object_get_mut(ctx_, v_, detail::S(head));
    }
    OwnedValue borrowed(ctx_, child);
    borrowed.set_path(dotted.substr(dot + 1), std::move(v));
    borrowed.release();  // the child belongs to this object, not to `borrowed`
    return *this;
  }
  // Removes a key; returns whether it was present.
  bool remove(std::string_view key) {
    weft_status st = host().object_remove(ctx_, v_, detail::S(key));
    if (st == WEFT_ERR_NOT_FOUND) return false;
    check(st);
    return true;
  }
  // Removes a dotted path; returns whether it was present.
  bool remove_path(std::string_view dotted) {
    size_t dot = dotted.find('.');
    if (dot == std::string_view::npos) return remove(dotted);
    weft_value* child = host().object_get_mut(ctx_, v_, detail::S(dotted.substr(0, dot)));
    if (!child || host().value_type(child) != WEFT_OBJECT) return false;
    OwnedValue borrowed(ctx_, child);
    bool removed = borrowed.remove_path(dotted.substr(dot + 1));
    borrowed.release();
    return removed;
  }
  OwnedValue& push(OwnedValue&& v) {
    check(host().array_push(ctx_, v_, v.release()));
    return *this;
  }
  OwnedValue& push(Value v) { return push(OwnedValue(ctx_, host().clone(ctx_, v.raw()))); }

  // Gives up the handle (for passing to a consuming host call).
  weft_value* release() { return std::exchange(v_, nullptr); }
  weft_value* raw() const { return v_; }

 private:
  void check(weft_status st) {
    if (st != WEFT_OK) throw Error(st, "value operation failed", true);
  }
  weft_ctx* ctx_ = nullptr;
  weft_value* v_ = nullptr;
};

// An invalid-parameter error: "item 3: parameter 'name' <problem>" (no prefix for item < 0).
inline Error param_error(std::string_view name, int64_t item, std::string_view problem) {
  return Error(WEFT_ERR_INVALID,
               item_prefix(item) + "parameter '" + std::string(name) + "' " + std::string(problem));
}

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  uint32_t timeout_ms = 0;
  bool insecure_skip_verify = false;
};

// A response; its views are valid until the call returns.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
};

// The services of one node call.
class Context {
 public:
  explicit Context(weft_ctx* ctx) : ctx_(ctx) {}

  // -- inputs ------------------------------------------------------------------------
  size_t input_port_count() const { return host().input_port_count(ctx_); }
  size_t input_count(size_t port = 0) const { return host().input_count(ctx_, port); }
  Value input(size_t port, size_t index) const {
    return Value(host().input_item(ctx_, port, index));
  }

  // -- parameters (expressions evaluated against input item `item` of port 0) ----------
  // The parameter, or a view that does not exist() when it is absent and has no default.
  Value param(std::string_view name, int64_t item = -1) const {
    const weft_value* out = nullptr;
    weft_status st = host().param(ctx_, detail::S(name), item, &out);
    if (st == WEFT_ERR_NOT_FOUND) return Value();
    if (st != WEFT_OK) throw Error(st, "parameter " + std::string(name), true);
    return Value(out);
  }
  // A parameter that must be present.
  Value required(std::string_view name, int64_t item = -1) const {
    Value v = param(name, item);
    if (!v.exists() || v.is_null()) throw param_error(name, item, "is required");
    return v;
  }
  std::string param_string(std::string_view name, int64_t item = -1,
                           std::string_view fallback = {}) const {
    Value v = param(name, item);
    if (!v.exists() || v.is_null()) return std::string(fallback);
    if (v.is_string()) return std::string(v.as_string());
    return std::string(to_json(v));
  }
  int64_t param_int(std::string_view name, int64_t item = -1, int64_t fallback = 0) const {
    Value v = param(name, item);
    if (!v.exists() || v.is_null()) return fallback;
    if (!v.is_number()) throw wrong_type(name, item, "a number", v);
    return v.as_int();
  }
  double param_double(std::string_view name, int64_t item = -1, double fallback = 0) const {
    Value v = param(name, item);
    if (!v.exists() || v.is_null()) return fallback;
    if (!v.is_number()) throw wrong_type(name, item, "a number", v);
    return v.as_double();
  }
  bool param_bool(std::string_view name, int64_t item = -1, bool fallback = false) const {
    Value v = param(name, item);
    if (!v.exists() || v.is_null()) return fallback;
    if (!v.is_bool()) throw wrong_type(name, item, "true or false", v);
    return v.as_bool();
  }
  // A condition parameter: true or false, null counting as false (an expression over a missing
  // field yields null). Absent, or of another type, it throws naming the item.
  bool param_condition(std::string_view name, int64_t item) const {
    Value v = param(name, item);
    if (!v.exists()) throw param_error(name, item, "is required");
    if (v.is_null()) return false;
    if (!v.is_bool()) throw wrong_type(name, item, "true or false", v);
    return v.as_bool();
  }
  // A string parameter that must be one of `options` (compared exactly); `fallback` when absent.
  std::string param_enum(std::string_view name, int64_t item,
                         std::initializer_list<std::string_view> options,
                         std::string_view fallback) const {
    Value v = param(name, item);
    if (!v.exists() || v.is_null()) return std::string(fallback);
    std::string list;
    for (std::string_view o : options) {
      if (v.is_string() && v.as_string() == o) return std::string(o);
      list += (list.empty() ? "" : ", ") + std::string(o);
    }
    std::string got = v.is_string() ? "'" + std::string(v.as_string()) + "'"
                                     : std::string(type_name(v));
    throw param_error(name, item, "must be one of " + list + "; got " + got);
  }

  // -- building values ---------------------------------------------------------------
  OwnedValue object() const { return OwnedValue(ctx_, host().new_object(ctx_)); }
  OwnedValue array() const { return OwnedValue(ctx_, host().new_array(ctx_)); }
  OwnedValue null() const { return OwnedValue(ctx_, host().new_null(ctx_)); }
  OwnedValue string(std::string_view s) const {
    return OwnedValue(ctx_, host().new_string(ctx_, detail::S(s)));
  }
  OwnedValue integer(int64_t i) const { return OwnedValue(ctx_, host().new_int(ctx_, i)); }
  OwnedValue number(double d) const { return OwnedValue(ctx_, host().new_double(ctx_, d)); }
  OwnedValue boolean(bool b) const { return OwnedValue(ctx_, host().new_bool(ctx_, b)); }
  OwnedValue clone(Value v) const { return OwnedValue(ctx_, host().clone(ctx_, v.raw())); }
  OwnedValue parse_json(std::string_view text) const {
    weft_value* out = nullptr;
    weft_status st = host().parse_json(ctx_, detail::S(text), &out);
    if (st != WEFT_OK) throw Error(st, "invalid JSON", true);
    return OwnedValue(ctx_, out);
  }
  std::string_view to_json(Value v) const { return detail::V(host().to_json(ctx_, v.raw())); }

  // -- outputs -----------------------------------------------------------------------
  void emit(size_t port, OwnedValue&& item) const {
    check(host().emit(ctx_, port, item.release()));
  }
  void forward(size_t out_port, size_t in_port, size_t index) const {
    check(host().forward(ctx_, out_port, in_port, index));
  }
  void set_response(Value response) const { check(host().set_response(ctx_, response.raw())); }

  // -- services ----------------------------------------------------------------------
  void log(weft_log_level level, std::string_view message) const {
    host().log(ctx_, level, detail::S(message));
  }
  void info(std::string_view message) const { log(WEFT_LOG_INFO, message); }
  void warn(std::string_view message) const { log(WEFT_LOG_WARN, message); }
  bool cancelled() const { return host().is_cancelled(ctx_) != 0; }
  // Sleeps; throws weft::Error(CANCELLED or TIMEOUT) when interrupted.
  void sleep_ms(uint64_t ms) const { check(host().sleep_ms(ctx_, ms)); }
  std::string_view traceparent() const { return detail::V(host().traceparent(ctx_)); }

  // Performs an HTTP request through the host; throws weft::Error on transport failure.
  HttpResponse http(const HttpRequest& req) const {
    std::vector<weft_http_header> headers;
    headers.reserve(req.headers.size());
    for (const auto& [k, v] : req.headers) headers.push_back({detail::S(k), detail::S(v)});
    weft_http_request r{};
    r.size = sizeof(r);
    r.method = detail::S(req.method);
    r.url = detail::S(req.url);
    r.headers = headers.data();
    r.header_count = headers.size();
    r.body = detail::S(req.body);
    r.timeout_ms = req.timeout_ms;
    r.flags = req.insecure_skip_verify ? WEFT_HTTP_INSECURE_SKIP_VERIFY : 0u;
    weft_http_response res{};
    res.size = sizeof(res);
    check(host().http_request(ctx_, &r, &res));
    HttpResponse out;
    out.status = res.status;
    for (size_t i = 0; i < res.header_count; ++i)
      out.headers.emplace_back(detail::V(res.headers[i].name), detail::V(res.headers[i].value));
    out.body = detail::V(res.body);
    return out;
  }

  // The credential named by this node's credential parameter `parameter` (declared with
  // "type": "credential" and "credentialTypes"), opened by the host for this call:
  // {"id", "type", "data": {fields, secrets in clear}}. The view is valid until the call
  // returns. Never copy a secret into an emitted item, a log line or an error. Throws
  // weft::Error (the host's reason, which names node and parameter) when the parameter names
  // no credential, the credential is of another type, or access is denied. Needs a host of
  // ABI 1.2.
  Value credential(std::string_view parameter) const {
    const weft_host& h = host();
    if (h.size < offsetof(weft_host, credential) + sizeof(void*) || !h.credential)
      throw Error(WEFT_ERR_UNSUPPORTED, "this weft host predates node credentials (ABI 1.2)");
    const weft_value* out = nullptr;
    check(h.credential(ctx_, detail::S(parameter), &out));
    return Value(out);
  }

  weft_ctx* raw() const { return ctx_; }

 private:
  void check(weft_status st) const {
    if (st != WEFT_OK) throw Error(st, "host call failed", true);
  }
  static Error wrong_type(std::string_view name, int64_t item, std::string_view expected,
                          Value got) {
    return param_error(name, item,
                       "must be " + std::string(expected) + ", got " + std::string(type_name(got)));
  }
  weft_ctx* ctx_;
};

// Base of a node implementation. One instance is created per node per execution, so members
// may hold per-execution state; execute may be called more than once (retries).
class Node {
 public:
  virtual ~Node() = default;
  virtual Result execute(Context& ctx) = 0;
};

namespace detail {

// Converts an escaping exception into a recorded error. Never throws.
inline weft_status fail_from_current_exception(weft_ctx* ctx) noexcept {
  try {
    throw;
  } catch (const Error& e) {
    if (e.recorded()) return e.code();
    return host().fail(ctx, e.code(), S(e.what()));
  } catch (const std::bad_alloc&) {
    return host().fail(ctx, WEFT_ERR_INTERNAL, S("out of memory"));
  } catch (const std::exception& e) {
    return host().fail(ctx, WEFT_ERR_INTERNAL, S(e.what()));
  } catch (...) {
    return host().fail(ctx, WEFT_ERR_INTERNAL, S("unknown exception"));
  }
}

template <class T>
weft_status create_thunk(weft_ctx* ctx, void** instance) {
  try {
    *instance = new T();
    return WEFT_OK;
  } catch (...) {
    return fail_from_current_exception(ctx);
  }
}

template <class T>
weft_status execute_thunk(void* instance, weft_ctx* ctx) {
  try {
    Context c(ctx);
    Result r = static_cast<T*>(instance)->execute(c);
    if (r.is_ok()) return WEFT_OK;
    return host().fail(ctx, r.code(), S(r.message()));
  } catch (...) {
    return fail_from_current_exception(ctx);
  }
}

template <class T>
void destroy_thunk(void* instance) {
  delete static_cast<T*>(instance);
}

}  // namespace detail

// Base of a storage backend's store (see sdk/STORAGE.md for the request and result shapes).
// T derives from Store and has a constructor T(weft::Context&, weft::Value config) that throws
// weft::Error when the store cannot open. Every method may be called from many threads at
// once. Each returns a value built with ctx (e.g. ctx.object()); failures throw weft::Error
// with WEFT_ERR_NOT_FOUND, _CONFLICT, _UNAVAILABLE or _INVALID.
class Store {
 public:
  virtual ~Store() = default;
  virtual OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) = 0;
  virtual OwnedValue write(Context& ctx, Value batch) = 0;
  virtual OwnedValue query(Context& ctx, Value query) = 0;
  virtual OwnedValue claim(Context& ctx, Value request) = 0;
  virtual OwnedValue admin(Context& ctx, Value request) = 0;
};

// A store of another registered storage backend, opened and called through the host, so that
// one backend can wrap another (dual puts a cache in front of sqlite or postgres). Each call
// runs the wrapped backend's function with the caller's context: the values it returns are
// ctx-owned like any value built in the call, and a failure throws weft::Error with the wrapped
// backend's code after that backend has recorded its reason in ctx (recorded() is true, so the
// reason reaches the host unchanged unless the caller fails the call with another one).
// Thread-safe as far as the wrapped backend is (the contract requires it to be).
//
// OWNERSHIP: the wrapped store belongs to this object, which closes it on destruction; the
// caller must make sure no call on it is still running then. The backend table is the host's,
// valid for the life of the process. Move-only.
class BackendStore {
 public:
  BackendStore() = default;
  // Opens backend `backend` with `config` during a storage call (`ctx` of an open, get, ...).
  // Throws WEFT_ERR_NOT_FOUND (not recorded) when no backend of that name is registered, and
  // the backend's own error (recorded) when it cannot open.
  static BackendStore open(Context& ctx, std::string_view backend, Value config) {
    const weft_storage_backend* b = host().storage_backend(ctx.raw(), detail::S(backend));
    if (!b || !b->open || !b->close || !b->get || !b->write || !b->query || !b->claim || !b->admin)
      throw Error(WEFT_ERR_NOT_FOUND,
                  "no storage backend named '" + std::string(backend) + "' is registered");
    void* store = nullptr;
    weft_status st = b->open(ctx.raw(), config.raw(), &store);
    if (st != WEFT_OK)
      throw Error(st, "storage backend " + std::string(backend) + ": open failed", true);
    BackendStore out;
    out.backend_ = b;
    out.store_ = store;
    return out;
  }
  ~BackendStore() {
    if (store_) backend_->close(store_);
  }
  BackendStore(BackendStore&& o) noexcept
      : backend_(o.backend_), store_(std::exchange(o.store_, nullptr)) {}
  BackendStore& operator=(BackendStore&& o) noexcept {
    if (this != &o) {
      if (store_) backend_->close(store_);
      backend_ = o.backend_;
      store_ = std::exchange(o.store_, nullptr);
    }
    return *this;
  }
  BackendStore(const BackendStore&) = delete;
  BackendStore& operator=(const BackendStore&) = delete;

  bool is_open() const { return store_ != nullptr; }

  // The calls of weft::Store, forwarded to the wrapped backend.
  OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) const {
    weft_value* out = nullptr;
    check(backend_->get(store_, ctx.raw(), detail::S(collection), detail::S(id), &out), "get");
    return OwnedValue(ctx.raw(), out);
  }
  OwnedValue write(Context& ctx, Value batch) const {
    return call(ctx, backend_->write, batch, "write");
  }
  OwnedValue query(Context& ctx, Value query) const {
    return call(ctx, backend_->query, query, "query");
  }
  OwnedValue claim(Context& ctx, Value request) const {
    return call(ctx, backend_->claim, request, "claim");
  }
  OwnedValue admin(Context& ctx, Value request) const {
    return call(ctx, backend_->admin, request, "admin");
  }

 private:
  using RequestFn = weft_status (*)(void*, weft_ctx*, const weft_value*, weft_value**);

  OwnedValue call(Context& ctx, RequestFn fn, Value request, const char* what) const {
    weft_value* out = nullptr;
    check(fn(store_, ctx.raw(), request.raw(), &out), what);
    return OwnedValue(ctx.raw(), out);
  }
  static void check(weft_status st, const char* what) {
    if (st != WEFT_OK)
      throw Error(st, std::string("wrapped storage backend: ") + what + " failed", true);
  }

  const weft_storage_backend* backend_ = nullptr;  // OWNERSHIP: the host's, process lifetime
  void* store_ = nullptr;  // OWNERSHIP: the wrapped backend's; closed by ~BackendStore
};

namespace detail {

template <class T>
weft_status open_thunk(weft_ctx* ctx, const weft_value* config, void** store) {
  try {
    Context c(ctx);
    *store = static_cast<Store*>(new T(c, Value(config)));
    return WEFT_OK;
  } catch (...) {
    return fail_from_current_exception(ctx);
  }
}

inline void close_thunk(void* store) { delete static_cast<Store*>(store); }

// Runs one store call, turning exceptions into status codes and the result into *out.
template <class F>
weft_status store_call(weft_ctx* ctx, weft_value** out, F&& f) noexcept {
  try {
    Context c(ctx);
    *out = f(c).release();
    return WEFT_OK;
  } catch (...) {
    return fail_from_current_exception(ctx);
  }
}

}  // namespace detail

// Base of an auth provider's instance (see sdk/AUTH.md for the request, claim and operation
// shapes). T derives from AuthProvider and has a constructor T(weft::Context&, weft::Value config)
// that throws weft::Error when the config is unusable. Every method may be called from many
// threads at once.
class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  // The claim of a request that carries a verified credential of this provider's kind. Throws
  // Error(WEFT_ERR_NOT_FOUND) when the request has none, Error(WEFT_ERR_INVALID) when it has
  // one that does not verify.
  virtual OwnedValue authenticate(Context& ctx, Value request) = 0;
  // A provider-specific operation; the default supports none.
  virtual OwnedValue invoke(Context& /*ctx*/, Value request) {
    throw Error(WEFT_ERR_UNSUPPORTED, "unsupported operation '" +
                                          std::string(request["op"].as_string()) + "'");
  }
};

namespace detail {

template <class T>
weft_status open_auth_thunk(weft_ctx* ctx, const weft_value* config, void** instance) {
  try {
    Context c(ctx);
    *instance = static_cast<AuthProvider*>(new T(c, Value(config)));
    return WEFT_OK;
  } catch (...) {
    return fail_from_current_exception(ctx);
  }
}

inline void close_auth_thunk(void* instance) { delete static_cast<AuthProvider*>(instance); }

}  // namespace detail

// Passed to the WEFT_PLUGIN body: registers what the plugin offers.
class Registry {
 public:
  Registry(const weft_registrar* registrar, weft_ctx* ctx) : registrar_(registrar), ctx_(ctx) {}

  // Registers node class T (default-constructible, derived from weft::Node) as
  // `name`@`type_version`. `description_json` must be static storage (a string literal).
  template <class T>
  void add_node(std::string_view name, uint32_t type_version, std::string_view description_json) {
    weft_node_type t{};
    t.size = sizeof(t);
    t.name = detail::S(name);
    t.type_version = type_version;
    t.description_json = detail::S(description_json);
    t.create = &detail::create_thunk<T>;
    t.execute = &detail::execute_thunk<T>;
    t.destroy = &detail::destroy_thunk<T>;
    weft_status st = registrar_->register_node(ctx_, &t);
    if (st != WEFT_OK) throw Error(st, "register_node failed", true);
  }

  // Registers storage backend `name` implemented by T (see weft::Store).
  // `description_json` must be static storage (a string literal).
  template <class T>
  void add_storage(std::string_view name, std::string_view description_json) {
    weft_storage_backend b{};
    b.size = sizeof(b);
    b.name = detail::S(name);
    b.description_json = detail::S(description_json);
    b.open = &detail::open_thunk<T>;
    b.close = &detail::close_thunk;
    b.get = [](void* s, weft_ctx* ctx, weft_str coll, weft_str id, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<Store*>(s)->get(c, detail::V(coll), detail::V(id));
      });
    };
    b.write = [](void* s, weft_ctx* ctx, const weft_value* batch, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<Store*>(s)->write(c, Value(batch));
      });
    };
    b.query = [](void* s, weft_ctx* ctx, const weft_value* q, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<Store*>(s)->query(c, Value(q));
      });
    };
    b.claim = [](void* s, weft_ctx* ctx, const weft_value* r, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<Store*>(s)->claim(c, Value(r));
      });
    };
    b.admin = [](void* s, weft_ctx* ctx, const weft_value* r, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<Store*>(s)->admin(c, Value(r));
      });
    };
    weft_status st = registrar_->register_storage(ctx_, &b);
    if (st != WEFT_OK) throw Error(st, "register_storage failed", true);
  }

  // Registers auth provider `name` implemented by T (see weft::AuthProvider).
  // `description_json` must be static storage (a string literal). Needs a host of ABI 1.1.
  template <class T>
  void add_auth(std::string_view name, std::string_view description_json) {
    if (registrar_->size < offsetof(weft_registrar, register_auth) + sizeof(void*) ||
        !registrar_->register_auth)
      throw Error(WEFT_ERR_UNSUPPORTED, "this weft host predates auth providers (ABI 1.1)", true);
    weft_auth_provider p{};
    p.size = sizeof(p);
    p.name = detail::S(name);
    p.description_json = detail::S(description_json);
    p.open = &detail::open_auth_thunk<T>;
    p.close = &detail::close_auth_thunk;
    p.authenticate = [](void* i, weft_ctx* ctx, const weft_value* r, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<AuthProvider*>(i)->authenticate(c, Value(r));
      });
    };
    p.invoke = [](void* i, weft_ctx* ctx, const weft_value* r, weft_value** out) {
      return detail::store_call(ctx, out, [&](Context& c) {
        return static_cast<AuthProvider*>(i)->invoke(c, Value(r));
      });
    };
    weft_status st = registrar_->register_auth(ctx_, &p);
    if (st != WEFT_OK) throw Error(st, "register_auth failed", true);
  }

  // Declares a credential type (ABI 1.2): `declaration_json` is
  // {"name", "displayName", "description", "fields": [{"name", "type", "required", "secret",
  // "description", "format"}]} (abi.h, register_credential_type). The host copies it.
  void add_credential_type(std::string_view declaration_json) {
    if (registrar_->size < offsetof(weft_registrar, register_credential_type) + sizeof(void*) ||
        !registrar_->register_credential_type)
      throw Error(WEFT_ERR_UNSUPPORTED, "this weft host predates credential types (ABI 1.2)", true);
    weft_status st = registrar_->register_credential_type(ctx_, detail::S(declaration_json));
    if (st != WEFT_OK) throw Error(st, "register_credential_type failed", true);
  }

  weft_ctx* raw() const { return ctx_; }

 private:
  const weft_registrar* registrar_;
  weft_ctx* ctx_;
};

namespace detail {
inline weft_status run_init(const weft_host* h, const weft_registrar* r, weft_ctx* ctx,
                            void (*body)(Registry&)) noexcept {
  if (!h || h->abi_major != WEFT_ABI_MAJOR) return WEFT_ERR_UNSUPPORTED;
  g_host = h;
  try {
    Registry registry(r, ctx);
    body(registry);
    return WEFT_OK;
  } catch (...) {
    return fail_from_current_exception(ctx);
  }
}
}  // namespace detail

}  // namespace weft

// Defines the plugin's entry symbol. The braces that follow are the body of the registration
// function, with `registry` (a weft::Registry&) in scope.
#define WEFT_PLUGIN(NAME, VERSION)                                                            \
  static void weft_plugin_register_(::weft::Registry& registry);                              \
  static weft_status weft_plugin_init_(const weft_host* h, const weft_registrar* r,           \
                                       weft_ctx* ctx) {                                       \
    return ::weft::detail::run_init(h, r, ctx, &weft_plugin_register_);                       \
  }                                                                                           \
  extern "C" WEFT_EXPORT const weft_plugin_manifest* weft_plugin_v1(void) {                   \
    static const weft_plugin_manifest manifest = {sizeof(weft_plugin_manifest),               \
                                                  WEFT_ABI_MAJOR,                             \
                                                  WEFT_ABI_MINOR,                             \
                                                  NAME,                                       \
                                                  VERSION,                                    \
                                                  WEFT_PLUGIN_BUILD_ID,                       \
                                                  &weft_plugin_init_,                         \
                                                  nullptr};                                   \
    return &manifest;                                                                         \
  }                                                                                           \
  static void weft_plugin_register_([[maybe_unused]] ::weft::Registry& registry)
