// X-Request-Id: taken from the client when it is sane, else generated; echoed on every
// response and carried in logs.
#pragma once

#include <optional>
#include <string>

namespace weft::http {

// `offered` when it is 1..128 characters of [A-Za-z0-9._:-], else a new random id (a UUID).
std::string choose_request_id(const std::optional<std::string>& offered);

}  // namespace weft::http
