// The lexer: source text to tokens, one at a time on demand. Lazy on purpose: a template
// stops at the `}}` that closes an expression and the text after it is never lexed, and a `}}`
// inside a string literal is just part of that string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weft::expr {

enum class TokenKind {
  kEnd,
  kInteger,
  kDecimal,
  kString,
  kIdentifier,
  kVariable,  // `$name`; the name without '$' is in `text` after the first byte
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
  kNot,
  kQuestion,
  kCoalesce,
  kColon,
  kComma,
  kDot,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kLeftBrace,
  kRightBrace,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;         // byte offset of the token in the text
  std::string_view text;     // the token as written
  std::string string_value;  // kString: the decoded string
  int64_t integer_value = 0;
  double decimal_value = 0;
};

class Lexer {
 public:
  // Lexes `text` from byte `offset` on.
  Lexer(std::string_view text, size_t offset) : text_(text), pos_(offset) {}

  // Reads the next token. On malformed input returns false with `error` (a message without
  // column) and `error_offset` set.
  bool next(Token& token, std::string& error, size_t& error_offset);

 private:
  bool lex_number(Token& token, std::string& error, size_t& error_offset);
  bool lex_string(Token& token, std::string& error, size_t& error_offset);

  std::string_view text_;
  size_t pos_;
};

// How a token is named in error messages: "')'", "end of expression", "string".
std::string describe(const Token& token);

}  // namespace weft::expr
