// How much a log line matters, and the words for it in the config and in a line.
#pragma once

#include <optional>
#include <string_view>

namespace weft::logging {

// Ordered: a logger set to a level writes that level and every one above it.
enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn", "error": the config's word and the line's `level`.
std::string_view level_name(Level level);

// The level named `text` (exactly one of level_name's words), or nullopt.
std::optional<Level> parse_level(std::string_view text);

}  // namespace weft::logging
