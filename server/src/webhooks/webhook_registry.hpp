// The webhooks of active workflows: which workflow version answers METHOD /webhook/<path>.
// An ActivationListener: activating a workflow (or saving an active one) claims the
// (method, path) of each of its weft.webhook nodes; a claim another active workflow holds
// refuses the activation with kConflict (409). Deactivating or deleting releases them.
//
// Paths are compared segment by segment; a segment ":name" matches any one segment and its
// value is returned as parameter "name". Two paths conflict when they have the same shape
// (the same literals at the same places, parameters anywhere else), whatever the parameter
// names. A request is answered by the most specific path that matches: at the first segment
// where two candidates differ, a literal wins over a parameter.
//
// Claims live in this process's memory; the store's active flags are the source they are
// rebuilt from at start (api::claim_active_workflows). Thread-safe.
#pragma once

#include "api/activation.hpp"

#include <weft/runtime/json.hpp>
#include <weft/runtime/repositories/credential_repository.hpp>
#include <weft/runtime/repositories/workflow_repository.hpp>
#include <weft/runtime/status.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace weft::server {

// One weft.webhook node of an active workflow version, as its parameters describe it.
struct WebhookTarget {
  enum class ResponseMode {
    kOnReceived,    // 202 with the execution id at once
    kLastNode,      // the first item of the final node that finished last
    kResponseNode,  // what a weft.respond node set
  };
  enum class Auth { kNone, kHeader, kBasic };

  std::string workflow_id;
  int64_t version = 0;
  Json definition;      // the version's document, "id" and "version" set
  std::string node_id;  // the weft.webhook node
  std::string method;   // GET, POST, PUT, PATCH, DELETE or HEAD
  std::vector<std::string> segments;  // the path, split; ":name" for a parameter
  ResponseMode response_mode = ResponseMode::kOnReceived;
  Auth auth = Auth::kNone;
  std::string credential_id;  // set unless auth is kNone

  // The path as configured, normalised: "orders/:id".
  std::string path() const;
  // The credential type its auth checks callers against: weft.httpHeaderAuth for kHeader,
  // weft.basicAuth for kBasic; nullptr for kNone.
  const char* credential_type() const;
};

// The webhook nodes of `workflow`'s current version. kInvalid naming the node and the
// parameter when one is malformed (not a literal, an unknown option, two nodes claiming the
// same method and path).
Result<std::vector<WebhookTarget>> webhook_targets_of(const WorkflowRecord& workflow);

class WebhookRegistry : public api::ActivationListener {
 public:
  // What a request finds.
  struct Lookup {
    std::shared_ptr<const WebhookTarget> target;   // null when no webhook answers
    std::map<std::string, std::string> params;     // the ":name" segments' values
    std::vector<std::string> allowed;              // methods served at the path (for 405)
  };

  // With `credentials`, activation checks that each credential a webhook names exists and is
  // of the kind its auth needs. OWNERSHIP: borrowed; outlives the registry (may be null).
  explicit WebhookRegistry(const CredentialRepository* credentials = nullptr) : credentials_(credentials) {}
  WebhookRegistry(const WebhookRegistry&) = delete;
  WebhookRegistry& operator=(const WebhookRegistry&) = delete;

  // kInvalid for a malformed webhook node or a credential that is missing or of the wrong
  // type; kConflict naming the other workflow when one of
  // its (method, path) is taken. Claims all of the workflow's webhooks or none.
  Status on_activate(const WorkflowRecord& workflow) override;
  void on_deactivate(std::string_view id) override;

  // The webhook answering `method` at the decoded path `segments` (HEAD falls back to GET).
  Lookup find(std::string_view method, const std::vector<std::string>& segments) const;

  // How many webhooks are claimed.
  size_t size() const;

 private:
  Status check_credentials(const std::vector<WebhookTarget>& targets) const;
  // Drops workflow `id`'s claims. The caller holds mutex_ exclusively.
  void release_locked(std::string_view id);

  const CredentialRepository* credentials_;
  mutable std::shared_mutex mutex_;
  // By workflow id: what it claims.
  std::map<std::string, std::vector<std::shared_ptr<const WebhookTarget>>, std::less<>> by_workflow_;
  // By shape (literals kept, parameters as ":") and method.
  std::map<std::string, std::map<std::string, std::shared_ptr<const WebhookTarget>>> by_shape_;
};

}  // namespace weft::server
