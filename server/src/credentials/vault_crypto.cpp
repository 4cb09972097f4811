#include "credentials/vault_crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace weft::credentials {

namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

SecretKey::~SecretKey() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

std::string SecretKey::id() const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes_.data(), bytes_.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "unknown";
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), 4));
}

Result<std::string> random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(bytes_of(out), static_cast<int>(n)) != 1)
    return Status::internal("the system's random number generator failed");
  return out;
}

Result<SecretKey> random_key() {
  auto bytes = random_bytes(kKeyBytes);
  if (!bytes) return bytes.status();
  return SecretKey(std::move(*bytes));
}

Result<std::string> gcm_seal(const SecretKey& key, std::string_view aad, std::string_view plaintext) {
  if (key.bytes().size() != kKeyBytes) return Status::internal("vault: a key is not 256 bits");
  auto nonce = random_bytes(kNonceBytes);
  if (!nonce) return nonce.status();
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out = *nonce;
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  unsigned char* ct = bytes_of(out) + kNonceBytes;
  int n = 0;
  int total = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key.bytes()), bytes_of(*nonce)) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes_of(aad), static_cast<int>(aad.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), ct, &n, bytes_of(plaintext), static_cast<int>(plaintext.size())) == 1;
  total = n;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), ct + total, &n) == 1;
  total += n;
  ok = ok && static_cast<size_t>(total) == plaintext.size() &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), ct + total) == 1;
  if (!ok) return Status::internal("vault: AES-256-GCM encryption failed");
  return out;
}

Result<std::string> gcm_open(const SecretKey& key, std::string_view aad, std::string_view sealed) {
  const Status failed = Status::invalid("authentication failed");
  if (key.bytes().size() != kKeyBytes || sealed.size() < kNonceBytes + kTagBytes) return failed;
  const std::string_view nonce = sealed.substr(0, kNonceBytes);
  const std::string_view ct = sealed.substr(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(ct.size(), '\0');
  int n = 0;
  int total = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key.bytes()), bytes_of(nonce)) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes_of(aad), static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), bytes_of(out), &n, bytes_of(ct), static_cast<int>(ct.size())) == 1;
  total = n;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) == 1 &&
       EVP_DecryptFinal_ex(ctx.get(), bytes_of(out) + total, &n) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return failed;
  }
  out.resize(static_cast<size_t>(total + n));
  return out;
}

std::string to_base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(bytes_of(out), bytes_of(bytes), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> from_base64(std::string_view text) {
  const Status bad = Status::invalid("not base64");
  if (text.empty() || text.size() % 4 != 0) return bad;
  for (char c : text)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
          c == '='))
      return bad;
  size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  if (text.substr(0, text.size() - padding).find('=') != std::string_view::npos) return bad;
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(bytes_of(out), bytes_of(text), static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) < padding) return bad;
  // EVP_DecodeBlock counts the padding as zero bytes.
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

Result<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return Status::invalid("not hex");
  std::string out(text.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(text[2 * i]);
    int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::invalid("not hex");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace weft::credentials
