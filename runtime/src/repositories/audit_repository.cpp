#include <weft/runtime/repositories/audit_repository.hpp>

#include <weft/runtime/repositories/random_id.hpp>

#include "repository_support.hpp"

#include <cstdio>

namespace weft {

namespace {

constexpr const char* kAudit = "audit";

AuditEvent event_from(const Record& r) {
  AuditEvent e;
  e.id = r.id;
  e.at_ms = repo::int_field(r.body, "at");
  e.actor = repo::text_field(r.body, "actor");
  e.actor_kind = repo::text_field(r.body, "actorKind");
  e.via = repo::text_field(r.body, "via");
  e.action = repo::text_field(r.body, "action");
  e.object_type = repo::text_field(r.body, "objectType");
  e.object_id = repo::text_field(r.body, "objectId");
  e.outcome = repo::text_field(r.body, "outcome");
  e.address = repo::text_field(r.body, "address");
  e.request_id = repo::text_field(r.body, "requestId");
  if (r.body.is_object() && r.body.contains("detail")) e.detail = r.body["detail"];
  return e;
}

// Ids sort by time (zero-padded milliseconds), then a random part for uniqueness.
std::string event_id(int64_t at_ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%015lld", static_cast<long long>(at_ms));
  return std::string(buf) + "-" + random_id();
}

}  // namespace

Json audit_event_json(const AuditEvent& e) {
  return {{"id", e.id},           {"at", e.at_ms},         {"actor", e.actor},
          {"actorKind", e.actor_kind}, {"via", e.via},      {"action", e.action},
          {"objectType", e.object_type}, {"objectId", e.object_id}, {"outcome", e.outcome},
          {"address", e.address}, {"requestId", e.request_id}, {"detail", e.detail}};
}

Result<AuditEvent> AuditRepository::append(AuditEvent e) const {
  if (e.action.empty()) return Status::invalid("an audit event needs an action");
  if (e.at_ms == 0) e.at_ms = repo::now_ms();
  e.id = event_id(e.at_ms);
  if (!e.detail.is_object()) e.detail = Json::object();
  Json body = audit_event_json(e);
  Json index = {{"actor", e.actor}, {"action", e.action}, {"objectId", e.object_id}, {"at", e.at_ms}};
  auto versions = storage_.write({{"writes", Json::array({repo::put_op(kAudit, e.id, std::move(body), std::move(index), 0)})}});
  if (!versions) return versions.status();
  return e;
}

Result<Page<AuditEvent>> AuditRepository::list(const AuditFilter& f) const {
  if (Status st = check_page_request(f.page); !st) return st;
  Json where = Json::array();
  if (f.actor) where.push_back(repo::where("actor", "eq", *f.actor));
  if (f.action) where.push_back(repo::where("action", "eq", *f.action));
  if (f.object_id) where.push_back(repo::where("objectId", "eq", *f.object_id));
  Json q = repo::page_query(kAudit, std::move(where), "at", true, f.page);
  return repo::query_page<AuditEvent>(storage_, q, event_from);
}

Result<int64_t> AuditRepository::remove_before(int64_t before_ms) const {
  return repo::delete_matching(storage_, kAudit, Json::array({repo::where("at", "lt", before_ms)}));
}

}  // namespace weft
