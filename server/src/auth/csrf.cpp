#include "auth/csrf.hpp"

#include "auth/jwt_keys.hpp"
#include "http/headers.hpp"

#include <openssl/crypto.h>

#include <mutex>

namespace weft::auth {

namespace {

std::mutex& key_mutex() {
  static std::mutex mu;
  return mu;
}

std::string& installed_key() {
  static std::string key;
  return key;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string csrf_token(std::string_view key, std::string_view session_id) {
  return base64url(hmac_sha256(key, session_id));
}

void set_csrf_key(std::string key) {
  std::lock_guard lock(key_mutex());
  installed_key() = std::move(key);
}

std::string csrf_token_for(std::string_view session_id) {
  std::lock_guard lock(key_mutex());
  if (installed_key().empty()) return {};
  return csrf_token(installed_key(), session_id);
}

std::optional<http::Problem> check_csrf(const http::Request& request) {
  if (!request.principal || !request.principal->via_cookie) return std::nullopt;
  const std::string& m = request.method;
  if (m == "GET" || m == "HEAD" || m == "OPTIONS") return std::nullopt;
  auto refused = [&] {
    http::Problem p = http::Problem::of(403, "missing or invalid CSRF token");
    p.instance = request.path;
    return std::optional<http::Problem>(std::move(p));
  };
  auto header = request.headers.get(kCsrfHeader);
  auto cookie = cookie_value(request.headers, kCsrfCookie);
  const std::string expected = csrf_token_for(request.principal->session_id);
  if (!header || !cookie || expected.empty() || request.principal->session_id.empty()) return refused();
  if (!equal_constant_time(*header, *cookie) || !equal_constant_time(*header, expected)) return refused();
  return std::nullopt;
}

std::optional<std::string> cookie_value(const http::HeaderList& headers, std::string_view name) {
  for (const auto& line : headers.all("Cookie")) {
    std::string_view rest = line;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = http::trim_ows(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && http::trim_ows(pair.substr(0, eq)) == name)
        return std::string(http::trim_ows(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

}  // namespace weft::auth
