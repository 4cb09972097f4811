#include "logging/log_options.hpp"

namespace weft::logging {

Result<LogOptions> LogOptions::from_config(const Config& config) {
  LogOptions o;
  const std::string level = config.get_string("log.level");
  auto parsed = parse_level(level);
  if (!parsed)
    return Status::invalid("log.level must be one of debug, info, warn, error (got '" + level.substr(0, 40) + "')");
  o.level = *parsed;
  const std::string format = config.get_string("log.format");
  if (format == "json") o.format = Format::kJson;
  else if (format == "text") o.format = Format::kText;
  else return Status::invalid("log.format must be json or text (got '" + format.substr(0, 40) + "')");
  o.destination = config.get_string("log.destination");
  if (o.destination.empty())
    return Status::invalid("log.destination must be stderr, stdout or a file path (got an empty string)");
  return o;
}

}  // namespace weft::logging
