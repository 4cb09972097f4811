// The host's side of login sessions: the auth.jwt.* settings resolved into what the weft.jwt
// provider is opened with (the key material itself, never a config key name), the key the CSRF
// tokens are derived from, and the token lifetimes. For HS256 the secret is auth.jwt.secret
// (WEFT_JWT_SECRET, at least 32 bytes) or, when that is empty, the key file auth.jwt.secretFile
// ("" = <data>/jwt.key), created with mode 0600 and 32 random bytes on first start like the
// vault's master key (credentials/master_key.hpp).
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <string>
#include <string_view>

namespace weft::auth {

struct JwtSettings {
  // What weft.jwt's open receives: {"algorithm", "secret" | "privateKeyFile"/"publicKeyFile",
  // "issuer", "audience", "keyId"}. Holds a secret: never log it.
  Json provider_config;
  // HMAC key for CSRF tokens, derived from the signing key material with a fixed label (never
  // the signing key itself). 32 bytes.
  std::string csrf_key;
  int64_t access_ttl_seconds = 900;
  int64_t refresh_ttl_seconds = 14 * 24 * 3600;
  bool session_cookie = false;

  // Resolves the auth.jwt.* keys; creates the HS256 key file when missing. Fails with one line
  // naming the config key at fault (a short secret, an unknown algorithm, an unreadable key
  // file, a lifetime out of range), never quoting key material.
  static Result<JwtSettings> from_config(const Config& config);
};

// HMAC-SHA256 of `data` under `key` (32 raw bytes).
std::string hmac_sha256(std::string_view key, std::string_view data);
// Unpadded base64url (RFC 4648 section 5) of `bytes`.
std::string base64url(std::string_view bytes);

}  // namespace weft::auth
