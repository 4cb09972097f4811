#include "services.hpp"

#include "auth/csrf.hpp"
#include "auth/plugin_auth_provider.hpp"
#include "credentials/credential_types.hpp"
#include "credentials/master_key.hpp"
#include "credentials/node_credentials.hpp"
#include "http/security_headers.hpp"
#include "logging/logger.hpp"

#include <weft/runtime/wall_clock.hpp>

namespace weft::server {

Services::Services(const Storage& storage)
    : workflows_(storage), users_(storage), api_keys_(storage), sessions_(storage), audit_events_(storage) {}

Services::~Services() {
  pruner_.reset();
  executions_.reset();
  writer_.reset();  // drains
}

Result<std::unique_ptr<Services>> Services::create(const Config& config, const PluginHost& plugins,
                                                   const Storage& storage) {
  std::unique_ptr<Services> s(new Services(storage));
  http::set_strict_transport_security(config.get_bool("server.hsts"));

  // The credential types the plugins declared: what the vault seals and the API validates.
  credentials::install_credential_types(plugins);
  s->node_credentials_ = std::make_shared<NodeCredentials>(*s);

  // The vault first: a server that cannot open secrets must not start.
  const auto key_source = credentials::MasterKeySource::from_config(config);
  auto master = credentials::load_master_key(key_source, true);
  if (!master) return Status(master.status().code(), "vault: " + master.status().message());
  auto vault = credentials::Vault::open(storage, *master, key_source.describe());
  if (!vault) return vault.status();
  s->vault_ = std::move(*vault);
  s->credentials_ = std::make_unique<credentials::SealedCredentials>(storage, *s->vault_);
  auto sealed = s->credentials_->seal_plaintext_rows();
  if (!sealed) return Status(sealed.status().code(), "vault: cannot seal stored secrets: " + sealed.status().message());

  auto writer_options = ExecutionWriter::Options::from_config(config);
  if (!writer_options) return writer_options.status();
  s->writer_ = std::make_unique<ExecutionWriter>(storage, *writer_options);
  s->executions_ = std::make_unique<ExecutionRepository>(storage, *s->writer_,
                                                         SavePolicy::from_config(config));
  auto pruner_options = RetentionPruner::Options::from_config(config);
  if (!pruner_options) return pruner_options.status();
  s->pruner_ = std::make_unique<RetentionPruner>(
      *s->executions_, s->sessions_, s->audit_events_, *pruner_options, [](const Result<RetentionPruner::Pass>& pass) {
        if (!pass)
          logging::error("retention", "a pruning pass failed", {{"error", pass.status().message()}});
        else if (pass->executions + pass->sessions + pass->audit_events > 0)
          logging::info("retention", "pruned",
                        {{"executions", pass->executions}, {"sessions", pass->sessions},
                         {"auditEvents", pass->audit_events}});
      });

  s->resolver_ = std::make_unique<auth::ClaimResolver>(s->api_keys_, s->users_, s->sessions_, now_ms);
  for (const auto& name : config.get("auth.providers")) {
    // Each provider gets its own config: weft.jwt the resolved key material (auth.jwt.*).
    Json provider_config = Json::object();
    if (name == "weft.jwt") {
      auto jwt = auth::JwtSettings::from_config(config);
      if (!jwt) return jwt.status();
      s->jwt_settings_ = std::move(*jwt);
      provider_config = s->jwt_settings_.provider_config;
      auth::set_csrf_key(s->jwt_settings_.csrf_key);
    }
    auto plugin = AuthPlugin::open(plugins, name.get<std::string>(), provider_config);
    provider_config = Json();  // the secret lives on only in the provider
    if (!plugin) return Status(plugin.status().code(), "auth.providers: " + plugin.status().message());
    if ((*plugin)->name() == "weft.api_key") s->api_key_plugin_ = plugin->get();
    if ((*plugin)->name() == "weft.password") s->password_plugin_ = plugin->get();
    if ((*plugin)->name() == "weft.jwt") s->jwt_plugin_ = plugin->get();
    s->chain_.add(std::make_shared<auth::PluginAuthProvider>(std::move(*plugin), *s->resolver_));
  }
  return s;
}

}  // namespace weft::server
