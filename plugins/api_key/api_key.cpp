// weft.api_key: API keys as an auth provider (sdk/AUTH.md).
//
// A key is "weft_" followed by 43 base62 characters drawn from the OS CSPRNG (256 bits). The
// provider mints keys ({"op": "issue"}) and recognises them on requests, in `X-API-Key` or as
// `Authorization: Bearer weft_...`; it vouches only for the key's SHA-256, which the host looks
// up in its own store on every request. The key itself is never kept: the host stores the hash
// and a short display prefix.
#include <weft/sdk.hpp>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <string>

namespace {

constexpr std::string_view kScheme = "weft_";
constexpr size_t kSecretChars = 43;  // 43 * log2(62) > 256 bits
constexpr size_t kKeyLength = kScheme.size() + kSecretChars;
constexpr size_t kPrefixLength = kScheme.size() + 8;  // shown in lists to tell keys apart
constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool is_base62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool well_formed(std::string_view key) {
  if (key.size() != kKeyLength || key.substr(0, kScheme.size()) != kScheme) return false;
  for (char c : key.substr(kScheme.size()))
    if (!is_base62(c)) return false;
  return true;
}

// A new key: the scheme and kSecretChars uniformly random base62 characters (rejection
// sampling over random bytes, so no character is more likely than another).
std::string new_key() {
  std::string key(kScheme);
  std::array<unsigned char, 64> buf{};
  size_t used = buf.size();
  while (key.size() < kKeyLength) {
    if (used == buf.size()) {
      if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
        throw weft::Error(WEFT_ERR_UNAVAILABLE, "the system random generator failed");
      used = 0;
    }
    unsigned char b = buf[used++];
    if (b < 248) key.push_back(kAlphabet[b % 62]);  // 248 = 4 * 62
  }
  return key;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw weft::Error(WEFT_ERR_INTERNAL, "SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

class ApiKeyProvider : public weft::AuthProvider {
 public:
  ApiKeyProvider(weft::Context&, weft::Value) {}

  weft::OwnedValue authenticate(weft::Context& ctx, weft::Value request) override {
    weft::Value headers = request["headers"];
    std::string_view key;
    if (weft::Value h = headers["x-api-key"]; h.is_string()) {
      key = h.as_string();
    } else if (weft::Value a = headers["authorization"]; a.is_string()) {
      std::string_view v = a.as_string();
      constexpr std::string_view kBearer = "Bearer ";
      if (v.size() <= kBearer.size() || !equal_ci(v.substr(0, kBearer.size()), kBearer))
        throw weft::Error(WEFT_ERR_NOT_FOUND, "no API key");
      key = v.substr(kBearer.size());
      // Another provider's bearer token (a JWT, say) is not ours to judge.
      if (key.substr(0, kScheme.size()) != kScheme)
        throw weft::Error(WEFT_ERR_NOT_FOUND, "no API key");
    } else {
      throw weft::Error(WEFT_ERR_NOT_FOUND, "no API key");
    }
    if (!well_formed(key)) throw weft::Error(WEFT_ERR_INVALID, "malformed API key");
    weft::OwnedValue claim = ctx.object();
    claim.set("apiKeyHash", sha256_hex(key));
    return claim;
  }

  weft::OwnedValue invoke(weft::Context& ctx, weft::Value request) override {
    std::string_view op = request["op"].as_string();
    if (op == "issue") {
      std::string key = new_key();
      weft::OwnedValue out = ctx.object();
      out.set("key", key);
      out.set("prefix", std::string_view(key).substr(0, kPrefixLength));
      out.set("hash", sha256_hex(key));
      return out;
    }
    if (op == "hash") {
      weft::Value key = request["key"];
      if (!key.is_string() || !well_formed(key.as_string()))
        throw weft::Error(WEFT_ERR_INVALID, "hash: 'key' is not a weft API key");
      weft::OwnedValue out = ctx.object();
      out.set("hash", sha256_hex(key.as_string()));
      return out;
    }
    return weft::AuthProvider::invoke(ctx, request);
  }

 private:
  static bool equal_ci(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] + 32) : a[i];
      char y = b[i] >= 'A' && b[i] <= 'Z' ? char(b[i] + 32) : b[i];
      if (x != y) return false;
    }
    return true;
  }
};

constexpr const char* kDescription = R"({
  "displayName": "API keys",
  "description": "Random 256-bit keys, sent as X-API-Key or Authorization: Bearer; stored by the host only as a SHA-256 hash with a display prefix.",
  "credential": "X-API-Key: weft_... or Authorization: Bearer weft_...",
  "challenge": "Bearer realm=\"weft\"",
  "operations": ["issue", "hash"],
  "config": []
})";

}  // namespace

WEFT_PLUGIN("weft-api-key", "1.0.0") {
  registry.add_auth<ApiKeyProvider>("weft.api_key", kDescription);
}
