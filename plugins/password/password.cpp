// weft.password: password hashing as an auth provider (sdk/AUTH.md). It never authenticates a
// request by itself (a password is checked once, at login, not on every request); the host
// asks it to hash a new password and to verify one against a stored hash.
//
// Hashes are argon2id in the PHC string format ("$argon2id$v=19$m=65536,t=3,p=1$..."), made by
// libsodium with a fresh random salt: 64 MiB of memory and 3 passes, above OWASP's minimum
// (19 MiB, 2 passes). A hash made with weaker parameters verifies, and says it needs a rehash.
#include <weft/sdk.hpp>

#include <sodium.h>

#include <string>

namespace {

constexpr unsigned long long kOpsLimit = 3;
constexpr size_t kMemLimit = size_t{64} << 20;
// Passwords are bounded so that a huge one cannot make hashing costlier; bytes, not characters.
constexpr size_t kMinLength = 12;
constexpr size_t kMaxLength = 1024;

std::string_view string_field(weft::Value request, const char* name) {
  weft::Value v = request[name];
  if (!v.is_string())
    throw weft::Error(WEFT_ERR_INVALID, std::string("'") + name + "' must be a string");
  return v.as_string();
}

class PasswordProvider : public weft::AuthProvider {
 public:
  PasswordProvider(weft::Context&, weft::Value) {
    if (sodium_init() < 0) throw weft::Error(WEFT_ERR_UNAVAILABLE, "libsodium failed to start");
  }

  weft::OwnedValue authenticate(weft::Context&, weft::Value) override {
    throw weft::Error(WEFT_ERR_NOT_FOUND, "passwords are checked at login, not on each request");
  }

  weft::OwnedValue invoke(weft::Context& ctx, weft::Value request) override {
    std::string_view op = request["op"].is_string() ? request["op"].as_string() : std::string_view();
    if (op == "hash") return hash(ctx, string_field(request, "password"));
    if (op == "verify")
      return verify(ctx, string_field(request, "password"), string_field(request, "hash"));
    return weft::AuthProvider::invoke(ctx, request);
  }

 private:
  static weft::OwnedValue hash(weft::Context& ctx, std::string_view password) {
    if (password.size() < kMinLength)
      throw weft::Error(WEFT_ERR_INVALID,
                        "the password must have at least " + std::to_string(kMinLength) + " characters");
    if (password.size() > kMaxLength)
      throw weft::Error(WEFT_ERR_INVALID,
                        "the password must have at most " + std::to_string(kMaxLength) + " bytes");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
      throw weft::Error(WEFT_ERR_UNAVAILABLE, "not enough memory to hash the password; retry later");
    weft::OwnedValue result = ctx.object();
    result.set("hash", std::string_view(out));
    return result;
  }

  // {"ok": true|false, "rehash": whether the hash was made with other parameters}. A wrong
  // password and a malformed or foreign hash both answer ok false: the caller learns nothing
  // more than "no".
  static weft::OwnedValue verify(weft::Context& ctx, std::string_view password, std::string_view stored) {
    weft::OwnedValue result = ctx.object();
    const bool argon2id = stored.substr(0, 10) == "$argon2id$";
    bool ok = false;
    if (argon2id && password.size() <= kMaxLength && stored.size() < crypto_pwhash_STRBYTES) {
      std::string hash(stored);  // NUL-terminated for libsodium
      ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    }
    result.set("ok", ok);
    result.set("rehash", ok && crypto_pwhash_str_needs_rehash(std::string(stored).c_str(), kOpsLimit, kMemLimit) != 0);
    return result;
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Passwords",
  "description": "argon2id password hashes (libsodium; 64 MiB, 3 passes). Checked at login by the host, never on each request.",
  "credential": "none on requests: the host verifies passwords at login",
  "challenge": "",
  "operations": ["hash", "verify"],
  "config": []
})";

}  // namespace

WEFT_PLUGIN("weft-password", "1.0.0") {
  registry.add_auth<PasswordProvider>("weft.password", kDescription);
}
