// The vault's primitives, over OpenSSL's EVP interface directly (Poco Crypto's GCM has no
// associated data): AES-256-GCM with a fresh random 96-bit nonce per encryption and a 128-bit
// tag, random bytes, key ids, and the text forms (base64, hex) keys and ciphertexts are kept in.
// Nothing here logs; no error quotes a key, a plaintext or a ciphertext.
#pragma once

#include <weft/runtime/status.hpp>

#include <string>
#include <string_view>

namespace weft::credentials {

constexpr size_t kKeyBytes = 32;    // AES-256
constexpr size_t kNonceBytes = 12;  // 96 bits, GCM's natural nonce
constexpr size_t kTagBytes = 16;

// A 256-bit key, as raw bytes. Wiped when destroyed.
class SecretKey {
 public:
  SecretKey() = default;
  // Precondition: bytes.size() == kKeyBytes.
  explicit SecretKey(std::string bytes) : bytes_(std::move(bytes)) {}
  ~SecretKey();
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  SecretKey(SecretKey&&) = default;
  SecretKey& operator=(SecretKey&&) = default;

  const std::string& bytes() const { return bytes_; }
  bool empty() const { return bytes_.empty(); }
  // The first 8 hex digits of SHA-256 of the key: names it in the store and in errors without
  // telling anything useful about it.
  std::string id() const;

 private:
  std::string bytes_;
};

// `n` bytes from OpenSSL's CSPRNG; kInternal when it fails (never a weaker fallback).
Result<std::string> random_bytes(size_t n);

// A fresh random key.
Result<SecretKey> random_key();

// AES-256-GCM of `plaintext` under `key` with `aad` authenticated: nonce || ciphertext || tag.
// The nonce is random for every call.
Result<std::string> gcm_seal(const SecretKey& key, std::string_view aad, std::string_view plaintext);

// The plaintext of gcm_seal's output, when `key` and `aad` are those it was sealed with and
// nothing was changed; otherwise kInvalid "authentication failed" (nothing more is known, and
// nothing more is said).
Result<std::string> gcm_open(const SecretKey& key, std::string_view aad, std::string_view sealed);

// Standard base64 with padding, no line breaks.
std::string to_base64(std::string_view bytes);
// The bytes of standard base64 text; nullopt-like kInvalid on anything else.
Result<std::string> from_base64(std::string_view text);
// Lower-case hex.
std::string to_hex(std::string_view bytes);
// The bytes of hex text (either case); kInvalid on anything else.
Result<std::string> from_hex(std::string_view text);

}  // namespace weft::credentials
