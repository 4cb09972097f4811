// UTF-8 helpers. String functions count in characters (code points) so that they never cut a
// character in two; a byte that does not start a well-formed sequence counts as one character,
// so malformed data from items is handled without failing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace weft::expr::utf8 {

// Length in bytes of the well-formed sequence at s[pos] (1 to 4), or 0 when it is malformed
// (overlong, surrogate, beyond U+10FFFF, truncated).
size_t sequence_length(std::string_view s, size_t pos);

// Length of the character at s[pos]: its sequence length, or 1 for a malformed byte.
inline size_t char_length(std::string_view s, size_t pos) {
  size_t n = sequence_length(s, pos);
  return n == 0 ? 1 : n;
}

// Number of characters in s.
size_t count(std::string_view s);

// Byte offset of character number `index` (0-based); s.size() when s is shorter.
size_t offset_of(std::string_view s, size_t index);

// Appends code point `cp` (which must be a valid scalar value) encoded as UTF-8.
void append(std::string& out, char32_t cp);

// Decodes the well-formed sequence at s[pos] (precondition: sequence_length(s, pos) > 0).
char32_t decode(std::string_view s, size_t pos);

}  // namespace weft::expr::utf8
