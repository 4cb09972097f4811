// Where a running node's credentials come from (host->credential, ABI 1.2). The executor asks
// its CredentialSource for each read; the server's source (server/src/credentials/
// node_credentials.hpp) opens the credential from the vault, checks that the workflow's owner
// may use it and records the read. Without a source (`weft run` with no store) a node's
// credential read fails with a clear error.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <string>
#include <vector>

namespace weft {

// Who asks for which credential: the facts an access decision and an audit record need.
struct NodeCredentialRequest {
  std::string execution_id;
  std::string workflow_id;
  std::string workflow_owner;  // user id; empty when the runner does not know it
  std::string node_id;
  std::string node_type;       // "weft.http_request@1"
  std::string parameter;       // the node's credential parameter
  std::string credential_id;   // the parameter's literal value
  // The types the parameter takes (its "credentialTypes"); never empty.
  std::vector<std::string> allowed_types;
};

// An opened credential: its type and its data with the secret fields in clear. Lives only as
// long as the node call that asked for it.
struct NodeCredential {
  std::string id;
  std::string type;
  Json data = Json::object();
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;

  // Opens the credential for the node, or fails: kNotFound (no such credential; the server's
  // source answers an unknown id as access denied instead, so ids cannot be probed), kInvalid (a
  // type not in allowed_types), kNode (access denied: the workflow's owner may not use it; the
  // message says "access denied"), kUnavailable (the store is down). The message names
  // neither a secret nor a field value. Thread-safe: nodes of many executions ask at once.
  virtual Result<NodeCredential> open_for_node(const NodeCredentialRequest& request) const = 0;
};

}  // namespace weft
