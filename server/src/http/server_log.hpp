// The server's diagnostic lines, now a thin wrapper over the structured log
// (server/src/logging/logger.hpp, which new code should call directly with a logger name and
// fields). Never pass a credential or a request body.
#pragma once

#include <string_view>

namespace weft::http {

// Writes `message` as one warn line of logger "http" (with the calling thread's request id).
void log_line(std::string_view message);

}  // namespace weft::http
