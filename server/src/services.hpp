// Everything `weft serve` runs on besides the HTTP server: the repositories over the open store,
// the execution writer and the retention pruner, and the auth chain built from `auth.providers`. Built once
// at start; the API's handlers borrow it through ApiContext.
#pragma once

#include "audit/audit_log.hpp"
#include "auth/auth_chain.hpp"
#include "auth/claim_resolver.hpp"
#include "auth/jwt_keys.hpp"
#include "credentials/sealed_credentials.hpp"
#include "credentials/vault.hpp"

#include <weft/runtime/auth_plugin.hpp>
#include <weft/runtime/events/event_bus.hpp>
#include <weft/runtime/config.hpp>
#include <weft/runtime/credential_source.hpp>
#include <weft/runtime/repositories/api_key_repository.hpp>
#include <weft/runtime/repositories/audit_repository.hpp>
#include <weft/runtime/repositories/credential_repository.hpp>
#include <weft/runtime/repositories/retention_pruner.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>
#include <weft/runtime/repositories/execution_writer.hpp>
#include <weft/runtime/repositories/session_repository.hpp>
#include <weft/runtime/repositories/user_repository.hpp>
#include <weft/runtime/repositories/workflow_repository.hpp>

#include <memory>

namespace weft::server {

class Services {
 public:
  // Builds the services over `storage`. Fails with one line naming the config key at fault
  // (an unknown auth provider lists the loaded ones), or the master key the vault needs when
  // the configured one does not unwrap its data keys (credentials/vault.hpp). OWNERSHIP: `plugins` and `storage` are
  // borrowed and must outlive the services.
  static Result<std::unique_ptr<Services>> create(const Config& config, const PluginHost& plugins,
                                                  const Storage& storage);
  // Drains the execution writer (every queued record is committed) and stops the retention pruner.
  ~Services();

  const WorkflowRepository& workflows() const { return workflows_; }
  const ExecutionRepository& executions() const { return *executions_; }
  const UserRepository& users() const { return users_; }
  const ApiKeyRepository& api_keys() const { return api_keys_; }
  // Credentials with their secret fields sealed at rest and opened on read.
  const credentials::SealedCredentials& credentials() const { return *credentials_; }
  const SessionRepository& sessions() const { return sessions_; }
  // Who did what: every security-relevant change is recorded here.
  const AuditLog& audit() const { return audit_; }
  // Running nodes' credentials (host->credential): opened for the workflow's owner, audited.
  std::shared_ptr<const CredentialSource> node_credentials() const { return node_credentials_; }
  ExecutionWriter& writer() const { return *writer_; }
  const auth::AuthChain& auth_chain() const { return chain_; }
  // Resolves credentials to principals against the store (and again, for a WebSocket).
  const auth::ClaimResolver& claim_resolver() const { return *resolver_; }
  // Live lifecycle events (workflow.*, execution.*): the WebSocket /ws endpoint subscribes.
  events::EventBus& events() const { return *events_; }
  // The weft.api_key provider, which mints keys; nullptr when it is not configured.
  const AuthPlugin* api_key_plugin() const { return api_key_plugin_; }
  // The weft.password provider, which hashes and verifies passwords; nullptr when it is not
  // configured.
  const AuthPlugin* password_plugin() const { return password_plugin_; }
  // The weft.jwt provider, which mints session access tokens; nullptr when it is not
  // configured (then there is no sign-in).
  const AuthPlugin* jwt_plugin() const { return jwt_plugin_; }
  // The resolved auth.jwt.* settings (lifetimes, cookie use); meaningful when jwt_plugin() is set.
  const auth::JwtSettings& jwt_settings() const { return jwt_settings_; }

 private:
  explicit Services(const Storage& storage);

  WorkflowRepository workflows_;
  UserRepository users_;
  ApiKeyRepository api_keys_;
  std::unique_ptr<credentials::Vault> vault_;
  std::unique_ptr<credentials::SealedCredentials> credentials_;  // over vault_
  SessionRepository sessions_;
  AuditRepository audit_events_;
  AuditLog audit_{audit_events_};
  std::shared_ptr<const CredentialSource> node_credentials_;  // over this object
  std::unique_ptr<ExecutionWriter> writer_;
  std::unique_ptr<ExecutionRepository> executions_;
  std::unique_ptr<RetentionPruner> pruner_;
  std::unique_ptr<auth::ClaimResolver> resolver_;
  auth::AuthChain chain_;
  const AuthPlugin* api_key_plugin_ = nullptr;  // OWNERSHIP: held by a provider in chain_
  const AuthPlugin* password_plugin_ = nullptr;  // OWNERSHIP: held by a provider in chain_
  const AuthPlugin* jwt_plugin_ = nullptr;  // OWNERSHIP: held by a provider in chain_
  auth::JwtSettings jwt_settings_;
  std::unique_ptr<events::EventBus> events_ = std::make_unique<events::EventBus>();
};

}  // namespace weft::server
