#include "http/peer_address.hpp"

namespace weft::http {

std::string_view peer_host(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    return close == std::string_view::npos ? address.substr(1) : address.substr(1, close - 1);
  }
  // One colon: "host:port". None or several: a bare address.
  const size_t colon = address.rfind(':');
  if (colon != std::string_view::npos && address.find(':') == colon) return address.substr(0, colon);
  return address;
}

}  // namespace weft::http
