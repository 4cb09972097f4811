#include "credentials/credential_types.hpp"

#include <weft/runtime/plugin_host.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace weft::credentials {

namespace {

// A field name as an error quotes it: a name sent by a caller may be long, so it is cut.
std::string quote_text(std::string_view name) {
  constexpr size_t kMax = 64;
  if (name.size() <= kMax) return "'" + std::string(name) + "'";
  return "'" + std::string(name.substr(0, kMax)) + "...'";
}

bool has_kind(const Json& v, FieldKind kind) {
  switch (kind) {
    case FieldKind::kString: return v.is_string();
    case FieldKind::kBoolean: return v.is_boolean();
    case FieldKind::kInteger: return v.is_number_integer();
  }
  return false;
}

}  // namespace

const char* field_kind_name(FieldKind kind) { return credential_field_kind_name(kind); }

std::shared_ptr<const CredentialTypeRegistry> CredentialTypeRegistry::from_plugins(const PluginHost& host) {
  std::vector<CredentialType> specs;
  for (const auto& t : host.credential_types()) specs.push_back(*t);
  return of(std::move(specs));
}

std::shared_ptr<const CredentialTypeRegistry> CredentialTypeRegistry::of(std::vector<CredentialType> specs) {
  auto r = std::make_shared<CredentialTypeRegistry>();
  for (auto& s : specs)
    if (!r->find(s.name)) r->types_.push_back(std::move(s));
  std::sort(r->types_.begin(), r->types_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return r;
}

const CredentialType* CredentialTypeRegistry::find(std::string_view name) const {
  for (const auto& t : types_)
    if (t.name == name) return &t;
  return nullptr;
}

std::string CredentialTypeRegistry::names() const {
  std::string out;
  for (const auto& t : types_) {
    if (!out.empty()) out += ", ";
    out += t.name;
  }
  return out;
}

namespace {

std::mutex g_install_mu;
// Every registry installed, kept for the process: readers hold raw pointers into them.
std::vector<std::shared_ptr<const CredentialTypeRegistry>>& installed() {
  static std::vector<std::shared_ptr<const CredentialTypeRegistry>> all;
  return all;
}
std::atomic<const CredentialTypeRegistry*> g_current{nullptr};

const CredentialTypeRegistry& current() {
  static const auto kEmpty = CredentialTypeRegistry::of({});
  const CredentialTypeRegistry* r = g_current.load(std::memory_order_acquire);
  return r ? *r : *kEmpty;
}

}  // namespace

void install_credential_types(std::shared_ptr<const CredentialTypeRegistry> registry) {
  if (!registry) return;
  std::lock_guard<std::mutex> lock(g_install_mu);
  installed().push_back(registry);
  g_current.store(registry.get(), std::memory_order_release);
}

void install_credential_types(const PluginHost& host) {
  install_credential_types(CredentialTypeRegistry::from_plugins(host));
}

std::span<const CredentialType> credential_types() { return current().types(); }

const CredentialType* find_credential_type(std::string_view name) { return current().find(name); }

std::string known_credential_type_names() { return current().names(); }

Json credential_type_json(const CredentialType& type) {
  Json fields = Json::array();
  for (const auto& f : type.fields) {
    Json field = {{"name", f.name},
                  {"type", field_kind_name(f.kind)},
                  {"required", f.required},
                  {"secret", f.secret},
                  {"description", f.description}};
    if (!f.format.empty()) field["format"] = f.format;
    fields.push_back(std::move(field));
  }
  Json out = {{"name", type.name},
              {"displayName", type.display_name},
              {"description", type.description},
              {"fields", std::move(fields)}};
  if (type.plugin) out["plugin"] = type.plugin->name;
  return out;
}

Status validate_credential_data(const CredentialType& type, const Json& data) {
  const std::string prefix = type.name + ": ";
  if (!data.is_object()) return Status::invalid(prefix + "data must be a JSON object");
  for (const auto& [key, value] : data.items()) {
    (void)value;
    if (!type.field(key)) {
      std::string known;
      for (const auto& f : type.fields) known += (known.empty() ? "" : ", ") + f.name;
      return Status::invalid(prefix + "unknown field " + quote_text(key) + " (the fields are " + known + ")");
    }
  }
  for (const auto& f : type.fields) {
    const std::string field = "field '" + f.name + "'";
    auto it = data.find(f.name);
    if (it == data.end() || it->is_null()) {
      if (f.required) return Status::invalid(prefix + field + " is required");
      continue;
    }
    if (!has_kind(*it, f.kind))
      return Status::invalid(prefix + field + " must be a " + field_kind_name(f.kind));
    if (f.check && it->is_string())
      if (const char* why = f.check(it->get_ref<const std::string&>()))
        return Status::invalid(prefix + field + " " + why);
  }
  return Status::ok();
}

PublicView public_view(const CredentialType* type, const Json& data) {
  PublicView view;
  if (!data.is_object()) return view;
  for (const auto& [key, value] : data.items()) {
    if (value.is_null()) continue;
    const CredentialField* f = type ? type->field(key) : nullptr;
    if (f && !f->secret)
      view.data[key] = value;
    else
      view.secrets_set.push_back(key);  // unknown fields of a known type are hidden too
  }
  std::sort(view.secrets_set.begin(), view.secrets_set.end());
  return view;
}

Json merge_credential_data(const Json& stored, const Json& change) {
  Json merged = stored.is_object() ? stored : Json::object();
  for (const auto& [key, value] : change.items()) {
    if (value.is_null())
      merged.erase(key);
    else
      merged[key] = value;
  }
  return merged;
}

}  // namespace weft::credentials
