#include "target_url.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace weft::http::detail {

namespace {

bool is_scheme(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '+' || c == '-' || c == '.';
  });
}

// RFC 3986 reg-name characters, without percent-encoding (names go to the resolver as written).
bool is_host_name(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
  });
}

bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c > 0x20 && c < 0x7F; });
}

std::string percent_decoded(std::string_view text) {
  std::string decoded;
  Poco::URI::decode(std::string(text), decoded);
  return decoded;
}

}  // namespace

std::string TargetUrl::peer() const {
  return (host_is_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<TargetUrl> parse_target_url(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return Status::invalid("the URL is not absolute: it must start with http:// or https://");
  }
  std::string scheme = url.substr(0, scheme_end);
  if (!is_scheme(scheme)) return Status::invalid("the URL has a malformed scheme");
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https") {
    return Status::invalid("unsupported URL scheme '" + scheme +
                           "': only http and https are supported");
  }
  const auto malformed = [&scheme](const std::string& what) {
    return Status::invalid("malformed " + scheme + " URL: " + what);
  };

  TargetUrl parsed;
  parsed.tls = scheme == "https";

  const size_t authority_begin = scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority_begin), url.size());
  const std::string_view authority =
      std::string_view(url).substr(authority_begin, authority_end - authority_begin);

  parsed.target = url.substr(authority_end, url.find('#', authority_end) - authority_end);
  if (parsed.target.empty() || parsed.target.front() != '/') parsed.target.insert(0, "/");
  if (!is_visible_ascii(parsed.target)) {
    return malformed(
        "the path or query has a space, control character or non-ASCII byte; percent-encode it");
  }

  std::string_view host_and_port = authority;
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    host_and_port = authority.substr(at + 1);
    const size_t colon = user_info.find(':');
    try {
      parsed.user = percent_decoded(user_info.substr(0, colon));
      if (colon != std::string_view::npos) {
        parsed.password = percent_decoded(user_info.substr(colon + 1));
      }
    } catch (const Poco::Exception&) {
      return malformed("the user info has an invalid percent-encoding");
    }
    parsed.has_credentials = true;
  }

  std::string_view port_text;  // empty: the scheme's default port
  if (!host_and_port.empty() && host_and_port.front() == '[') {
    const size_t close = host_and_port.find(']');
    if (close == std::string_view::npos) return malformed("unterminated IPv6 address");
    parsed.host = std::string(host_and_port.substr(1, close - 1));
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(parsed.host, address) ||
        address.family() != Poco::Net::IPAddress::IPv6) {
      return malformed("invalid IPv6 address");
    }
    parsed.host_is_ipv6 = true;
    const std::string_view rest = host_and_port.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return malformed("unexpected text after the IPv6 address");
      port_text = rest.substr(1);
    }
  } else {
    const size_t colon = host_and_port.find(':');
    parsed.host = std::string(host_and_port.substr(0, colon));
    if (colon != std::string_view::npos) port_text = host_and_port.substr(colon + 1);
    if (!is_host_name(parsed.host)) {
      return malformed("the host has characters not allowed in a host name");
    }
  }
  if (parsed.host.empty()) return malformed("no host");

  const uint16_t default_port = parsed.tls ? 443 : 80;
  parsed.port = default_port;
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return malformed("the port is not a number from 1 to 65535");
    }
    parsed.port = static_cast<uint16_t>(port);
  }

  parsed.host_header = parsed.host_is_ipv6 ? "[" + parsed.host + "]" : parsed.host;
  if (parsed.port != default_port) parsed.host_header += ":" + std::to_string(parsed.port);
  return parsed;
}

}  // namespace weft::http::detail
