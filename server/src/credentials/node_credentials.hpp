// The server's CredentialSource: a running node's credential, opened from the vault for the
// workflow's owner. A credential is handed over only when the owner (a user that exists and is
// not disabled) has a role with credential.use and at least `run` access to it (owner, share,
// or admin); every read, granted or refused, is recorded in the audit log as credential.read
// by actor kind "node". No error and no audit detail holds a secret or a field value.
#pragma once

#include <weft/runtime/credential_source.hpp>

namespace weft::server {

class Services;

class NodeCredentials final : public CredentialSource {
 public:
  // OWNERSHIP: `services` is borrowed and must outlive this object.
  explicit NodeCredentials(const Services& services) : services_(services) {}

  // See CredentialSource. When request.workflow_owner is empty, the owner is read from the
  // stored workflow. Refusals are kNode with a message that says "access denied" (an unknown
  // credential id answers the same, so ids cannot be probed from a workflow), or kInvalid for
  // a credential of a type the parameter does not take.
  Result<NodeCredential> open_for_node(const NodeCredentialRequest& request) const override;

 private:
  const Services& services_;
};

}  // namespace weft::server
