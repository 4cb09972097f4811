// The log configuration (config keys log.level, log.destination, log.format), checked.
#pragma once

#include "logging/log_format.hpp"
#include "logging/log_level.hpp"

#include <weft/runtime/config.hpp>
#include <weft/runtime/status.hpp>

#include <string>

namespace weft::logging {

struct LogOptions {
  Level level = Level::kInfo;
  // "stderr", "stdout", or the path of a file lines are appended to (created 0600).
  std::string destination = "stderr";
  Format format = Format::kJson;

  // The options of `config`; an unknown level or format, or an empty destination, is an
  // Invalid status whose one-line message names the key and the accepted values.
  static Result<LogOptions> from_config(const Config& config);
};

}  // namespace weft::logging
