// The server's diagnostic lines on stderr, one per call, never interleaved. Never pass a
// credential or a request body.
#pragma once

#include <string_view>

namespace weft::http {

// Writes "weft: <message>\n" to stderr.
void log_line(std::string_view message);

}  // namespace weft::http
