#include <weft/runtime/auth_plugin.hpp>

#include <weft/runtime/plugin_call.hpp>

namespace weft {

Result<std::unique_ptr<AuthPlugin>> AuthPlugin::open(const PluginHost& plugins,
                                                     std::string_view name, const Json& config) {
  const AuthProviderType* type = plugins.auth_provider(name);
  if (!type) {
    std::string known;
    for (const auto& p : plugins.auth_providers()) known += (known.empty() ? "" : ", ") + p->name;
    return Status::not_found("unknown auth provider '" + std::string(name) + "' (available: " +
                             (known.empty() ? "none loaded" : known) + ")");
  }
  PluginCall call(plugins);
  void* instance = nullptr;
  weft_status st = type->provider.open(&call, PluginCall::as_value(config), &instance);
  if (st != WEFT_OK) {
    Status s = call.status(st, "open");
    return Status(s.code(), "auth provider " + type->name + ": " + s.message());
  }
  return std::unique_ptr<AuthPlugin>(new AuthPlugin(plugins, type, instance));
}

AuthPlugin::~AuthPlugin() { type_->provider.close(instance_); }

Result<Json> AuthPlugin::authenticate(const Json& request) const {
  PluginCall call(plugins_);
  weft_value* out = nullptr;
  weft_status st =
      type_->provider.authenticate(instance_, &call, PluginCall::as_value(request), &out);
  if (st != WEFT_OK) return call.status(st, "authenticate");
  return call.take(out);
}

Result<Json> AuthPlugin::invoke(const Json& request) const {
  if (!type_->provider.invoke)
    return Status(Code::kUnsupported, "auth provider " + type_->name + " has no operations");
  PluginCall call(plugins_);
  weft_value* out = nullptr;
  weft_status st = type_->provider.invoke(instance_, &call, PluginCall::as_value(request), &out);
  if (st != WEFT_OK) return call.status(st, "invoke");
  return call.take(out);
}

}  // namespace weft
