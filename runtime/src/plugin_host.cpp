#include <weft/runtime/plugin_host.hpp>

#include <weft/host/context.hpp>

#include <boost/dll/shared_library.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <regex>

namespace weft {

namespace {

namespace fs = std::filesystem;

// The manifest fields every 1.x plugin must fill: everything up to and including `init`.
constexpr size_t kManifestRequiredSize =
    offsetof(weft_plugin_manifest, init) + sizeof(weft_plugin_manifest::init);

std::string abi_text(uint16_t major, uint16_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool valid_type_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The context of a plugin's init call: collects what it registers, checked against what is
// already registered. Nothing is published until init succeeds.
class InitContext : public weft_ctx {
 public:
  InitContext(const PluginHost& host, std::shared_ptr<void> library,
              std::shared_ptr<PluginInfo> info)
      : host_(host), library_(std::move(library)), info_(std::move(info)) {}

  weft_status register_node(const weft_node_type& t) override {
    std::string name(view(t.name));
    if (!valid_type_name(name))
      return fail(WEFT_ERR_INVALID, "node type name '" + name +
                                        "' is invalid (use lower-case letters, digits, '.', '_', '-')");
    if (t.type_version == 0)
      return fail(WEFT_ERR_INVALID, "node type " + name + " has type version 0 (versions start at 1)");
    if (!t.execute) return fail(WEFT_ERR_INVALID, "node type " + name + " has no execute function");
    auto type = std::make_shared<NodeType>();
    type->name = name;
    type->version = t.type_version;
    std::string key = type->key();
    if (const NodeType* other = host_.registry().find(name, t.type_version)) {
      return fail(WEFT_ERR_CONFLICT, "node type " + key + " is already registered by plugin " +
                                         other->plugin->name + " (" + other->plugin->file + ")");
    }
    for (const auto& mine : types)
      if (mine->key() == key)
        return fail(WEFT_ERR_CONFLICT, "node type " + key + " is registered twice");
    std::string problem = parse_node_description(view(t.description_json), *type);
    if (!problem.empty()) return fail(WEFT_ERR_INVALID, "node type " + key + ": " + problem);
    type->create = t.create;
    type->execute = t.execute;
    type->destroy = t.destroy;
    type->library = library_;
    type->plugin = info_;
    types.push_back(std::move(type));
    return WEFT_OK;
  }

  weft_status register_storage(const weft_storage_backend& b) override {
    std::string name(view(b.name));
    if (!valid_type_name(name))
      return fail(WEFT_ERR_INVALID, "storage backend name '" + name + "' is invalid");
    if (!b.open || !b.close || !b.get || !b.write || !b.query || !b.claim || !b.admin)
      return fail(WEFT_ERR_INVALID, "storage backend " + name + " lacks a required function");
    if (const StorageBackendType* other = host_.storage_backend(name))
      return fail(WEFT_ERR_CONFLICT, "storage backend " + name + " is already registered by plugin " +
                                         other->plugin->name + " (" + other->plugin->file + ")");
    for (const auto& mine : storage)
      if (mine->name == name)
        return fail(WEFT_ERR_CONFLICT, "storage backend " + name + " is registered twice");
    auto type = std::make_shared<StorageBackendType>();
    type->name = name;
    type->description = Json::parse(view(b.description_json), nullptr, false);
    if (type->description.is_discarded() || !type->description.is_object())
      return fail(WEFT_ERR_INVALID, "storage backend " + name + ": its description is not a JSON object");
    type->durable = type->description.value("durable", true);
    type->backend = b;
    type->backend.name = {};  // points into the plugin; the copy in `name` is kept instead
    type->backend.description_json = {};
    type->library = library_;
    type->plugin = info_;
    storage.push_back(std::move(type));
    return WEFT_OK;
  }

  weft_status register_auth(const weft_auth_provider& p) override {
    std::string name(view(p.name));
    if (!valid_type_name(name))
      return fail(WEFT_ERR_INVALID, "auth provider name '" + name + "' is invalid");
    if (!p.open || !p.close || !p.authenticate)
      return fail(WEFT_ERR_INVALID, "auth provider " + name + " lacks a required function");
    if (const AuthProviderType* other = host_.auth_provider(name))
      return fail(WEFT_ERR_CONFLICT, "auth provider " + name + " is already registered by plugin " +
                                         other->plugin->name + " (" + other->plugin->file + ")");
    for (const auto& mine : auth)
      if (mine->name == name)
        return fail(WEFT_ERR_CONFLICT, "auth provider " + name + " is registered twice");
    auto type = std::make_shared<AuthProviderType>();
    type->name = name;
    type->description = Json::parse(view(p.description_json), nullptr, false);
    if (type->description.is_discarded() || !type->description.is_object())
      return fail(WEFT_ERR_INVALID, "auth provider " + name + ": its description is not a JSON object");
    type->provider = p;
    type->provider.name = {};  // points into the plugin; the copy in `name` is kept instead
    type->provider.description_json = {};
    type->library = library_;
    type->plugin = info_;
    auth.push_back(std::move(type));
    return WEFT_OK;
  }

  weft_status register_credential_type(std::string_view description_json) override {
    auto type = std::make_shared<CredentialTypeSpec>();
    std::string problem = parse_credential_type(description_json, *type);
    if (!problem.empty()) {
      std::string named = type->name.empty() ? "a credential type" : "credential type " + type->name;
      return fail(WEFT_ERR_INVALID, "plugin " + info_->name + ": " + named + ": " + problem);
    }
    if (const CredentialTypeSpec* other = host_.credential_type(type->name))
      return fail(WEFT_ERR_CONFLICT, "plugin " + info_->name + ": credential type " + type->name +
                                         " is already declared by plugin " + other->plugin->name +
                                         " (" + other->plugin->file + ")");
    for (const auto& mine : credential_types)
      if (mine->name == type->name)
        return fail(WEFT_ERR_CONFLICT, "plugin " + info_->name + ": credential type " + type->name +
                                           " is declared twice");
    type->plugin = info_;
    credential_types.push_back(std::move(type));
    return WEFT_OK;
  }

  void log(weft_log_level, std::string_view) override {}

  std::vector<std::shared_ptr<CredentialTypeSpec>> credential_types;
  std::vector<std::shared_ptr<NodeType>> types;
  std::vector<std::shared_ptr<StorageBackendType>> storage;
  std::vector<std::shared_ptr<AuthProviderType>> auth;

 private:
  const PluginHost& host_;
  std::shared_ptr<void> library_;
  std::shared_ptr<PluginInfo> info_;
};

}  // namespace

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;

Status PluginHost::refuse(const std::string& file, const std::string& cause) {
  std::string reason = file + ": " + cause;
  refused_.push_back({file, reason});
  return Status::invalid(reason);
}

Status PluginHost::load_directories(const std::vector<std::string>& folders) {
  for (const auto& folder : folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
      return Status::not_found("plugin folder " + folder + " does not exist or is not a folder");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() == ".so" && entry.is_regular_file(ec))
        files.push_back(entry.path().string());
    }
    if (ec) return Status::unavailable("cannot read plugin folder " + folder + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) (void)load_file(f);  // refusals are recorded, not fatal
  }
  return Status::ok();
}

Status PluginHost::load_file(const std::string& path) {
  if (shut_down_) return Status::unavailable("the plugin host has shut down");
  for (const auto& p : plugins_)
    if (p->file == path) return Status::ok();

  // 1. Load the object. RTLD_NOW: unresolved symbols are found now, not mid-execution.
  auto library = std::make_shared<boost::dll::shared_library>();
  std::error_code ec;
  library->load(path, ec,
                boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec || !library->is_loaded()) {
    const char* why = ::dlerror();
    return refuse(path, std::string("cannot be loaded (") + (why ? why : ec.message()) +
                            "); check that it is a shared object built for this platform");
  }

  // 2. The one entry symbol.
  if (!library->has(WEFT_PLUGIN_ENTRY_SYMBOL))
    return refuse(path, "has no " WEFT_PLUGIN_ENTRY_SYMBOL
                        " symbol; it is not a weft plugin, or was built without WEFT_PLUGIN / "
                        "weft_add_plugin");
  auto entry = library->get<const weft_plugin_manifest*()>(WEFT_PLUGIN_ENTRY_SYMBOL);
  const weft_plugin_manifest* raw = entry();
  if (!raw) return refuse(path, "its " WEFT_PLUGIN_ENTRY_SYMBOL " returned no manifest; fix the plugin");

  // 3. The manifest: size first, then versions, then the required fields.
  if (raw->size < kManifestRequiredSize)
    return refuse(path, "malformed manifest: " + std::to_string(raw->size) +
                            " bytes, at least " + std::to_string(kManifestRequiredSize) +
                            " required; rebuild the plugin against the weft SDK");
  weft_plugin_manifest m = host::read_sized(raw);
  const std::string host_abi = abi_text(WEFT_ABI_MAJOR, WEFT_ABI_MINOR);
  const std::string plugin_abi = abi_text(m.abi_major, m.abi_minor);
  if (m.abi_major != WEFT_ABI_MAJOR)
    return refuse(path, "built for plugin ABI " + plugin_abi + ", this host speaks ABI " +
                            host_abi + " (the major must match); rebuild the plugin against "
                            "weft SDK " + std::to_string(WEFT_ABI_MAJOR) + ".x");
  if (m.abi_minor > WEFT_ABI_MINOR)
    return refuse(path, "built for plugin ABI " + plugin_abi + ", newer than this host's ABI " +
                            host_abi + "; upgrade weft or rebuild the plugin against SDK " +
                            host_abi);
  if (!m.name || !*m.name || !m.version || !*m.version || !m.init)
    return refuse(path, "malformed manifest: name, version and init are required; fix the plugin");
  static const std::regex kSemver(R"(^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$)");
  if (!std::regex_match(m.version, kSemver))
    return refuse(path, std::string("malformed manifest: version '") + m.version +
                            "' is not semver (MAJOR.MINOR.PATCH)");
  for (const auto& p : plugins_)
    if (p->name == m.name)
      return refuse(path, std::string("plugin ") + m.name + " is already loaded from " + p->file +
                              "; remove one of the two files");

  // 4. init, collecting registrations; publish only if all of it succeeds.
  auto info = std::make_shared<PluginInfo>();
  info->file = path;
  info->name = m.name;
  info->version = m.version;
  info->build_id = m.build_id ? m.build_id : "";
  info->abi_major = m.abi_major;
  info->abi_minor = m.abi_minor;
  std::shared_ptr<void> keep_alive = library;
  InitContext ctx(*this, keep_alive, info);
  weft_status st = WEFT_OK;
  try {
    st = m.init(host::host_table(), host::registrar_table(), &ctx);
  } catch (...) {
    st = WEFT_ERR_INTERNAL;
    ctx.error_message = "init threw an exception across the C ABI";
  }
  if (st != WEFT_OK) {
    retired_.push_back(keep_alive);
    std::string why = ctx.error_message.empty() ? code_name(static_cast<Code>(st))
                                                 : ctx.error_message;
    return refuse(path, "init failed: " + why + "; fix the plugin or remove it from the folder");
  }
  if (ctx.types.empty() && ctx.storage.empty() && ctx.auth.empty() && ctx.credential_types.empty()) {
    retired_.push_back(keep_alive);
    return refuse(path, "init registered nothing; a plugin must register a node type, a "
                        "storage backend, an auth provider or a credential type");
  }
  for (const auto& t : ctx.types) {
    info->node_types.push_back(t->key());
    registry_.add(t);
  }
  for (const auto& b : ctx.storage) {
    info->storage_backends.push_back(b->name);
    storage_.push_back(b);
  }
  for (const auto& a : ctx.auth) {
    info->auth_providers.push_back(a->name);
    auth_.push_back(a);
  }
  for (const auto& c : ctx.credential_types) {
    info->credential_types.push_back(c->name);
    credential_types_.push_back(c);
  }
  plugins_.push_back(info);
  if (m.shutdown) shutdowns_.push_back(m.shutdown);
  return Status::ok();
}

Status PluginHost::require(const std::vector<std::string>& names) const {
  std::string missing;
  for (const auto& name : names) {
    bool loaded = std::any_of(plugins_.begin(), plugins_.end(),
                              [&](const auto& p) { return p->name == name; });
    if (loaded) continue;
    if (!missing.empty()) missing += "; ";
    missing += "required plugin " + name + " is not loaded";
  }
  if (missing.empty()) return Status::ok();
  if (!refused_.empty())
    missing += " (" + std::to_string(refused_.size()) +
               " plugin files were refused; `weft plugins list` shows why)";
  return Status::not_found(missing);
}

const StorageBackendType* PluginHost::storage_backend(std::string_view name) const {
  for (const auto& b : storage_)
    if (b->name == name) return b.get();
  return nullptr;
}

const AuthProviderType* PluginHost::auth_provider(std::string_view name) const {
  for (const auto& a : auth_)
    if (a->name == name) return a.get();
  return nullptr;
}

const CredentialTypeSpec* PluginHost::credential_type(std::string_view name) const {
  for (const auto& c : credential_types_)
    if (c->name == name) return c.get();
  return nullptr;
}

void PluginHost::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  for (auto fn : shutdowns_) fn();
}

std::vector<std::string> default_plugin_directories() {
  // Installed layout: <prefix>/bin/weft beside <prefix>/lib/weft/plugins; the build tree has
  // the same shape, so this also finds build/lib/weft/plugins from build/bin/weft.
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path beside = exe.parent_path().parent_path() / "lib" / "weft" / "plugins";
    if (fs::is_directory(beside, ec)) return {beside.string()};
  }
  if (fs::is_directory(WEFT_DEFAULT_PLUGIN_DIR, ec)) return {WEFT_DEFAULT_PLUGIN_DIR};
  return {};
}

}  // namespace weft
