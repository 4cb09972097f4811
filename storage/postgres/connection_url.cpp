#include "connection_url.hpp"

#include <weft/sdk.hpp>

#include <cctype>
#include <optional>

namespace weft::postgres {

namespace {

Error bad_url(std::string_view reason) {
  return Error(WEFT_ERR_INVALID,
               "config url is not a postgresql://user:password@host:port/database URL: " +
                   std::string(reason));
}

// Decodes %XX escapes; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view in) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = digit(in[i + 1]), lo = digit(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool has_space(std::string_view s) {
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c))) return true;
  return false;
}

// One "key=value " pair. libpq reads a backslash as escaping the next character of an unquoted
// value; Poco splits pairs on spaces, so values with whitespace are refused before this.
std::string pair(std::string_view key, std::string_view value) {
  std::string out(key);
  out += '=';
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  out += ' ';
  return out;
}

}  // namespace

ConnectionTarget parse_connection_url(std::string_view url, int64_t connect_timeout_ms) {
  std::string_view rest;
  for (std::string_view scheme : {"postgresql://", "postgres://"})
    if (url.substr(0, scheme.size()) == scheme) rest = url.substr(scheme.size());
  if (rest.data() == nullptr || rest.empty()) throw bad_url("it must start with postgresql://");

  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  // The user information ends at the last '@', so that an unescaped '@' in the password works.
  size_t at = rest.rfind('@');
  if (at == std::string_view::npos) throw bad_url("missing user@ before the host");
  std::string_view userinfo = rest.substr(0, at);
  std::string_view hostpart = rest.substr(at + 1);

  size_t colon = userinfo.find(':');
  std::optional<std::string> user = percent_decode(userinfo.substr(0, colon));
  std::optional<std::string> password =
      colon == std::string_view::npos ? std::string() : percent_decode(userinfo.substr(colon + 1));
  if (!user || !password) throw bad_url("bad %-escape in the user or password");
  if (user->empty()) throw bad_url("missing user name");

  size_t slash = hostpart.find('/');
  if (slash == std::string_view::npos) throw bad_url("missing /database after the host");
  std::string_view hostport = hostpart.substr(0, slash);
  std::optional<std::string> database = percent_decode(hostpart.substr(slash + 1));
  if (!database || database->empty()) throw bad_url("missing database name");

  std::string_view host = hostport;
  std::string_view port = "5432";
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) throw bad_url("unclosed [ in the host");
    host = hostport.substr(1, close - 1);
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw bad_url("unexpected text after ]");
      port = after.substr(1);
    }
  } else if (size_t c = hostport.rfind(':'); c != std::string_view::npos) {
    host = hostport.substr(0, c);
    port = hostport.substr(c + 1);
  }
  if (host.empty()) throw bad_url("missing host");
  bool port_ok = !port.empty() && port.size() <= 5;
  int port_number = 0;
  for (char c : port) {
    if (c < '0' || c > '9') port_ok = false;
    else port_number = port_number * 10 + (c - '0');
  }
  if (!port_ok || port_number < 1 || port_number > 65535)
    throw bad_url("port '" + std::string(port) + "' is not a number from 1 to 65535");
  if (has_space(*user) || has_space(*password) || has_space(*database) || has_space(host))
    throw bad_url("whitespace in the user, password, host or database name is not supported");

  ConnectionTarget target;
  target.conninfo = pair("host", host) + pair("port", port) + pair("dbname", *database) +
                    pair("user", *user);
  if (!password->empty()) target.conninfo += pair("password", *password);
  if (connect_timeout_ms > 0)
    target.conninfo += pair("connect_timeout", std::to_string((connect_timeout_ms + 999) / 1000));
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string_view key = item.substr(0, eq);
    bool key_ok = !key.empty() && eq != std::string_view::npos;
    for (char c : key)
      if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) key_ok = false;
    if (!key_ok || key == "password")
      throw bad_url("query parameter '" + std::string(key) + "' is not a libpq key=value option");
    std::optional<std::string> value = percent_decode(item.substr(eq + 1));
    if (!value || has_space(*value))
      throw bad_url("bad value for query parameter '" + std::string(key) + "'");
    target.conninfo += pair(key, *value);
  }
  target.conninfo.pop_back();  // the last pair's trailing space
  target.password = *password;
  target.where = std::string(hostport) + "/" + *database;
  return target;
}

std::string scrub_password(std::string text, std::string_view password) {
  if (password.empty()) return text;
  for (size_t at = text.find(password); at != std::string::npos;
       at = text.find(password, at + 3))
    text.replace(at, password.size(), "***");
  return text;
}

}  // namespace weft::postgres
