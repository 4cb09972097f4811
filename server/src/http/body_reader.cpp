#include "http/body_reader.hpp"

#include <algorithm>

namespace weft::http {

namespace {

constexpr size_t kMaxChunkLine = 4096;      // chunk size + extensions
constexpr size_t kMaxTrailerBytes = 8192;   // trailer fields after the last chunk, ignored

using Kind = BodyOutcome::Kind;

BodyOutcome outcome(Kind kind, std::string detail) { return {kind, std::move(detail)}; }

BodyOutcome ended(ByteSource& source) {
  return outcome(Kind::kTruncated, source.failure() == ByteSource::Failure::kTimeout
                                       ? "the request body was not received in time"
                                       : "the connection ended inside the request body");
}

// Reads exactly `n` bytes onto `out`.
bool read_exactly(ByteSource& source, uint64_t n, std::string& out) {
  char buffer[16384];
  while (n > 0) {
    size_t got = source.read(buffer, static_cast<size_t>(std::min<uint64_t>(n, sizeof buffer)));
    if (got == 0) return false;
    out.append(buffer, got);
    n -= got;
  }
  return true;
}

// Reads one line (without its CR LF) of at most `max` bytes. -1: input ended; -2: too long.
int read_line(ByteSource& source, size_t max, std::string& line) {
  line.clear();
  while (true) {
    int c = source.get();
    if (c < 0) return -1;
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return 0;
    }
    if (line.size() >= max) return -2;
    line.push_back(static_cast<char>(c));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

BodyOutcome read_chunked(ByteSource& source, size_t limit, std::string& out) {
  std::string line;
  while (true) {
    int r = read_line(source, kMaxChunkLine, line);
    if (r == -1) return ended(source);
    if (r == -2) return outcome(Kind::kMalformed, "a chunk-size line of the chunked body is too long");
    // chunk-size [; extensions]
    size_t i = 0;
    uint64_t size = 0;
    while (i < line.size() && hex_digit(line[i]) >= 0) {
      if (i >= 15) return outcome(Kind::kMalformed, "a chunk size of the chunked body is too large");
      size = size * 16 + static_cast<uint64_t>(hex_digit(line[i]));
      ++i;
    }
    if (i == 0) return outcome(Kind::kMalformed, "the chunked body has a malformed chunk size");
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] != ';')
      return outcome(Kind::kMalformed, "the chunked body has a malformed chunk size");
    if (size == 0) break;
    if (size > limit - out.size())
      return outcome(Kind::kTooLarge, "the request body is larger than the limit of " + std::to_string(limit) + " bytes");
    if (!read_exactly(source, size, out)) return ended(source);
    r = read_line(source, 1, line);
    if (r == -1) return ended(source);
    if (r == -2 || !line.empty()) return outcome(Kind::kMalformed, "a chunk of the chunked body is not followed by CRLF");
  }
  // Trailer fields up to an empty line; read and dropped.
  size_t trailer = 0;
  while (true) {
    int r = read_line(source, kMaxTrailerBytes, line);
    if (r == -1) return ended(source);
    if (r == -2) return outcome(Kind::kMalformed, "the trailer of the chunked body is too large");
    if (line.empty()) return outcome(Kind::kComplete, {});
    trailer += line.size();
    if (trailer > kMaxTrailerBytes) return outcome(Kind::kMalformed, "the trailer of the chunked body is too large");
  }
}

}  // namespace

BodyOutcome read_body(ByteSource& source, BodyFraming framing, uint64_t content_length, size_t limit,
                      std::string& out) {
  out.clear();
  switch (framing) {
    case BodyFraming::kNone: return outcome(Kind::kComplete, {});
    case BodyFraming::kLength:
      if (content_length > limit)
        return outcome(Kind::kTooLarge, "the request body of " + std::to_string(content_length) +
                                            " bytes is larger than the limit of " + std::to_string(limit) + " bytes");
      out.reserve(static_cast<size_t>(content_length));
      if (!read_exactly(source, content_length, out)) return ended(source);
      return outcome(Kind::kComplete, {});
    case BodyFraming::kChunked: return read_chunked(source, limit, out);
  }
  return outcome(Kind::kMalformed, "unknown body framing");
}

}  // namespace weft::http
