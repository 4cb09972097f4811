// Thunks of the host table onto weft_ctx. Included by weft/host/context.hpp only.
#pragma once

#include <chrono>
#include <exception>
#include <limits>
#include <thread>

inline weft_status weft_ctx::sleep_ms(uint64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return WEFT_OK;
}

namespace weft::host::detail {

inline Json* J(weft_value* v) { return reinterpret_cast<Json*>(v); }
inline const Json* J(const weft_value* v) { return reinterpret_cast<const Json*>(v); }
inline weft_value* V(Json* j) { return reinterpret_cast<weft_value*>(j); }
inline const weft_value* V(const Json* j) { return reinterpret_cast<const weft_value*>(j); }

// No exception may cross the ABI: every thunk that can throw runs inside guard().
template <class F, class R>
R guard(weft_ctx* ctx, R on_error, F&& f) noexcept {
  try {
    return f();
  } catch (const std::exception& e) {
    if (ctx) ctx->fail(WEFT_ERR_INTERNAL, e.what());
  } catch (...) {
    if (ctx) ctx->fail(WEFT_ERR_INTERNAL, "unknown error in the host");
  }
  return on_error;
}

inline weft_value_type value_type(const weft_value* v) {
  if (!v) return WEFT_NULL;
  switch (J(v)->type()) {
    case Json::value_t::boolean: return WEFT_BOOL;
    case Json::value_t::number_integer: return WEFT_INT;
    case Json::value_t::number_unsigned:
      return J(v)->get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()) ? WEFT_INT
                                                                                    : WEFT_DOUBLE;
    case Json::value_t::number_float: return WEFT_DOUBLE;
    case Json::value_t::string: return WEFT_STRING;
    case Json::value_t::array: return WEFT_ARRAY;
    case Json::value_t::object: return WEFT_OBJECT;
    default: return WEFT_NULL;
  }
}

inline int64_t value_int(const weft_value* v) {
  if (!v) return 0;
  const Json& j = *J(v);
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number_float()) {
    double d = j.get<double>();
    if (!(d == d) || d >= 9.2e18 || d <= -9.2e18) return 0;
    return static_cast<int64_t>(d);
  }
  return 0;
}

inline const weft_host* build_table() {
  static weft_host t = [] {
    weft_host h{};
    h.size = sizeof(weft_host);
    h.abi_major = WEFT_ABI_MAJOR;
    h.abi_minor = WEFT_ABI_MINOR;
    h.log = [](weft_ctx* c, weft_log_level l, weft_str m) {
      guard(c, 0, [&] { c->log(l, view(m)); return 0; });
    };
    h.fail = [](weft_ctx* c, weft_status code, weft_str m) -> weft_status {
      if (!c) return code;
      return guard(c, code, [&] { return c->fail(code, std::string(view(m))); });
    };
    h.is_cancelled = [](weft_ctx* c) -> int { return c && c->cancelled() ? 1 : 0; };
    h.sleep_ms = [](weft_ctx* c, uint64_t ms) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&] { return c->sleep_ms(ms); });
    };

    h.value_type = &value_type;
    h.value_bool = [](const weft_value* v) -> int { return v && J(v)->is_boolean() && J(v)->get<bool>(); };
    h.value_int = &value_int;
    h.value_double = [](const weft_value* v) -> double {
      return v && J(v)->is_number() ? J(v)->get<double>() : 0.0;
    };
    h.value_string = [](const weft_value* v) -> weft_str {
      if (!v || !J(v)->is_string()) return {"", 0};
      const auto& s = J(v)->get_ref<const std::string&>();
      return {s.data(), s.size()};
    };
    h.value_size = [](const weft_value* v) -> size_t {
      return v && (J(v)->is_array() || J(v)->is_object()) ? J(v)->size() : 0;
    };
    h.array_at = [](const weft_value* v, size_t i) -> const weft_value* {
      if (!v || !J(v)->is_array() || i >= J(v)->size()) return nullptr;
      return V(&(*J(v))[i]);
    };
    h.object_get = [](const weft_value* v, weft_str key) -> const weft_value* {
      if (!v || !J(v)->is_object()) return nullptr;
      auto it = J(v)->find(view(key));
      return it == J(v)->end() ? nullptr : V(&*it);
    };
    h.object_key_at = [](const weft_value* v, size_t i) -> weft_str {
      if (!v || !J(v)->is_object() || i >= J(v)->size()) return {"", 0};
      // ordered_json's object is a vector of pairs: index access is O(1).
      const auto& members = J(v)->get_ref<const Json::object_t&>();
      const std::string& k = (members.begin() + static_cast<long>(i))->first;
      return {k.data(), k.size()};
    };
    h.object_value_at = [](const weft_value* v, size_t i) -> const weft_value* {
      if (!v || !J(v)->is_object() || i >= J(v)->size()) return nullptr;
      const auto& members = J(v)->get_ref<const Json::object_t&>();
      return V(&(members.begin() + static_cast<long>(i))->second);
    };

    h.new_null = [](weft_ctx* c) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr), [&] { return V(c->own(nullptr)); });
    };
    h.new_bool = [](weft_ctx* c, int b) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr), [&] { return V(c->own(b != 0)); });
    };
    h.new_int = [](weft_ctx* c, int64_t i) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr), [&] { return V(c->own(i)); });
    };
    h.new_double = [](weft_ctx* c, double d) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr), [&] { return V(c->own(d)); });
    };
    h.new_string = [](weft_ctx* c, weft_str s) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr),
                   [&] { return V(c->own(std::string(view(s)))); });
    };
    h.new_array = [](weft_ctx* c) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr), [&] { return V(c->own(Json::array())); });
    };
    h.new_object = [](weft_ctx* c) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr), [&] { return V(c->own(Json::object())); });
    };
    h.clone = [](weft_ctx* c, const weft_value* v) -> weft_value* {
      return guard(c, static_cast<weft_value*>(nullptr),
                   [&] { return V(c->own(v ? *J(v) : Json())); });
    };
    h.object_set = [](weft_ctx* c, weft_value* obj, weft_str key, weft_value* v) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!obj || !J(obj)->is_object() || !v)
          return c->fail(WEFT_ERR_INVALID, "object_set: target is not an object");
        (*J(obj))[std::string(view(key))] = std::move(*J(v));
        return WEFT_OK;
      });
    };
    h.object_remove = [](weft_ctx* c, weft_value* obj, weft_str key) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!obj || !J(obj)->is_object())
          return c->fail(WEFT_ERR_INVALID, "object_remove: target is not an object");
        return J(obj)->erase(std::string(view(key))) ? WEFT_OK : WEFT_ERR_NOT_FOUND;
      });
    };
    h.object_get_mut = [](weft_ctx*, weft_value* obj, weft_str key) -> weft_value* {
      if (!obj || !J(obj)->is_object()) return nullptr;
      auto it = J(obj)->find(view(key));
      return it == J(obj)->end() ? nullptr : V(&*it);
    };
    h.array_push = [](weft_ctx* c, weft_value* arr, weft_value* v) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!arr || !J(arr)->is_array() || !v)
          return c->fail(WEFT_ERR_INVALID, "array_push: target is not an array");
        J(arr)->push_back(std::move(*J(v)));
        return WEFT_OK;
      });
    };
    h.parse_json = [](weft_ctx* c, weft_str text, weft_value** out) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        Json j = Json::parse(view(text), nullptr, false);
        if (j.is_discarded()) return c->fail(WEFT_ERR_INVALID, "parse_json: not valid JSON");
        *out = V(c->own(std::move(j)));
        return WEFT_OK;
      });
    };
    h.to_json = [](weft_ctx* c, const weft_value* v) -> weft_str {
      return guard(c, weft_str{"", 0}, [&] {
        const std::string& s = c->owned_text.emplace_back(
            v ? J(v)->dump(-1, ' ', false, Json::error_handler_t::replace) : "null");
        return weft_str{s.data(), s.size()};
      });
    };

    h.input_port_count = [](weft_ctx* c) -> size_t { return c->input_port_count(); };
    h.input_count = [](weft_ctx* c, size_t port) -> size_t { return c->input_count(port); };
    h.input_item = [](weft_ctx* c, size_t port, size_t i) -> const weft_value* {
      return V(c->input_item(port, i));
    };
    h.param = [](weft_ctx* c, weft_str name, int64_t item, const weft_value** out) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        const Json* j = nullptr;
        weft_status st = c->param(view(name), item, &j);
        if (out) *out = st == WEFT_OK ? V(j) : nullptr;
        return st;
      });
    };
    h.emit = [](weft_ctx* c, size_t port, weft_value* item) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!item) return c->fail(WEFT_ERR_INVALID, "emit: no item");
        return c->emit(port, std::move(*J(item)));
      });
    };
    h.forward = [](weft_ctx* c, size_t out, size_t in, size_t i) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&] { return c->forward(out, in, i); });
    };
    h.set_response = [](weft_ctx* c, const weft_value* v) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!v || !J(v)->is_object())
          return c->fail(WEFT_ERR_INVALID, "set_response: the response must be an object");
        return c->set_response(*J(v));
      });
    };
    h.http_request = [](weft_ctx* c, const weft_http_request* req,
                        weft_http_response* res) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!req || !res) return c->fail(WEFT_ERR_INVALID, "http_request: missing argument");
        weft_http_request r = read_sized(req);
        weft_http_response out{};
        out.size = sizeof(out);
        weft_status st = c->http_request(r, out);
        size_t n = res->size < sizeof(out) ? res->size : sizeof(out);
        uint32_t caller_size = res->size;
        std::memcpy(static_cast<void*>(res), &out, n);
        res->size = caller_size;
        return st;
      });
    };
    h.traceparent = [](weft_ctx* c) -> weft_str { return to_weft_str(c->traceparent()); };
    h.storage_backend = [](weft_ctx* c, weft_str name) -> const weft_storage_backend* {
      return guard(c, static_cast<const weft_storage_backend*>(nullptr),
                   [&] { return c->storage_backend(view(name)); });
    };
    h.credential = [](weft_ctx* c, weft_str parameter, const weft_value** out) -> weft_status {
      return guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!out) return c->fail(WEFT_ERR_INVALID, "credential: no out argument");
        *out = nullptr;
        const Json* j = nullptr;
        weft_status st = c->credential(view(parameter), &j);
        if (st == WEFT_OK) *out = V(j);
        return st;
      });
    };
    return h;
  }();
  return &t;
}

}  // namespace weft::host::detail

namespace weft::host {

inline const weft_host* host_table() { return detail::build_table(); }

inline const weft_registrar* registrar_table() {
  static const weft_registrar r = [] {
    weft_registrar t{};
    t.size = sizeof(t);
    t.register_node = [](weft_ctx* c, const weft_node_type* type) -> weft_status {
      return detail::guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!type) return c->fail(WEFT_ERR_INVALID, "register_node: no node type");
        return c->register_node(read_sized(type));
      });
    };
    t.register_storage = [](weft_ctx* c, const weft_storage_backend* backend) -> weft_status {
      return detail::guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!backend) return c->fail(WEFT_ERR_INVALID, "register_storage: no backend");
        return c->register_storage(read_sized(backend));
      });
    };
    t.register_auth = [](weft_ctx* c, const weft_auth_provider* provider) -> weft_status {
      return detail::guard(c, WEFT_ERR_INTERNAL, [&]() -> weft_status {
        if (!provider) return c->fail(WEFT_ERR_INVALID, "register_auth: no provider");
        return c->register_auth(read_sized(provider));
      });
    };
    t.register_credential_type = [](weft_ctx* c, weft_str description_json) -> weft_status {
      return detail::guard(c, WEFT_ERR_INTERNAL,
                           [&] { return c->register_credential_type(view(description_json)); });
    };
    return t;
  }();
  return &r;
}

}  // namespace weft::host
