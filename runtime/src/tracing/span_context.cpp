#include <weft/runtime/tracing/span_context.hpp>

#include <random>

namespace weft::tracing {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is invalid in a traceparent
}

// Reads `out.size()` bytes of lower-case hex from `text`; false when one is not hex.
template <size_t N>
bool read_hex(std::string_view text, std::array<uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <size_t N>
bool all_zero(const std::array<uint8_t, N>& bytes) {
  for (uint8_t b : bytes)
    if (b) return false;
  return true;
}

template <size_t N>
std::array<uint8_t, N> random_nonzero_bytes() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::array<uint8_t, N> out{};
  do {
    for (size_t i = 0; i < N; i += 8) {
      uint64_t r = rng();
      for (size_t j = 0; j < 8 && i + j < N; ++j) out[i + j] = static_cast<uint8_t>(r >> (8 * j));
    }
  } while (all_zero(out));
  return out;
}

}  // namespace

std::string to_hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

bool SpanContext::valid() const { return !all_zero(trace_id) && !all_zero(span_id); }

std::string SpanContext::trace_id_hex() const { return to_hex(trace_id.data(), trace_id.size()); }

std::string SpanContext::span_id_hex() const { return to_hex(span_id.data(), span_id.size()); }

std::string SpanContext::traceparent() const {
  if (!valid()) return {};
  return "00-" + trace_id_hex() + "-" + span_id_hex() + (sampled ? "-01" : "-00");
}

std::optional<SpanContext> SpanContext::parse(std::string_view value) {
  // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55 characters.
  constexpr size_t kLength = 55;
  if (value.size() < kLength) return std::nullopt;
  std::array<uint8_t, 1> version{}, flags{};
  if (!read_hex(value.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
  if (version[0] == 0 ? value.size() != kLength : (value.size() > kLength && value[kLength] != '-'))
    return std::nullopt;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return std::nullopt;
  SpanContext c;
  if (!read_hex(value.substr(3, 32), c.trace_id) || !read_hex(value.substr(36, 16), c.span_id) ||
      !read_hex(value.substr(53, 2), flags))
    return std::nullopt;
  if (!c.valid()) return std::nullopt;
  c.sampled = (flags[0] & 0x01) != 0;
  return c;
}

std::array<uint8_t, 16> new_trace_id() { return random_nonzero_bytes<16>(); }

std::array<uint8_t, 8> new_span_id() { return random_nonzero_bytes<8>(); }

}  // namespace weft::tracing
