// The access log: one info line per answered request, logger "access". It holds the method,
// the route TEMPLATE (so ids in paths do not spread into the log, and lines group by route),
// the status, the duration, the bytes sent, the principal id, the client's address and the
// request id. Only when no route matched is the raw path written, cut to kMaxPathChars. Never
// the query string (it may carry tokens), never a header, never a body.
#pragma once

#include "logging/log_record.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace weft::logging {

inline constexpr size_t kMaxPathChars = 200;

struct AccessEntry {
  std::string method;          // may be empty when the request head could not be read
  std::string route;           // the matched template; empty when none matched
  std::string path;            // the request path WITHOUT its query; used only when route is empty
  int status = 0;
  std::chrono::steady_clock::duration duration{};  // head read to response written
  size_t bytes_sent = 0;       // head and body as written
  std::string principal_id;    // empty: no authenticated caller
  std::string remote_address;  // "address:port" of the peer
  std::string request_id;
};

// The record of `entry` (stamped now; the calling thread's trace and span ids, if any, kept):
// message "<method> <route or path> <status>", fields method, route | path, status,
// durationMs, bytes, principalId (left out when empty), remoteAddress; requestId in the context.
LogRecord access_record(const AccessEntry& entry);

// Writes access_record(entry) at info.
void log_access(const AccessEntry& entry);

}  // namespace weft::logging
