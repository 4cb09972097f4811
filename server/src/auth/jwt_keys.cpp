#include "auth/jwt_keys.hpp"

#include "credentials/master_key.hpp"
#include "credentials/vault_crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace weft::auth {

namespace {

constexpr size_t kMinSecretBytes = 32;

// The PEM text of `file`, or kInvalid naming the config key.
Result<std::string> read_pem(const std::string& file, const char* key) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::invalid(std::string(key) + ": cannot read the key file " + file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length))
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string base64url(std::string_view bytes) {
  std::string out = credentials::to_base64(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

Result<JwtSettings> JwtSettings::from_config(const Config& config) {
  JwtSettings s;
  const std::string algorithm = config.get_string("auth.jwt.algorithm");
  s.access_ttl_seconds = config.get("auth.jwt.accessTokenTtlSeconds").get<int64_t>();
  s.refresh_ttl_seconds = config.get("auth.jwt.refreshTokenTtlSeconds").get<int64_t>();
  s.session_cookie = config.get("auth.sessionCookie").get<bool>();
  if (s.access_ttl_seconds < 10 || s.access_ttl_seconds > 24 * 3600)
    return Status::invalid("auth.jwt.accessTokenTtlSeconds must be from 10 to 86400, got " +
                           std::to_string(s.access_ttl_seconds));
  if (s.refresh_ttl_seconds < s.access_ttl_seconds || s.refresh_ttl_seconds > 365LL * 24 * 3600)
    return Status::invalid("auth.jwt.refreshTokenTtlSeconds must be from accessTokenTtlSeconds to 31536000, got " +
                           std::to_string(s.refresh_ttl_seconds));
  const std::string issuer = config.get_string("auth.jwt.issuer");
  const std::string audience = config.get_string("auth.jwt.audience");
  if (issuer.empty()) return Status::invalid("auth.jwt.issuer must not be empty");
  if (audience.empty()) return Status::invalid("auth.jwt.audience must not be empty");

  Json provider = {{"algorithm", algorithm}, {"issuer", issuer}, {"audience", audience}};
  std::string material;   // secret key material the CSRF key and the key id derive from
  std::string key_id_of;  // what the key id names (the public part when there is one)
  if (algorithm == "HS256") {
    std::string secret = config.get_string("auth.jwt.secret");
    if (!secret.empty()) {
      if (secret.size() < kMinSecretBytes)
        return Status::invalid("auth.jwt.secret (WEFT_JWT_SECRET) is shorter than 32 bytes: HS256 needs a key of at "
                               "least 256 bits (e.g. `openssl rand -hex 32`)");
    } else {
      credentials::MasterKeySource source;
      const std::string file = config.get_string("auth.jwt.secretFile");
      source.file = file.empty() ? std::filesystem::path(config.get_string("data")) / "jwt.key"
                                 : std::filesystem::path(file);
      auto key = credentials::load_master_key(source, true);
      if (!key) return Status(key.status().code(), "auth.jwt.secretFile: " + key.status().message());
      // The file's 32 random bytes, written as hex, are the HMAC key as text: 256 bits.
      secret = credentials::to_hex(key->bytes());
    }
    provider["secret"] = secret;
    material = secret;
    key_id_of = secret;
  } else if (algorithm == "RS256" || algorithm == "ES256") {
    const std::string priv = config.get_string("auth.jwt.privateKeyFile");
    const std::string pub = config.get_string("auth.jwt.publicKeyFile");
    if (priv.empty() && pub.empty())
      return Status::invalid("auth.jwt.privateKeyFile: " + algorithm + " needs a PEM private key file (or "
                             "auth.jwt.publicKeyFile to verify only)");
    if (!priv.empty()) {
      auto pem = read_pem(priv, "auth.jwt.privateKeyFile");
      if (!pem) return pem.status();
      material = *pem;
      key_id_of = *pem;
      provider["privateKeyFile"] = priv;
    }
    if (!pub.empty()) {
      auto pem = read_pem(pub, "auth.jwt.publicKeyFile");
      if (!pem) return pem.status();
      key_id_of = *pem;
      provider["publicKeyFile"] = pub;
    }
  } else {
    return Status::invalid("auth.jwt.algorithm must be HS256, RS256 or ES256, got '" + algorithm.substr(0, 16) + "'");
  }
  // A key id that changes with the key, and tells nothing about a secret key.
  provider["keyId"] = base64url(hmac_sha256(key_id_of, "weft jwt key id v1")).substr(0, 16);
  // Without secret material (verify only) there is no login here: a random CSRF key is as good.
  if (material.empty()) {
    auto random = credentials::random_bytes(32);
    if (!random) return random.status();
    material = *random;
  }
  s.csrf_key = hmac_sha256(material, "weft csrf key v1");
  s.provider_config = std::move(provider);
  return s;
}

}  // namespace weft::auth
