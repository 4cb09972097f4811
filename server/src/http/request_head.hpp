// Reading a request line and header fields within limits. Parsing is Poco's
// (Poco::Net::HTTPRequest::read with MessageHeader::setFieldLimit); the byte bound on the whole
// head is ours, because Poco 1.11 fixes a field name at 256 and a value at 8192 bytes and has
// no total.
#pragma once

#include "http/byte_source.hpp"
#include "http/headers.hpp"

#include <string>

namespace weft::http {

struct HeadLimits {
  int max_fields = 100;      // server.maxHeaderFields
  size_t max_bytes = 8192;   // server.maxHeaderBytes: request line + fields
};

struct RequestHead {
  std::string method;
  std::string target;
  std::string version;  // "HTTP/1.1"
  HeaderList headers;
};

struct HeadOutcome {
  enum class Kind {
    kOk,
    kNoRequest,       // the input ended before a request began (a keep-alive close)
    kMalformed,       // 400
    kTooLarge,        // the fields are too many or too long: 431
    kUriTooLong,      // the request line alone is over the limit: 414
    kTimeout,         // the head did not arrive in time: 408
    kBroken,          // the connection failed
  };
  Kind kind = Kind::kOk;
  std::string detail;  // for the problem document
};

// Reads one request head from `source`, consuming exactly its bytes (through the empty line).
HeadOutcome read_request_head(ByteSource& source, const HeadLimits& limits, RequestHead& head);

}  // namespace weft::http
