#include "http/trusted_proxies.hpp"

#include "http/peer_address.hpp"

#include <Poco/Exception.h>

namespace weft::http {

namespace {

std::optional<Poco::Net::IPAddress> parse_ip(std::string_view text) {
  Poco::Net::IPAddress ip;
  if (text.empty() || !Poco::Net::IPAddress::tryParse(std::string(text), ip)) return std::nullopt;
  return ip;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const auto& entry : entries) {
    const size_t slash = entry.find('/');
    auto ip = parse_ip(std::string_view(entry).substr(0, slash));
    if (!ip) return Status::invalid("server.trustedProxies: '" + entry.substr(0, 60) + "' is not an IP address or CIDR block");
    const unsigned max_bits = ip->family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
    unsigned bits = max_bits;
    if (slash != std::string::npos) {
      const std::string prefix = entry.substr(slash + 1);
      if (prefix.empty() || prefix.size() > 3 || prefix.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(prefix) > max_bits)
        return Status::invalid("server.trustedProxies: '" + entry.substr(0, 60) + "' has a bad prefix length");
      bits = static_cast<unsigned>(std::stoul(prefix));
    }
    out.blocks_.emplace_back(*ip & Poco::Net::IPAddress(bits, ip->family()), bits);
  }
  return out;
}

bool TrustedProxies::trusts(const Poco::Net::IPAddress& address) const {
  for (const auto& [network, bits] : blocks_) {
    if (network.family() != address.family()) continue;
    if ((address & Poco::Net::IPAddress(bits, address.family())) == network) return true;
  }
  return false;
}

std::string TrustedProxies::client_address(std::string_view peer, const HeaderList& headers) const {
  if (blocks_.empty()) return std::string(peer);
  auto peer_ip = parse_ip(peer_host(peer));
  if (!peer_ip || !trusts(*peer_ip)) return std::string(peer);
  // Several fields are one list (RFC 9110): a proxy may add its own field after the client's.
  std::string forwarded_for;
  for (const auto& field : headers.all("X-Forwarded-For"))
    forwarded_for += (forwarded_for.empty() ? "" : ",") + field;
  std::string client(peer);
  std::string_view rest = forwarded_for;
  // Right to left: each trusted hop vouches for the one to its left.
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view entry = trim_ows(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto ip = parse_ip(peer_host(entry));
    if (!ip) break;
    client = ip->toString();
    if (!trusts(*ip)) break;
  }
  return client;
}

}  // namespace weft::http
