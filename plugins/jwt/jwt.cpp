// weft.jwt: signed session access tokens (JWT, RFC 7519) as an auth provider (sdk/AUTH.md).
//
// The host mints a token for a login session ({"op": "issue"}) and the provider recognises it
// on requests, as `Authorization: Bearer <jwt>` or in the cookie `__Host-weft-session`. The
// verifier accepts exactly one algorithm, the configured one (HS256, RS256 or ES256; never
// `none`), checks the key id, issuer, audience, expiry (required) and not-before, and vouches
// for {"userId": sub, "sessionId": sid}; the host then checks on every request that the user
// is enabled and the session not revoked. Rejections name the kind of problem, never the token.
#include <weft/sdk.hpp>

#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

#include <openssl/rand.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace {

constexpr std::string_view kSessionCookie = "__Host-weft-session";
constexpr size_t kMinHmacKeyBytes = 32;  // 256 bits, as RFC 7518 3.2 requires for HS256
constexpr int64_t kMaxTtlSeconds = 24 * 3600;
// Tolerated clock difference for `nbf` only: a token is never accepted after its expiry.
constexpr int64_t kNotBeforeLeewaySeconds = 5;
constexpr size_t kMaxTokenBytes = 8192;

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Three dot-separated base64url parts, the first two non-empty (an unsigned token has an empty
// third part: it is a JWT, and is rejected as one).
bool has_jwt_shape(std::string_view t) {
  if (t.empty() || t.size() > kMaxTokenBytes) return false;
  size_t first = t.find('.');
  if (first == std::string_view::npos || first == 0) return false;
  size_t second = t.find('.', first + 1);
  if (second == std::string_view::npos || second == first + 1) return false;
  if (t.find('.', second + 1) != std::string_view::npos) return false;
  for (char c : t)
    if (c != '.' && !is_base64url(c)) return false;
  return true;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-'             ? 62
            : c == '_'             ? 63
                                   : -1;
    if (v < 0) return std::nullopt;
    buf = (buf << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((buf >> bits) & 0xff));
    }
  }
  return out;
}

std::string base64url_encode(const unsigned char* data, size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    buf = (buf << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buf >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buf << (6 - bits)) & 63]);
  return out;
}

std::string trimmed(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// The value of cookie `name` in a Cookie header, or nullopt.
std::optional<std::string> cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string pair = trimmed(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq != std::string::npos && std::string_view(pair).substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return std::nullopt;
}

bool starts_with_ci(std::string_view v, std::string_view prefix) {
  if (v.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = v[i] >= 'A' && v[i] <= 'Z' ? char(v[i] + 32) : v[i];
    char b = prefix[i] >= 'A' && prefix[i] <= 'Z' ? char(prefix[i] + 32) : prefix[i];
    if (a != b) return false;
  }
  return true;
}

std::string config_string(weft::Value config, const char* name, std::string_view fallback = {}) {
  weft::Value v = config[name];
  if (!v.exists() || v.is_null()) return std::string(fallback);
  if (!v.is_string()) throw weft::Error(WEFT_ERR_INVALID, std::string("weft.jwt: ") + name + " must be a string");
  return std::string(v.as_string());
}

[[noreturn]] void reject(const char* reason) { throw weft::Error(WEFT_ERR_INVALID, reason); }

// A numeric claim as whole seconds, or nullopt when absent; a non-number is malformed.
std::optional<int64_t> seconds_claim(const Poco::JSON::Object& payload, const char* name) {
  if (!payload.has(name)) return std::nullopt;
  Poco::Dynamic::Var v = payload.get(name);
  if (!v.isNumeric()) reject("malformed token");
  try {
    return static_cast<int64_t>(v.convert<double>());
  } catch (const Poco::Exception&) {
    reject("malformed token");
  }
}

class JwtProvider : public weft::AuthProvider {
 public:
  JwtProvider(weft::Context&, weft::Value config) {
    if (!config.is_object()) throw weft::Error(WEFT_ERR_INVALID, "weft.jwt: the config must be an object");
    algorithm_ = config_string(config, "algorithm", "HS256");
    issuer_ = config_string(config, "issuer", "weft");
    audience_ = config_string(config, "audience", "weft-api");
    key_id_ = config_string(config, "keyId");
    if (key_id_.empty()) throw weft::Error(WEFT_ERR_INVALID, "weft.jwt: keyId is required");
    const std::string private_file = config_string(config, "privateKeyFile");
    const std::string public_file = config_string(config, "publicKeyFile");
    try {
      if (algorithm_ == "HS256") {
        std::string secret = config_string(config, "secret");
        if (secret.size() < kMinHmacKeyBytes)
          throw weft::Error(WEFT_ERR_INVALID, "weft.jwt: HS256 needs a secret of at least 32 bytes (256 bits), got " +
                                                  std::to_string(secret.size()));
        signer_.setHMACKey(secret);
        std::fill(secret.begin(), secret.end(), '\0');
        can_sign_ = true;
      } else if (algorithm_ == "RS256" || algorithm_ == "ES256") {
        if (private_file.empty() && public_file.empty())
          throw weft::Error(WEFT_ERR_INVALID, "weft.jwt: " + algorithm_ + " needs privateKeyFile (to issue) or publicKeyFile (to verify only)");
        if (algorithm_ == "RS256")
          signer_.setRSAKey(new Poco::Crypto::RSAKey(public_file, private_file));
        else
          signer_.setECKey(new Poco::Crypto::ECKey(public_file, private_file));
        can_sign_ = !private_file.empty();
      } else {
        throw weft::Error(WEFT_ERR_INVALID, "weft.jwt: algorithm must be HS256, RS256 or ES256, got '" +
                                                algorithm_.substr(0, 16) + "'");
      }
    } catch (const Poco::Exception& e) {
      // Poco's message names the file, not key material.
      throw weft::Error(WEFT_ERR_INVALID, "weft.jwt: cannot load the " + algorithm_ + " key: " + e.displayText());
    }
    // Exactly the configured algorithm: a token naming another one (`none`, or HS256 against
    // an RSA public key) is refused before any signature check.
    signer_.setAlgorithms({algorithm_});
  }

  weft::OwnedValue authenticate(weft::Context& ctx, weft::Value request) override {
    weft::Value headers = request["headers"];
    std::string token;
    bool via_cookie = false;
    if (weft::Value a = headers["authorization"]; a.is_string() && starts_with_ci(a.as_string(), "Bearer ")) {
      std::string t = trimmed(a.as_string().substr(7));
      if (has_jwt_shape(t)) token = std::move(t);
    }
    if (token.empty()) {
      if (weft::Value c = headers["cookie"]; c.is_string()) {
        if (auto v = cookie(c.as_string(), kSessionCookie)) {
          if (!has_jwt_shape(*v)) reject("malformed session cookie");
          token = std::move(*v);
          via_cookie = true;
        }
      }
    }
    if (token.empty()) throw weft::Error(WEFT_ERR_NOT_FOUND, "no session token");

    auto [subject, session] = verify(token);
    weft::OwnedValue claim = ctx.object();
    claim.set("userId", subject);
    claim.set("sessionId", session);
    if (via_cookie) claim.set("via", "cookie");
    return claim;
  }

  weft::OwnedValue invoke(weft::Context& ctx, weft::Value request) override {
    std::string_view op = request["op"].is_string() ? request["op"].as_string() : std::string_view();
    if (op == "issue") return issue(ctx, request);
    return weft::AuthProvider::invoke(ctx, request);
  }

 private:
  // The token's subject and session id when it verifies; throws WEFT_ERR_INVALID naming the
  // kind of problem otherwise.
  std::pair<std::string, std::string> verify(const std::string& jwt) const {
    // The header first: algorithm and key id decide whether the signature is even looked at.
    const std::string_view header_part = std::string_view(jwt).substr(0, jwt.find('.'));
    auto header_text = base64url_decode(header_part);
    if (!header_text) reject("malformed token");
    Poco::JSON::Object::Ptr header;
    try {
      header = Poco::JSON::Parser().parse(*header_text).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
      reject("malformed token");
    }
    if (!header || !header->has("alg") || header->getValue<std::string>("alg") != algorithm_)
      reject("token algorithm not accepted");
    if (!header->has("kid") || !header->get("kid").isString() || header->getValue<std::string>("kid") != key_id_)
      reject("unknown token key id");

    Poco::JWT::Token token;
    bool good = false;
    try {
      good = signer_.tryVerify(jwt, token);
    } catch (const Poco::Exception&) {
      reject("malformed token");
    }
    if (!good) reject("bad token signature");

    const Poco::JSON::Object& payload = token.payload();
    const int64_t now = now_seconds();
    auto exp = seconds_claim(payload, "exp");
    if (!exp) reject("token without expiry");
    if (now >= *exp) reject("expired token");
    if (auto nbf = seconds_claim(payload, "nbf"); nbf && now + kNotBeforeLeewaySeconds < *nbf)
      reject("token not yet valid");
    if (!payload.has("iss") || !payload.get("iss").isString() || payload.getValue<std::string>("iss") != issuer_)
      reject("wrong token issuer");
    bool audience_ok = false;
    try {
      for (const auto& a : token.getAudience()) audience_ok = audience_ok || a == audience_;
    } catch (const Poco::Exception&) {
      reject("malformed token");
    }
    if (!audience_ok) reject("wrong token audience");
    std::string subject, session;
    try {
      if (payload.has("sub") && payload.get("sub").isString()) subject = payload.getValue<std::string>("sub");
      if (payload.has("sid") && payload.get("sid").isString()) session = payload.getValue<std::string>("sid");
    } catch (const Poco::Exception&) {
      reject("malformed token");
    }
    if (subject.empty()) reject("token without subject");
    // Every token weft issues belongs to a session, so logout can revoke it.
    if (session.empty()) reject("token without session");
    return {subject, session};
  }

  weft::OwnedValue issue(weft::Context& ctx, weft::Value request) const {
    if (!can_sign_)
      throw weft::Error(WEFT_ERR_UNSUPPORTED, "issue: weft.jwt has no private key (privateKeyFile) to sign with");
    weft::Value user = request["userId"], session = request["sessionId"], ttl = request["ttlSeconds"];
    if (!user.is_string() || user.as_string().empty())
      throw weft::Error(WEFT_ERR_INVALID, "issue: 'userId' must be a non-empty string");
    if (!session.is_string() || session.as_string().empty())
      throw weft::Error(WEFT_ERR_INVALID, "issue: 'sessionId' must be a non-empty string");
    if (!ttl.is_int() || ttl.as_int() < 1 || ttl.as_int() > kMaxTtlSeconds)
      throw weft::Error(WEFT_ERR_INVALID, "issue: 'ttlSeconds' must be an integer from 1 to " +
                                              std::to_string(kMaxTtlSeconds));
    unsigned char id[16];
    if (RAND_bytes(id, sizeof id) != 1)
      throw weft::Error(WEFT_ERR_UNAVAILABLE, "the system random generator failed");

    const int64_t now = now_seconds();
    const int64_t expires = now + ttl.as_int();
    Poco::JWT::Token token;
    token.setType("JWT");
    token.header().set("kid", key_id_);
    token.setIssuer(issuer_);
    token.setAudience(audience_);
    token.setSubject(std::string(user.as_string()));
    token.payload().set("sid", std::string(session.as_string()));
    token.setId(base64url_encode(id, sizeof id));
    token.setIssuedAt(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(now)));
    token.setNotBefore(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(now)));
    token.setExpiration(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(expires)));
    std::string jwt;
    try {
      jwt = signer_.sign(token, algorithm_);
    } catch (const Poco::Exception& e) {
      throw weft::Error(WEFT_ERR_INTERNAL, "issue: signing failed: " + e.displayText());
    }
    weft::OwnedValue out = ctx.object();
    out.set("token", jwt);
    out.set("expiresAt", expires);
    return out;
  }

  // Held for the provider's life: every Poco Crypto digest takes and drops a reference to
  // OpenSSL's initialisation, and when the count falls to zero under concurrent verifies Poco
  // 1.11 tears down and rebuilds its locks while other threads use them (heap corruption under
  // load). One lasting reference keeps the count above zero.
  Poco::Crypto::OpenSSLInitializer openssl_;
  std::string algorithm_, issuer_, audience_, key_id_;
  bool can_sign_ = false;
  Poco::JWT::Signer signer_;  // read-only after construction: safe from many threads
};

constexpr const char* kDescription = R"json({
  "displayName": "Session tokens (JWT)",
  "description": "Short-lived signed access tokens of a login session (HS256, RS256 or ES256; only the configured algorithm is accepted, never none), sent as Authorization: Bearer or in the __Host-weft-session cookie.",
  "credential": "Authorization: Bearer <jwt> or Cookie: __Host-weft-session=<jwt>",
  "challenge": "Bearer realm=\"weft\"",
  "operations": ["issue"],
  "config": ["algorithm", "secret", "privateKeyFile", "publicKeyFile", "issuer", "audience", "keyId"]
})json";

}  // namespace

WEFT_PLUGIN("weft-jwt", "1.0.0") {
  registry.add_auth<JwtProvider>("weft.jwt", kDescription);
}
