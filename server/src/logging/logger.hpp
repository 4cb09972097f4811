// The server's log: one line per record (log_format.hpp), written with a single write(2) under
// a lock, so lines of different threads never interleave (and, for a file opened O_APPEND,
// neither do lines of different processes). Process-wide: `weft serve` configures it once at
// start; until then (and in every other command) it writes text lines at info to stderr.
//
//   logging::info("webhooks", "the workflow cannot run", {{"workflowId", id}});
//
// The calling thread's LogContext (log_context.hpp) is added to every line.
#pragma once

#include "logging/log_options.hpp"
#include "logging/log_record.hpp"

#include <weft/runtime/status.hpp>

#include <string_view>

namespace weft::logging {

// Sends every later line to `options.destination` in `options.format`, dropping lines below
// `options.level`. A file destination is opened (appending, created with mode 0600) before the
// switch: when that fails, nothing changes and the status names log.destination. Thread-safe.
Status configure(const LogOptions& options);

// True when a line of `level` would be written: callers skip building costly fields otherwise.
bool enabled(Level level);

// Writes `record` as one line when its level is enabled; the context of `record` is used as
// given (the calling thread's is not added). Never throws; a failed write is dropped.
void write(const LogRecord& record);

// Builds a record stamped now with the calling thread's context and writes it.
void log(Level level, std::string_view logger, std::string_view message,
         nlohmann::json fields = nlohmann::json::object());

inline void debug(std::string_view logger, std::string_view message, nlohmann::json fields = nlohmann::json::object()) {
  log(Level::kDebug, logger, message, std::move(fields));
}
inline void info(std::string_view logger, std::string_view message, nlohmann::json fields = nlohmann::json::object()) {
  log(Level::kInfo, logger, message, std::move(fields));
}
inline void warn(std::string_view logger, std::string_view message, nlohmann::json fields = nlohmann::json::object()) {
  log(Level::kWarn, logger, message, std::move(fields));
}
inline void error(std::string_view logger, std::string_view message, nlohmann::json fields = nlohmann::json::object()) {
  log(Level::kError, logger, message, std::move(fields));
}

}  // namespace weft::logging
