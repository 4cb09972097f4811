// One thing the server has to say, before it becomes a line.
#pragma once

#include "logging/log_context.hpp"
#include "logging/log_level.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace weft::logging {

struct LogRecord {
  std::chrono::system_clock::time_point time;
  Level level = Level::kInfo;
  std::string logger;   // the component: "http", "access", "auth", "audit", "webhooks", "server"...
  std::string message;  // built by weft code; never a secret, a request body or a header value
  LogContext context;   // request, trace and span ids (empty ones are left out of the line)
  nlohmann::json fields = nlohmann::json::object();  // more detail; scrubbed before it is written
};

}  // namespace weft::logging
