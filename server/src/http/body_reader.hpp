// Reading a request body within a byte limit: a fixed Content-Length or chunked transfer
// coding. The reader never holds more than `limit` bytes of body: a declared length over the
// limit is refused before any byte is read, and a chunked body is cut off at the chunk that
// would cross it.
#pragma once

#include "http/byte_source.hpp"

#include <cstdint>
#include <string>

namespace weft::http {

enum class BodyFraming {
  kNone,     // no body (no Content-Length, no Transfer-Encoding)
  kLength,   // Content-Length bytes
  kChunked,  // Transfer-Encoding: chunked
};

struct BodyOutcome {
  enum class Kind {
    kComplete,   // `out` holds the whole body
    kTooLarge,   // over the limit: answer 413 and close the connection
    kMalformed,  // bad chunked coding: answer 400 and close
    kTruncated,  // the input ended or failed before the body did: close (408 on a timeout)
  };
  Kind kind = Kind::kComplete;
  std::string detail;  // for the problem document; never the body's content
};

// Reads a body of `framing` (`content_length` bytes for kLength) into `out`.
BodyOutcome read_body(ByteSource& source, BodyFraming framing, uint64_t content_length, size_t limit,
                      std::string& out);

}  // namespace weft::http
