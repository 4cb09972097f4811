// The identity of a span as W3C Trace Context carries it between processes: a 16-byte trace
// id, an 8-byte span id and the sampled flag, written as a `traceparent` header
// ("00-<32 hex trace id>-<16 hex span id>-<2 hex flags>").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::tracing {

struct SpanContext {
  std::array<uint8_t, 16> trace_id{};
  std::array<uint8_t, 8> span_id{};
  bool sampled = false;  // the trace-flags' sampled bit: spans of this trace are recorded

  // Both ids are set (an all-zero id is invalid by the W3C rules).
  bool valid() const;
  std::string trace_id_hex() const;  // 32 lowercase hex digits
  std::string span_id_hex() const;   // 16 lowercase hex digits
  // "00-<trace id>-<span id>-01" (or "-00" when not sampled); empty when !valid().
  std::string traceparent() const;

  // Parses a traceparent header value by the W3C Trace Context rules: version 00 exactly as
  // above; a later version is read by its first four fields; version ff, upper-case hex, an
  // all-zero id or a malformed field yield nullopt (the caller then starts a new trace).
  static std::optional<SpanContext> parse(std::string_view traceparent);
};

// Fresh random ids (never all zero). Not secret: they name spans, they authorise nothing.
std::array<uint8_t, 16> new_trace_id();
std::array<uint8_t, 8> new_span_id();

// Lower-case hex of `bytes` (trace and span ids in OTLP/JSON and logs).
std::string to_hex(const uint8_t* bytes, size_t size);

}  // namespace weft::tracing
