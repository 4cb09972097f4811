#include "audit/audit_log.hpp"

#include "logging/logger.hpp"

namespace weft::server {

void AuditLog::record(AuditEvent event) const {
  auto stored = events_.append(event);
  if (stored) return;
  failures_.fetch_add(1);
  logging::error("audit", "could not record an audit event",
                 {{"action", event.action}, {"objectType", event.object_type}, {"objectId", event.object_id},
                  {"error", stored.status().to_string()}});
}

void AuditLog::record(const http::Request& request, std::string action, std::string object_type,
                      std::string object_id, Json detail, std::string outcome) const {
  record_as(request, request.principal ? request.principal->acting_user() : std::string(), std::move(action),
            std::move(object_type), std::move(object_id), std::move(detail), std::move(outcome));
}

void AuditLog::record_as(const http::Request& request, std::string actor, std::string action,
                         std::string object_type, std::string object_id, Json detail,
                         std::string outcome) const {
  AuditEvent e;
  e.actor_kind = actor.empty() ? "anonymous" : "user";
  e.actor = std::move(actor);
  if (request.principal && request.principal->kind == auth::Principal::Kind::kApiKey) {
    e.actor_kind = "api-key";
    e.via = request.principal->id;
  }
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.outcome = std::move(outcome);
  e.address = request.remote_address;
  e.request_id = request.request_id;
  e.detail = std::move(detail);
  record(std::move(e));
}

}  // namespace weft::server
