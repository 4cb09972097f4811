#include "logging/log_level.hpp"

namespace weft::logging {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError})
    if (text == level_name(l)) return l;
  return std::nullopt;
}

}  // namespace weft::logging
