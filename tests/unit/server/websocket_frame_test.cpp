// RFC 6455 framing of the /ws endpoint: the handshake key, server frames, and client frames
// (masked, within the limit, well-formed) — the parser refuses what the RFC forbids.
#include "websocket/frame.hpp"

#include <gtest/gtest.h>

namespace weft::websocket {
namespace {

// A client frame: FIN, `opcode`, masked with `mask`.
std::string client_frame(uint8_t opcode, const std::string& payload, bool fin = true, bool masked = true) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const char mask[4] = {0x11, 0x22, 0x33, 0x44};
  const uint8_t m = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(m | payload.size()));
  } else {
    out.push_back(static_cast<char>(m | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  }
  if (masked) out.append(mask, 4);
  for (size_t i = 0; i < payload.size(); ++i) out.push_back(masked ? static_cast<char>(payload[i] ^ mask[i % 4]) : payload[i]);
  return out;
}

TEST(WebSocketFrame, AcceptKeyIsTheRfcExample) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_TRUE(valid_client_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_FALSE(valid_client_key("c2hvcnQ="));
  EXPECT_FALSE(valid_client_key(""));
}

TEST(WebSocketFrame, EncodesServerFramesUnmaskedWithTheRightLength) {
  EXPECT_EQ(encode_frame(kText, "hi"), std::string("\x81\x02hi", 4));
  std::string mid = encode_frame(kText, std::string(300, 'a'));
  EXPECT_EQ(static_cast<uint8_t>(mid[1]), 126);
  EXPECT_EQ(mid.size(), 304u);
  std::string big = encode_frame(kBinary, std::string(70000, 'a'));
  EXPECT_EQ(static_cast<uint8_t>(big[1]), 127);
  EXPECT_EQ(big.size(), 70010u);
  std::string close = encode_close(kPolicyViolation, std::string(200, 'r'));
  EXPECT_EQ(static_cast<uint8_t>(close[0]), 0x88);
  EXPECT_EQ(static_cast<uint8_t>(close[1]), 125);  // the reason is cut to fit a control frame
  EXPECT_EQ(static_cast<uint8_t>(close[2]) << 8 | static_cast<uint8_t>(close[3]), 1008);
}

TEST(WebSocketFrame, ParsesMaskedClientFramesAndWaitsForWholeOnes) {
  std::string bytes = client_frame(kText, std::string(200, 'z')) + client_frame(kPing, "p");
  Frame f;
  EXPECT_EQ(parse_frame(bytes.substr(0, 3), 1000, f).kind, ParseOutcome::Kind::kNeedMore);
  EXPECT_EQ(parse_frame(bytes.substr(0, 100), 1000, f).kind, ParseOutcome::Kind::kNeedMore);
  auto got = parse_frame(bytes, 1000, f);
  ASSERT_EQ(got.kind, ParseOutcome::Kind::kFrame);
  EXPECT_EQ(f.opcode, kText);
  EXPECT_EQ(f.payload, std::string(200, 'z'));
  got = parse_frame(std::string_view(bytes).substr(got.consumed), 1000, f);
  ASSERT_EQ(got.kind, ParseOutcome::Kind::kFrame);
  EXPECT_EQ(f.opcode, kPing);
  EXPECT_EQ(f.payload, "p");
}

TEST(WebSocketFrame, RefusesWhatTheRfcForbids) {
  Frame f;
  auto unmasked = parse_frame(client_frame(kText, "x", true, false), 1000, f);
  EXPECT_EQ(unmasked.kind, ParseOutcome::Kind::kError);
  EXPECT_EQ(unmasked.code, kProtocolError);
  auto big = parse_frame(client_frame(kText, std::string(2000, 'a')), 1000, f);
  EXPECT_EQ(big.kind, ParseOutcome::Kind::kError);
  EXPECT_EQ(big.code, kMessageTooBig);
  auto fragmented_ping = parse_frame(client_frame(kPing, "x", false), 1000, f);
  EXPECT_EQ(fragmented_ping.code, kProtocolError);
  std::string reserved = client_frame(kText, "x");
  reserved[0] = static_cast<char>(reserved[0] | 0x40);
  EXPECT_EQ(parse_frame(reserved, 1000, f).code, kProtocolError);
  EXPECT_EQ(parse_frame(client_frame(0x3, "x"), 1000, f).code, kProtocolError);
}

}  // namespace
}  // namespace weft::websocket
