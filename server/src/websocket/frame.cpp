#include "websocket/frame.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>

#include <sstream>

namespace weft::websocket {

std::string encode_frame(Opcode opcode, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 10);
  out.push_back(static_cast<char>(0x80 | opcode));
  const uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  out.append(payload);
  return out;
}

std::string encode_close(uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, 123));
  return encode_frame(kClose, payload);
}

ParseOutcome parse_frame(std::string_view data, size_t max_payload, Frame& frame) {
  ParseOutcome out;
  auto error = [&](uint16_t code, std::string reason) {
    out.kind = ParseOutcome::Kind::kError;
    out.code = code;
    out.reason = std::move(reason);
    return out;
  };
  if (data.size() < 2) return out;
  const auto b0 = static_cast<uint8_t>(data[0]);
  const auto b1 = static_cast<uint8_t>(data[1]);
  if (b0 & 0x70) return error(kProtocolError, "reserved bits are set");
  const uint8_t opcode = b0 & 0x0F;
  const bool control = opcode >= 0x8;
  if (!(opcode <= kBinary || opcode == kClose || opcode == kPing || opcode == kPong))
    return error(kProtocolError, "unknown opcode");
  if (!(b1 & 0x80)) return error(kProtocolError, "client frames must be masked");
  uint64_t length = b1 & 0x7F;
  size_t pos = 2;
  if (length == 126) {
    if (data.size() < 4) return out;
    length = (uint64_t(static_cast<uint8_t>(data[2])) << 8) | static_cast<uint8_t>(data[3]);
    pos = 4;
  } else if (length == 127) {
    if (data.size() < 10) return out;
    length = 0;
    for (size_t i = 2; i < 10; ++i) length = (length << 8) | static_cast<uint8_t>(data[i]);
    pos = 10;
  }
  if (control && (length > 125 || !(b0 & 0x80))) return error(kProtocolError, "malformed control frame");
  if (length > max_payload)
    return error(kMessageTooBig, "a frame is larger than the limit of " + std::to_string(max_payload) + " bytes");
  if (data.size() < pos + 4 + length) return out;
  const char* mask = data.data() + pos;
  pos += 4;
  frame.fin = (b0 & 0x80) != 0;
  frame.opcode = static_cast<Opcode>(opcode);
  frame.payload.assign(data.substr(pos, length));
  for (size_t i = 0; i < frame.payload.size(); ++i) frame.payload[i] = static_cast<char>(frame.payload[i] ^ mask[i % 4]);
  out.kind = ParseOutcome::Kind::kFrame;
  out.consumed = pos + length;
  return out;
}

std::string accept_key(std::string_view client_key) {
  Poco::SHA1Engine sha1;
  sha1.update(std::string(client_key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  const auto& digest = sha1.digest();
  std::ostringstream out;
  Poco::Base64Encoder b64(out);
  b64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  b64.close();
  return out.str();
}

bool valid_client_key(std::string_view key) {
  if (key.size() != 24) return false;
  try {
    std::istringstream in{std::string(key)};
    Poco::Base64Decoder b64(in);
    std::string decoded((std::istreambuf_iterator<char>(b64)), std::istreambuf_iterator<char>());
    return decoded.size() == 16;
  } catch (...) {
    return false;
  }
}

}  // namespace weft::websocket
