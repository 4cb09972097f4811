// The host part of a socket peer's address text, as Poco writes it ("1.2.3.4:80",
// "[::1]:80") or as a bare address ("::1", "1.2.3.4").
#pragma once

#include <string_view>

namespace weft::http {

// "1.2.3.4:80" -> "1.2.3.4", "[::1]:80" -> "::1"; a text with no colon or several (a bare IPv6
// address) is returned as it is. The view points into `address`.
std::string_view peer_host(std::string_view address);

}  // namespace weft::http
