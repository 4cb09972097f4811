// Which peers may say who the client is (server.trustedProxies): a TLS-terminating proxy or
// load balancer in front of weft. For a request from a trusted peer the client is the
// rightmost address of X-Forwarded-For that is not itself a trusted proxy: the last hop the
// trusted chain vouches for (anything left of it the client could have written). For any other
// peer X-Forwarded-For is ignored. The client address is what rate limits, the audit log and
// the access log see.
#pragma once

#include "http/headers.hpp"

#include <weft/runtime/status.hpp>

#include <Poco/Net/IPAddress.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts no one

  // Addresses ("10.0.0.5", "::1") and CIDR blocks ("10.0.0.0/8", "fd00::/8"). kInvalid
  // naming the entry when one is neither.
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);

  bool empty() const { return blocks_.empty(); }
  // Whether `address` (no port) is in one of the blocks.
  bool trusts(const Poco::Net::IPAddress& address) const;

  // The client's address for a request from `peer` ("host:port", "[v6]:port", or a bare
  // address) with `headers`: `peer` itself unless it is trusted and X-Forwarded-For (every
  // field of it, in order) names someone; then the address found as described above (no
  // port). A malformed entry stops the walk at the entry to its right.
  std::string client_address(std::string_view peer, const HeaderList& headers) const;

 private:
  std::vector<std::pair<Poco::Net::IPAddress, unsigned>> blocks_;  // network, prefix length
};

}  // namespace weft::http
