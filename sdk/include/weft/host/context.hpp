// Host side of the plugin ABI, for programs that *host* plugins: the weft runtime and the SDK's
// fake host. Plugin code never includes this header (it includes weft/sdk.hpp).
//
// It defines `struct weft_ctx` (opaque to plugins) as an abstract C++ class, and builds the
// `weft_host` function table as thunks onto it. The value functions are implemented here once,
// over nlohmann::ordered_json, so every host shares one value semantics.
#pragma once

#include <weft/abi.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>

namespace weft {

// The host's value representation. Objects keep insertion order.
using Json = nlohmann::ordered_json;

inline std::string_view view(weft_str s) { return {s.ptr ? s.ptr : "", s.len}; }
inline weft_str to_weft_str(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace weft

// The context of one call from the host into a plugin. A host derives one class per kind of
// call (plugin init, node execute, ...) and overrides the services that kind of call offers;
// the defaults answer WEFT_ERR_UNSUPPORTED.
//
// Not thread-safe: a context belongs to the one thread running the call.
struct weft_ctx {
  virtual ~weft_ctx() = default;

  // Values built during this call (stable addresses). Moved-from slots are left as null.
  std::deque<weft::Json> owned_values;
  // Text returned to the plugin by to_json and similar, valid until the call ends.
  std::deque<std::string> owned_text;

  // The error recorded by fail() (the last one wins).
  weft_status error_code = WEFT_OK;
  std::string error_message;

  virtual void log(weft_log_level, std::string_view) {}
  virtual bool cancelled() { return false; }
  // Default: a plain sleep that is never interrupted.
  virtual weft_status sleep_ms(uint64_t ms);

  virtual size_t input_port_count() { return 0; }
  virtual size_t input_count(size_t /*port*/) { return 0; }
  virtual const weft::Json* input_item(size_t /*port*/, size_t /*index*/) { return nullptr; }
  virtual weft_status param(std::string_view /*name*/, int64_t /*item*/,
                            const weft::Json** /*out*/) {
    return unsupported("param");
  }
  virtual weft_status emit(size_t /*port*/, weft::Json&& /*item*/) { return unsupported("emit"); }
  virtual weft_status forward(size_t /*out_port*/, size_t /*in_port*/, size_t /*index*/) {
    return unsupported("forward");
  }
  virtual weft_status set_response(const weft::Json& /*response*/) {
    return unsupported("set_response");
  }
  virtual weft_status http_request(const weft_http_request& /*req*/, weft_http_response& /*res*/) {
    return unsupported("http_request");
  }
  virtual std::string_view traceparent() { return {}; }
  virtual weft_status register_node(const weft_node_type& /*type*/) {
    return unsupported("register_node");
  }
  virtual weft_status register_storage(const weft_storage_backend& /*backend*/) {
    return unsupported("register_storage");
  }
  virtual weft_status register_auth(const weft_auth_provider& /*provider*/) {
    return unsupported("register_auth");
  }
  virtual const weft_storage_backend* storage_backend(std::string_view /*name*/) {
    return nullptr;
  }
  // ABI 1.2: a credential type declared in init (the JSON text, borrowed for the call).
  virtual weft_status register_credential_type(std::string_view /*description_json*/) {
    return unsupported("register_credential_type");
  }
  // ABI 1.2: the credential named by the running node's credential parameter `parameter`, as
  // {"id", "type", "data"}. OWNERSHIP: *out is owned by this context (own()).
  virtual weft_status credential(std::string_view /*parameter*/, const weft::Json** /*out*/) {
    return unsupported("credential");
  }

  // Records an error and returns its code.
  weft_status fail(weft_status code, std::string message) {
    error_code = code;
    error_message = std::move(message);
    return code;
  }

  // A new owned value; its address is stable until the call ends.
  weft::Json* own(weft::Json value) { return &owned_values.emplace_back(std::move(value)); }

 protected:
  weft_status unsupported(const char* what) {
    return fail(WEFT_ERR_UNSUPPORTED, std::string(what) + " is not available in this call");
  }
};

namespace weft::host {

// The host table, filled with thunks onto weft_ctx. Same object for the life of the process.
const weft_host* host_table();

// The registrar table, whose register_node forwards to weft_ctx::register_node.
const weft_registrar* registrar_table();

// Copies min(size, sizeof(T)) bytes of a size-prefixed struct into a zeroed T (the ABI's rule
// for reading structs written by code compiled against another minor version).
template <class T>
T read_sized(const T* in) {
  T out{};
  if (in == nullptr) return out;
  size_t n = in->size < sizeof(T) ? in->size : sizeof(T);
  std::memcpy(static_cast<void*>(&out), static_cast<const void*>(in), n);
  return out;
}

}  // namespace weft::host

// Implementation (header-only so that the fake host needs no library).
#include <weft/host/context_impl.hpp>
