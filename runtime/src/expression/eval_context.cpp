#include "eval_context.hpp"

#include "utf8.hpp"

namespace weft::expr {

std::string at_column(size_t column, std::string_view message) {
  std::string text = "column " + std::to_string(column) + ": ";
  text += message;
  return text;
}

std::string quote_for_message(std::string_view text) {
  constexpr size_t kMaxCharacters = 40;
  std::string result = "'";
  size_t characters = 0;
  for (size_t pos = 0; pos < text.size(); ++characters) {
    if (characters == kMaxCharacters) {
      result += "...";
      break;
    }
    size_t n = utf8::sequence_length(text, pos);
    if (n == 0 || static_cast<unsigned char>(text[pos]) < 0x20 || text[pos] == 0x7F) {
      result += '?';
      pos += n == 0 ? 1 : n;
    } else {
      result.append(text.substr(pos, n));
      pos += n;
    }
  }
  result += "'";
  return result;
}

}  // namespace weft::expr
