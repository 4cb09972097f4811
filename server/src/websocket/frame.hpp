// RFC 6455 framing, server side: encoding the frames the server sends (never masked) and
// parsing the frames a client sends (always masked) within a payload limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weft::websocket {

enum Opcode : uint8_t { kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9, kPong = 0xA };

// Close codes the server uses (RFC 6455 section 7.4.1).
enum CloseCode : uint16_t {
  kNormal = 1000,
  kGoingAway = 1001,
  kProtocolError = 1002,
  kUnsupportedData = 1003,
  kInvalidPayload = 1007,
  kPolicyViolation = 1008,
  kMessageTooBig = 1009,
  kTryAgainLater = 1013,
};

// One final, unmasked frame carrying `payload`.
std::string encode_frame(Opcode opcode, std::string_view payload);
// A close frame with `code` and `reason` (cut to fit the 125-byte control frame limit).
std::string encode_close(uint16_t code, std::string_view reason);

struct Frame {
  bool fin = true;
  Opcode opcode = kText;
  std::string payload;  // unmasked
};

struct ParseOutcome {
  enum class Kind {
    kNeedMore,  // `data` does not yet hold a whole frame
    kFrame,     // `frame` is set; `consumed` bytes of `data` were its
    kError,     // the client broke the protocol: close with `code` and `reason`
  };
  Kind kind = Kind::kNeedMore;
  size_t consumed = 0;
  uint16_t code = 0;
  std::string reason;
};

// Parses the first frame of `data`, a client's bytes. Refuses (kError) unmasked frames,
// reserved bits, unknown opcodes, fragmented or over-long control frames and a payload longer
// than `max_payload` (1009).
ParseOutcome parse_frame(std::string_view data, size_t max_payload, Frame& frame);

// Sec-WebSocket-Accept for the client's Sec-WebSocket-Key: base64(SHA-1(key + RFC GUID)).
std::string accept_key(std::string_view client_key);

// True when `key` is the base64 of 16 bytes, as RFC 6455 requires of Sec-WebSocket-Key.
bool valid_client_key(std::string_view key);

}  // namespace weft::websocket
