#include "credentials/node_credentials.hpp"

#include "services.hpp"

#include <weft/runtime/security/object_access.hpp>
#include <weft/runtime/security/permissions.hpp>

#include <algorithm>

namespace weft::server {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Result<NodeCredential> NodeCredentials::open_for_node(const NodeCredentialRequest& q) const {
  AuditEvent event;
  event.actor_kind = "node";
  event.action = "credential.read";
  event.object_type = "credential";
  event.object_id = q.credential_id;
  event.detail = {{"executionId", q.execution_id},
                  {"workflowId", q.workflow_id},
                  {"nodeId", q.node_id},
                  {"nodeType", q.node_type}};
  auto refuse = [&](Status st, const std::string& why) -> Status {
    event.outcome = "denied";
    event.detail["reason"] = why;  // our own words: never a value
    services_.audit().record(event);
    return st;
  };
  // A store that fails is not a refusal: the read is recorded as a failure, the error passed on.
  auto failed = [&](Status st) -> Status {
    event.outcome = "failure";
    services_.audit().record(event);
    return st;
  };
  const std::string denied = "access denied to credential " + q.credential_id;

  std::string owner = q.workflow_owner;
  if (owner.empty()) {
    auto workflow = services_.workflows().get(q.workflow_id);
    if (!workflow && workflow.status().code() != Code::kNotFound) return failed(workflow.status());
    if (workflow) owner = workflow->owner;
  }
  event.actor = owner;
  if (owner.empty())
    return refuse(Status(Code::kNode, denied + ": the workflow has no owner"), "no owner");
  auto user = services_.users().get(owner);
  if (!user && user.status().code() != Code::kNotFound) return failed(user.status());
  if (!user || user->disabled)
    return refuse(Status(Code::kNode, denied + ": the workflow's owner is unknown or disabled"), "owner disabled");
  if (!security::role_permissions(user->role).has(security::Permission::kCredentialUse))
    return refuse(Status(Code::kNode, denied + ": the workflow owner's role (" + user->role +
                                          ") may not use credentials"),
                  "role");

  // The record first, through the base class (secrets still sealed): nothing is decrypted for
  // a caller that may not have it.
  const CredentialRepository& sealed = services_.credentials();
  auto record = sealed.get(q.credential_id);
  if (!record && record.status().code() != Code::kNotFound) return failed(record.status());
  if (!record ||
      security::access_to(user->id, user->role, record->owner, record->shares) < security::Access::kRun)
    return refuse(Status(Code::kNode, denied + ": it does not exist or the workflow's owner may not use it"),
                  record ? "no access" : "not found");
  if (std::find(q.allowed_types.begin(), q.allowed_types.end(), record->type) == q.allowed_types.end())
    return refuse(Status::invalid("credential " + q.credential_id + " is a " + record->type +
                                  "; parameter '" + q.parameter + "' takes " + join(q.allowed_types)),
                  "type");

  auto opened = services_.credentials().get(q.credential_id);
  if (!opened) return failed(opened.status());  // kInternal naming the field that did not open; no value
  services_.audit().record(event);
  NodeCredential out;
  out.id = opened->id;
  out.type = opened->type;
  out.data = std::move(opened->data);
  return out;
}

}  // namespace weft::server
