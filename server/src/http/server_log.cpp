#include "http/server_log.hpp"

#include "logging/logger.hpp"

namespace weft::http {

void log_line(std::string_view message) { logging::warn("http", message); }

}  // namespace weft::http
