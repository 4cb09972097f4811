#include "http/server_log.hpp"

#include <iostream>
#include <mutex>
#include <string>

namespace weft::http {

void log_line(std::string_view message) {
  static std::mutex mutex;
  std::string line = "weft: " + std::string(message) + "\n";
  std::lock_guard lock(mutex);
  std::cerr << line << std::flush;
}

}  // namespace weft::http
