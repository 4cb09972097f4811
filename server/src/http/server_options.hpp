// The HTTP server's settings, read and checked from the `server.*` (and `rateLimits.*`)
// configuration keys.
#pragma once

#include "http/rate_limit_options.hpp"
#include "http/trusted_proxies.hpp"

#include <weft/runtime/config.hpp>
#include <weft/runtime/status.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace weft::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // server.host
  int port = 8080;                 // server.port; 0 picks a free port
  int max_threads = 16;            // server.maxThreads: connections served at once
  int max_queued = 64;             // server.maxQueued: accepted connections waiting; 503 beyond
  size_t max_body_bytes = 1048576; // server.maxBodyBytes
  int max_header_fields = 100;     // server.maxHeaderFields
  size_t max_header_bytes = 8192;  // server.maxHeaderBytes: request line + header fields
  // server.requestTimeoutMs: the socket read/write timeout, and the deadline for receiving a
  // whole request (head and body) once its first byte arrived.
  std::chrono::milliseconds request_timeout{30000};
  // How long an idle keep-alive connection is kept: min(requestTimeout, 15 s).
  std::chrono::milliseconds keep_alive_timeout{15000};
  int max_keep_alive_requests = 1000;  // requests on one connection before it is closed
  std::chrono::milliseconds shutdown_grace{30000};  // server.shutdownGraceMs
  RateLimitOptions rate_limits;                     // rateLimits.*
  TrustedProxies trusted_proxies;                   // server.trustedProxies

  // Reads the server.* keys; errors name the key, the accepted range and the value given.
  static Result<ServerOptions> from_config(const Config& config);
};

}  // namespace weft::http
