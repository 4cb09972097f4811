// The audit log in collection "audit": who did what to which object, when, with what outcome.
// Append-only: events are never changed, only pruned by age. Thread-safe.
//
// An event never holds a secret: no password, token, key or credential field, only ids, names
// and outcomes. Writers are responsible for what they put in `detail`.
#pragma once

#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/storage.hpp>

#include <optional>
#include <string>

namespace weft {

struct AuditEvent {
  std::string id;          // set by append(): sortable by time
  int64_t at_ms = 0;       // set by append() when 0
  std::string actor;       // the acting user's id; empty when nobody was authenticated
  std::string actor_kind;  // "user", "api-key", "node", "system" or "anonymous"
  std::string via;         // the credential's id when it is not the user (an API key's id)
  std::string action;      // "auth.login", "workflow.update", "credential.read", ...
  std::string object_type; // "workflow", "execution", "credential", "user", "api-key", "session"
  std::string object_id;
  std::string outcome = "success";  // "success", "failure" or "denied"
  std::string address;     // the caller's network address, when there was a request
  std::string request_id;  // the request's X-Request-Id, when there was a request
  Json detail = Json::object();  // further facts (never a secret)
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> object_id;
  PageRequest page;  // newest first
};

class AuditRepository {
 public:
  // OWNERSHIP: `storage` is borrowed and must outlive the repository.
  explicit AuditRepository(const Storage& storage) : storage_(storage) {}

  // Stores `event` with a fresh id (and at_ms = now when it is 0); returns it as stored.
  // kInvalid when action is empty.
  Result<AuditEvent> append(AuditEvent event) const;

  // Events matching `filter`, newest first. kInvalid for a bad limit or a foreign cursor.
  Result<Page<AuditEvent>> list(const AuditFilter& filter) const;

  // Deletes the events older than `before_ms`, in bounded batches; returns how many.
  Result<int64_t> remove_before(int64_t before_ms) const;

 private:
  const Storage& storage_;
};

// {"id", "at", "actor", "actorKind", "via", "action", "objectType", "objectId", "outcome",
//  "address", "requestId", "detail"}
Json audit_event_json(const AuditEvent& e);

}  // namespace weft
