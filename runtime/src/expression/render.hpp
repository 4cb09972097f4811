// Turning values into text: compact JSON (toJson, mixed templates, `+` with a string) and the
// "text form" used wherever a value is inserted into a string. Both writers are bounded in
// size and depth, so they never allocate past the limit nor recurse past kMaxValueDepth.
#pragma once

#include <cstddef>
#include <string>
#include <weft/runtime/json.hpp>

namespace weft::expr {

enum class RenderResult { kOk, kTooLarge, kTooDeep };

// Appends `value` as compact JSON. Malformed UTF-8 in strings is written as U+FFFD.
RenderResult append_json(std::string& out, const Json& value, size_t max_bytes);

// Appends the text form of `value`: strings as they are, null as nothing, everything else as
// compact JSON. Stops with kTooLarge before `out` would grow past max_bytes.
RenderResult append_text(std::string& out, const Json& value, size_t max_bytes);

}  // namespace weft::expr
