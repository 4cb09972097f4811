// The context of one call from the host into a plugin's service (a storage backend, an auth
// provider): it records the plugin's failure message, owns the values the plugin builds, and
// lets one backend reach another registered one (the dual backend wraps a database backend).
#pragma once

#include <weft/host/context.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/status.hpp>

#include <iostream>

namespace weft {

class PluginCall : public weft_ctx {
 public:
  // OWNERSHIP: `plugins` is borrowed and must outlive the call.
  explicit PluginCall(const PluginHost& plugins) : plugins_(plugins) {}

  const weft_storage_backend* storage_backend(std::string_view name) override {
    const StorageBackendType* t = plugins_.storage_backend(name);
    return t ? &t->backend : nullptr;
  }

  // Warnings and errors a service plugin logs (the dual backend's "nothing is durable") reach
  // the admin on stderr; debug and info lines are dropped.
  void log(weft_log_level level, std::string_view message) override {
    if (level < WEFT_LOG_WARN) return;
    std::cerr << "weft: " << (level == WEFT_LOG_WARN ? "warning: " : "error: ") << message << "\n";
  }

  // The status of a finished call: OK for WEFT_OK, else the code with the plugin's recorded
  // message (or "<what> failed" when it recorded none).
  Status status(weft_status code, const char* what) const {
    if (code == WEFT_OK) return Status::ok();
    Code c = (code >= WEFT_ERR_INVALID && code <= WEFT_ERR_NODE) ? static_cast<Code>(code)
                                                                   : Code::kInternal;
    return Status(c, error_message.empty() ? std::string(what) + " failed" : error_message);
  }

  // Takes a result value the plugin built in this call (null when it built none).
  Json take(weft_value* v) {
    if (!v) return nullptr;
    return std::move(*reinterpret_cast<Json*>(v));
  }

  // A host JSON value as the ABI passes it. OWNERSHIP: borrowed from `j`.
  static const weft_value* as_value(const Json& j) {
    return reinterpret_cast<const weft_value*>(&j);
  }

 private:
  const PluginHost& plugins_;
};

}  // namespace weft
