// A fake host for unit-testing plugins without the weft runtime. Header-only; needs
// nlohmann_json (Debian: nlohmann-json3-dev) and, for FakeHost::open, libdl.
//
//   weft::testing::FakeHost host = weft::testing::FakeHost::open("build/acme_upper.so");
//   weft::testing::NodeCall call;
//   call.inputs = {{ {{"name", "ada"}} }};
//   call.params = {{"text", "ADA"}};
//   ASSERT_EQ(host.run("acme.upper", 1, call), WEFT_OK) << call.error_message;
//   EXPECT_EQ(call.outputs[0][0]["name"], "ADA");
//
// Parameters are literal JSON: the fake host does not evaluate `{{ }}` expressions. A test that
// needs per-item values sets `param_resolver`.
//
// Credentials (ABI 1.2): a node's ctx.credential("credential") answers from `call.credentials`,
// keyed by the credential id the parameter holds; the fake host checks, as weft does, that the
// parameter is declared "type": "credential" and the credential's type is one of its
// "credentialTypes", and records each read in `credential_reads`:
//
//   call.params = {{"authentication", "header"}, {"credential", "c1"}};
//   call.credentials["c1"] = {{"type", "weft.httpHeaderAuth"},
//                             {"data", {{"name", "X-Key"}, {"value", "s3cr3t"}}}};
#pragma once

#include <weft/abi.h>
#include <weft/host/context.hpp>

#include <dlfcn.h>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace weft::testing {

// One node call: fill inputs and params, run, then read outputs / error.
class NodeCall : public weft_ctx {
 public:
  std::vector<std::vector<Json>> inputs;  // per input port
  Json params = Json::object();           // literal parameter values
  // Optional: computes a parameter for an item (return nullopt for absent).
  std::function<std::optional<Json>(std::string_view name, int64_t item)> param_resolver;
  // Optional: answers http_request.
  std::function<weft_status(const weft_http_request&, int& status, std::string& body)> http;
  // Response headers returned with every answer of `http` (the callback may change them).
  std::vector<std::pair<std::string, std::string>> http_response_headers;
  bool cancel = false;
  // Credentials by id: {"type": name, "data": {fields}} (ABI 1.2, ctx.credential).
  std::map<std::string, Json> credentials;
  // Set by FakeHost::run: the running node type's description (for the credential checks).
  Json description = Json::object();
  std::string node_type;

  // Results.
  std::vector<std::vector<Json>> outputs;  // per output port, grown as items arrive
  std::optional<Json> response;
  std::vector<std::pair<weft_log_level, std::string>> logs;
  std::vector<uint64_t> sleeps;
  std::vector<std::string> credential_reads;  // ids, in the order the node read them

  void log(weft_log_level level, std::string_view message) override {
    logs.emplace_back(level, std::string(message));
  }
  bool cancelled() override { return cancel; }
  weft_status sleep_ms(uint64_t ms) override {
    sleeps.push_back(ms);
    return cancel ? fail(WEFT_ERR_CANCELLED, "cancelled") : WEFT_OK;
  }
  size_t input_port_count() override { return inputs.size(); }
  size_t input_count(size_t port) override {
    return port < inputs.size() ? inputs[port].size() : 0;
  }
  const Json* input_item(size_t port, size_t index) override {
    if (port >= inputs.size() || index >= inputs[port].size()) return nullptr;
    return &inputs[port][index];
  }
  weft_status param(std::string_view name, int64_t item, const Json** out) override {
    if (param_resolver) {
      std::optional<Json> v = param_resolver(name, item);
      if (!v) return WEFT_ERR_NOT_FOUND;
      *out = own(std::move(*v));
      return WEFT_OK;
    }
    auto it = params.find(name);
    if (it == params.end()) return WEFT_ERR_NOT_FOUND;
    *out = &*it;
    return WEFT_OK;
  }
  weft_status emit(size_t port, Json&& item) override {
    if (outputs.size() <= port) outputs.resize(port + 1);
    outputs[port].push_back(std::move(item));
    return WEFT_OK;
  }
  weft_status forward(size_t out_port, size_t in_port, size_t index) override {
    const Json* j = input_item(in_port, index);
    if (!j) return fail(WEFT_ERR_INVALID, "forward: no such input item");
    return emit(out_port, Json(*j));
  }
  weft_status set_response(const Json& r) override {
    response = r;
    return WEFT_OK;
  }
  weft_status http_request(const weft_http_request& req, weft_http_response& res) override {
    if (!http) return unsupported("http_request");
    int status = 0;
    std::string& body = owned_text.emplace_back();
    weft_status st = http(req, status, body);
    res.status = status;
    res.body = to_weft_str(body);
    std::vector<weft_http_header>& headers = owned_headers.emplace_back();
    for (const auto& [name, value] : http_response_headers)
      headers.push_back({to_weft_str(owned_text.emplace_back(name)),
                         to_weft_str(owned_text.emplace_back(value))});
    res.headers = headers.data();
    res.header_count = headers.size();
    return st;
  }
  weft_status credential(std::string_view name, const Json** out) override {
    const std::string where = "node " + node_type + ": parameter '" + std::string(name) + "'";
    const Json* spec = nullptr;
    if (description.contains("parameters") && description["parameters"].is_array())
      for (const auto& p : description["parameters"])
        if (p.is_object() && p.value("name", "") == name) spec = &p;
    if (!spec || spec->value("type", "") != "credential")
      return fail(WEFT_ERR_INVALID, where + " is not a credential parameter");
    auto id = params.find(name);
    if (id == params.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
      return fail(WEFT_ERR_NOT_FOUND, where + " names no credential");
    const std::string cred_id = id->get<std::string>();
    auto c = credentials.find(cred_id);
    if (c == credentials.end())
      return fail(WEFT_ERR_NODE, where + ": access denied to credential " + cred_id +
                                     ": it does not exist or the workflow's owner may not use it");
    const std::string type = c->second.value("type", "");
    bool allowed = false;
    for (const auto& t : spec->value("credentialTypes", Json::array())) allowed = allowed || t == type;
    if (!allowed)
      return fail(WEFT_ERR_INVALID, where + ": credential " + cred_id + " is a " + type +
                                        ", not one of the types the parameter takes");
    credential_reads.push_back(cred_id);
    *out = own(Json{{"id", cred_id}, {"type", type}, {"data", c->second.value("data", Json::object())}});
    return WEFT_OK;
  }

 private:
  std::deque<std::vector<weft_http_header>> owned_headers;  // valid until the call ends
};

// Loads a plugin (from its entry function or its .so) and runs its node types.
class FakeHost {
 public:
  explicit FakeHost(weft_plugin_entry_fn entry) { init(entry); }

  // dlopen()s a plugin file; throws std::runtime_error when it cannot be loaded.
  static FakeHost open(const std::string& path) {
    void* lib = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) throw std::runtime_error(std::string("cannot load ") + path + ": " + ::dlerror());
    auto entry = reinterpret_cast<weft_plugin_entry_fn>(::dlsym(lib, WEFT_PLUGIN_ENTRY_SYMBOL));
    if (!entry) throw std::runtime_error(path + " has no " WEFT_PLUGIN_ENTRY_SYMBOL);
    return FakeHost(entry);  // the library stays loaded for the process, as in weft
  }

  const weft_plugin_manifest& manifest() const { return manifest_; }
  // Node types registered by the plugin: "name@version" -> description JSON.
  std::map<std::string, Json> node_types() const {
    std::map<std::string, Json> out;
    for (const auto& [key, t] : types_) out[key] = t.description;
    return out;
  }

  // Auth providers registered by the plugin: name -> description JSON.
  std::map<std::string, Json> auth_providers() const {
    std::map<std::string, Json> out;
    for (const auto& [name, p] : auth_) out[name] = p.description;
    return out;
  }

  // Opens auth provider `provider` with `config`, runs authenticate over `request` and closes
  // it. On WEFT_OK `out` holds the claim; otherwise `error` holds the recorded reason.
  weft_status authenticate(std::string_view provider, const Json& request, Json& out,
                           std::string& error, const Json& config = Json::object()) const {
    return call_auth(provider, config, error, [&](const weft_auth_provider& p, void* instance,
                                                   weft_ctx* ctx, weft_value** result) {
      return p.authenticate(instance, ctx, as_value(request), result);
    }, out);
  }

  // As authenticate, for the provider's invoke (e.g. {"op": "issue"}).
  weft_status invoke(std::string_view provider, const Json& request, Json& out, std::string& error,
                     const Json& config = Json::object()) const {
    return call_auth(provider, config, error, [&](const weft_auth_provider& p, void* instance,
                                                   weft_ctx* ctx, weft_value** result) {
      if (!p.invoke) return WEFT_ERR_UNSUPPORTED;
      return p.invoke(instance, ctx, as_value(request), result);
    }, out);
  }

  // Credential types the plugin declared (ABI 1.2): name -> declaration JSON.
  const std::map<std::string, Json>& credential_types() const { return credential_types_; }

  // Runs create / execute / destroy of a node type over `call`.
  weft_status run(std::string_view type, uint32_t version, NodeCall& call) const {
    auto it = types_.find(std::string(type) + "@" + std::to_string(version));
    if (it == types_.end())
      return call.fail(WEFT_ERR_NOT_FOUND, "no node type " + std::string(type));
    call.description = it->second.description;
    call.node_type = it->first;
    const weft_node_type& t = it->second.type;
    void* instance = nullptr;
    if (t.create) {
      weft_status st = t.create(&call, &instance);
      if (st != WEFT_OK) return st;
    }
    weft_status st = t.execute(instance, &call);
    if (t.destroy && t.create) t.destroy(instance);
    return st;
  }

 private:
  struct Registered {
    weft_node_type type;
    Json description;
  };
  struct RegisteredAuth {
    weft_auth_provider provider;
    Json description;
  };

  // The context of one auth provider call: records failures, owns nothing else.
  class AuthCall : public weft_ctx {};

  static const weft_value* as_value(const Json& j) {
    return reinterpret_cast<const weft_value*>(&j);
  }

  template <class F>
  weft_status call_auth(std::string_view provider, const Json& config, std::string& error, F&& f,
                        Json& out) const {
    auto it = auth_.find(std::string(provider));
    if (it == auth_.end()) {
      error = "no auth provider " + std::string(provider);
      return WEFT_ERR_NOT_FOUND;
    }
    const weft_auth_provider& p = it->second.provider;
    AuthCall open_call;
    void* instance = nullptr;
    weft_status st = p.open(&open_call, as_value(config), &instance);
    if (st != WEFT_OK) {
      error = open_call.error_message;
      return st;
    }
    AuthCall call;
    weft_value* result = nullptr;
    st = f(p, instance, &call, &result);
    if (st == WEFT_OK && result) out = std::move(*reinterpret_cast<Json*>(result));
    if (st != WEFT_OK) error = call.error_message;
    p.close(instance);
    return st;
  }

  class InitCall : public weft_ctx {
   public:
    InitCall(std::map<std::string, Registered>& types, std::map<std::string, RegisteredAuth>& auth,
             std::map<std::string, Json>& credential_types)
        : types_(types), auth_(auth), credential_types_(credential_types) {}
    // Checked as weft checks it (weft/runtime/credential_type.hpp has the full rules): a JSON
    // object with a name and a non-empty fields array, a name not declared before.
    weft_status register_credential_type(std::string_view json) override {
      Json d = Json::parse(json, nullptr, false);
      if (d.is_discarded() || !d.is_object() || !d.contains("name") || !d["name"].is_string() ||
          !d.contains("fields") || !d["fields"].is_array() || d["fields"].empty())
        return fail(WEFT_ERR_INVALID, "a credential type declaration needs a name and fields");
      std::string name = d["name"].get<std::string>();
      if (credential_types_.count(name))
        return fail(WEFT_ERR_CONFLICT, "duplicate credential type " + name);
      credential_types_[name] = std::move(d);
      return WEFT_OK;
    }
    weft_status register_auth(const weft_auth_provider& p) override {
      std::string name(view(p.name));
      if (auth_.count(name)) return fail(WEFT_ERR_CONFLICT, "duplicate auth provider " + name);
      Json description = Json::parse(view(p.description_json), nullptr, false);
      if (description.is_discarded())
        return fail(WEFT_ERR_INVALID, "auth provider " + name + " has an invalid description");
      auth_[name] = {p, std::move(description)};
      return WEFT_OK;
    }
    weft_status register_node(const weft_node_type& t) override {
      std::string key = std::string(view(t.name)) + "@" + std::to_string(t.type_version);
      if (types_.count(key)) return fail(WEFT_ERR_CONFLICT, "duplicate node type " + key);
      Json description = Json::parse(view(t.description_json), nullptr, false);
      if (description.is_discarded())
        return fail(WEFT_ERR_INVALID, "node type " + key + " has an invalid description");
      types_[key] = {t, std::move(description)};
      return WEFT_OK;
    }

   private:
    std::map<std::string, Registered>& types_;
    std::map<std::string, RegisteredAuth>& auth_;
    std::map<std::string, Json>& credential_types_;
  };

  void init(weft_plugin_entry_fn entry) {
    const weft_plugin_manifest* m = entry ? entry() : nullptr;
    if (!m) throw std::runtime_error("the plugin returned no manifest");
    manifest_ = host::read_sized(m);
    if (manifest_.abi_major != WEFT_ABI_MAJOR)
      throw std::runtime_error("the plugin was built for another ABI major");
    InitCall call(types_, auth_, credential_types_);
    weft_status st = manifest_.init(host::host_table(), host::registrar_table(), &call);
    if (st != WEFT_OK) throw std::runtime_error("plugin init failed: " + call.error_message);
  }

  weft_plugin_manifest manifest_{};
  std::map<std::string, Registered> types_;
  std::map<std::string, RegisteredAuth> auth_;
  std::map<std::string, Json> credential_types_;
};

}  // namespace weft::testing
