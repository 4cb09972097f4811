// What the server records in the audit log, and how: every route that changes security-relevant
// state (logins, keys, users, roles, credentials, workflows, shares, executions started) calls
// record(). Recording never fails the caller's operation: a storage failure is written to the
// server log (action and object only) and counted.
#pragma once

#include "http/request.hpp"

#include <weft/runtime/repositories/audit_repository.hpp>

#include <atomic>
#include <string>

namespace weft::server {

class AuditLog {
 public:
  // OWNERSHIP: `events` is borrowed and must outlive the log.
  explicit AuditLog(const AuditRepository& events) : events_(events) {}

  // Stores `event` as it is.
  void record(AuditEvent event) const;

  // Stores an event of `action` on `object_type`/`object_id` by the caller of `request`: actor,
  // kind, via (an API key's id), address and request id are taken from the request (anonymous
  // when it has no principal). `detail` must hold no secret.
  void record(const http::Request& request, std::string action, std::string object_type,
              std::string object_id, Json detail = Json::object(),
              std::string outcome = "success") const;

  // As record(request, ...), with `actor` (a user id; empty: anonymous) as the acting user: for a
  // caller the request does not authenticate (a login, a refresh).
  void record_as(const http::Request& request, std::string actor, std::string action,
                 std::string object_type, std::string object_id, Json detail = Json::object(),
                 std::string outcome = "success") const;

  // Events that could not be stored since start.
  uint64_t failures() const { return failures_.load(); }

  const AuditRepository& events() const { return events_; }

 private:
  const AuditRepository& events_;
  mutable std::atomic<uint64_t> failures_{0};
};

}  // namespace weft::server
