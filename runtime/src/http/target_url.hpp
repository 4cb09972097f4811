// The parts of a request URL the client needs, parsed strictly from the text as written.
#pragma once

#include <weft/runtime/status.hpp>

#include <cstdint>
#include <string>

namespace weft::http::detail {

struct TargetUrl {
  bool tls = false;  // https
  std::string host;  // as written, IPv6 without brackets
  bool host_is_ipv6 = false;
  uint16_t port = 0;             // the scheme's default when the URL has none
  std::string host_header;       // the Host header: host, and port when not the default
  std::string target;            // origin-form request target: path and query as written
  bool has_credentials = false;  // the URL has user info
  std::string user;              // percent-decoded
  std::string password;          // percent-decoded

  // "host:port" ("[::1]:8080"), the only part of the URL that failure messages name.
  std::string peer() const;
};

// Parses an absolute http:// or https:// URL. The path and query are kept byte for byte (no
// re-encoding), the fragment is dropped. kInvalid when the URL is malformed, has another scheme,
// or its path or query holds spaces, control characters or non-ASCII bytes (they must be
// percent-encoded). Messages name the scheme at most, never any other part of the URL.
Result<TargetUrl> parse_target_url(const std::string& url);

}  // namespace weft::http::detail
