// CSRF protection for cookie sessions: a signed double-submit token bound to the session. At
// login the server sets the `__Host-weft-csrf` cookie (readable by the page) to
// base64url(HMAC-SHA256(csrf key, session id)); an unsafe request (not GET/HEAD/OPTIONS)
// authenticated by the session cookie must send the same value in `X-CSRF-Token`. An attacker's
// page can neither read the cookie nor compute the HMAC for the victim's session. Requests
// authenticated by a bearer token or an API key are exempt: a browser never adds those itself.
#pragma once

#include "http/problem.hpp"
#include "http/request.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace weft::auth {

inline constexpr std::string_view kSessionCookie = "__Host-weft-session";
inline constexpr std::string_view kRefreshCookie = "__Host-weft-refresh";
inline constexpr std::string_view kCsrfCookie = "__Host-weft-csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// The CSRF token of `session_id` under `key`: base64url(HMAC-SHA256(key, session_id)).
std::string csrf_token(std::string_view key, std::string_view session_id);

// Sets the process's CSRF key (JwtSettings::csrf_key), once at start before the server serves.
// Until it is set, every cookie-authenticated unsafe request is refused.
void set_csrf_key(std::string key);
// The token of `session_id` under the installed key (empty when no key is installed).
std::string csrf_token_for(std::string_view session_id);

// nullopt when `request` may proceed: its principal is not cookie-authenticated, or the method
// is safe, or X-CSRF-Token equals both the __Host-weft-csrf cookie and the session's token
// (compared in constant time). Otherwise 403 "missing or invalid CSRF token".
std::optional<http::Problem> check_csrf(const http::Request& request);

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
std::optional<std::string> cookie_value(const http::HeaderList& headers, std::string_view name);

}  // namespace weft::auth
