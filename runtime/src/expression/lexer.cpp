#include "lexer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "utf8.hpp"
#include "value.hpp"

namespace weft::expr {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_identifier_char(char c) { return is_identifier_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the 4 hex digits at text[pos]; -1 when they are not there.
int32_t read_hex4(std::string_view text, size_t pos) {
  if (pos + 4 > text.size()) return -1;
  int32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    int digit = hex_value(text[pos + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

std::string describe_character(std::string_view text, size_t pos) {
  auto c = static_cast<unsigned char>(text[pos]);
  char buffer[32];
  if (c >= 0x20 && c < 0x7F) {
    std::snprintf(buffer, sizeof buffer, "'%c'", c);
  } else if (c < 0x80 || utf8::sequence_length(text, pos) == 0) {
    std::snprintf(buffer, sizeof buffer, "byte 0x%02X", c);
  } else {
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(utf8::decode(text, pos)));
  }
  return buffer;
}

}  // namespace

bool Lexer::next(Token& token, std::string& error, size_t& error_offset) {
  while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  token.offset = pos_;
  if (pos_ >= text_.size()) {
    token.kind = TokenKind::kEnd;
    token.text = {};
    return true;
  }
  const char c = text_[pos_];
  if (is_digit(c)) return lex_number(token, error, error_offset);
  if (c == '"' || c == '\'') return lex_string(token, error, error_offset);
  if (is_identifier_start(c) || c == '$') {
    size_t end = pos_ + 1;
    while (end < text_.size() && is_identifier_char(text_[end])) ++end;
    if (c == '$' && end == pos_ + 1) {
      error = "expected a variable name after '$'";
      error_offset = pos_;
      return false;
    }
    token.kind = c == '$' ? TokenKind::kVariable : TokenKind::kIdentifier;
    token.text = text_.substr(pos_, end - pos_);
    pos_ = end;
    return true;
  }

  const char following = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  auto punctuation = [&](TokenKind kind, size_t length) {
    token.kind = kind;
    token.text = text_.substr(pos_, length);
    pos_ += length;
    return true;
  };
  switch (c) {
    case '+': return punctuation(TokenKind::kPlus, 1);
    case '-': return punctuation(TokenKind::kMinus, 1);
    case '*': return punctuation(TokenKind::kStar, 1);
    case '/': return punctuation(TokenKind::kSlash, 1);
    case '%': return punctuation(TokenKind::kPercent, 1);
    case ':': return punctuation(TokenKind::kColon, 1);
    case ',': return punctuation(TokenKind::kComma, 1);
    case '.': return punctuation(TokenKind::kDot, 1);
    case '(': return punctuation(TokenKind::kLeftParen, 1);
    case ')': return punctuation(TokenKind::kRightParen, 1);
    case '[': return punctuation(TokenKind::kLeftBracket, 1);
    case ']': return punctuation(TokenKind::kRightBracket, 1);
    case '{': return punctuation(TokenKind::kLeftBrace, 1);
    case '}': return punctuation(TokenKind::kRightBrace, 1);
    case '<':
      return following == '=' ? punctuation(TokenKind::kLessEqual, 2)
                              : punctuation(TokenKind::kLess, 1);
    case '>':
      return following == '=' ? punctuation(TokenKind::kGreaterEqual, 2)
                              : punctuation(TokenKind::kGreater, 1);
    case '!':
      return following == '=' ? punctuation(TokenKind::kNotEqual, 2)
                              : punctuation(TokenKind::kNot, 1);
    case '?':
      return following == '?' ? punctuation(TokenKind::kCoalesce, 2)
                              : punctuation(TokenKind::kQuestion, 1);
    case '=':
      if (following == '=') return punctuation(TokenKind::kEqual, 2);
      error = "unexpected '=' (comparison is '==')";
      break;
    case '&':
      if (following == '&') return punctuation(TokenKind::kAnd, 2);
      error = "unexpected '&' (logical and is '&&')";
      break;
    case '|':
      if (following == '|') return punctuation(TokenKind::kOr, 2);
      error = "unexpected '|' (logical or is '||')";
      break;
    case '`': error = "template literals (`...`) are not supported; use '+' to join strings"; break;
    default: error = "unexpected character " + describe_character(text_, pos_);
  }
  error_offset = pos_;
  return false;
}

bool Lexer::lex_number(Token& token, std::string& error, size_t& error_offset) {
  const size_t start = pos_;
  size_t end = start;
  bool decimal = false;
  while (end < text_.size() && is_digit(text_[end])) ++end;
  if (end + 1 < text_.size() && text_[end] == '.' && is_digit(text_[end + 1])) {
    decimal = true;
    end += 1;
    while (end < text_.size() && is_digit(text_[end])) ++end;
  }
  if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
    size_t exponent = end + 1;
    if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
    if (exponent < text_.size() && is_digit(text_[exponent])) {
      decimal = true;
      end = exponent;
      while (end < text_.size() && is_digit(text_[end])) ++end;
    }
  }
  if (end < text_.size() && is_identifier_char(text_[end])) {
    error = "unexpected " + describe_character(text_, end) + " after a number";
    error_offset = end;
    return false;
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + end;
  token.text = text_.substr(start, end - start);
  pos_ = end;
  if (!decimal) {
    auto [ptr, ec] = std::from_chars(first, last, token.integer_value);
    if (ec == std::errc() && ptr == last) {
      token.kind = TokenKind::kInteger;
      return true;
    }
    // Too large for int64: read as a decimal.
  }
  if (!parse_decimal(token.text, token.decimal_value)) {
    error = "number out of range";
    error_offset = start;
    return false;
  }
  token.kind = TokenKind::kDecimal;
  return true;
}

bool Lexer::lex_string(Token& token, std::string& error, size_t& error_offset) {
  const size_t start = pos_;
  const char quote = text_[pos_];
  std::string& value = token.string_value;
  value.clear();
  size_t pos = start + 1;
  auto fail = [&](size_t at, std::string message) {
    error = std::move(message);
    error_offset = at;
    return false;
  };
  while (true) {
    if (pos >= text_.size()) return fail(start, "unterminated string");
    const char c = text_[pos];
    if (c == quote) break;
    if (c != '\\') {
      size_t n = utf8::sequence_length(text_, pos);
      if (n == 0) return fail(pos, "invalid UTF-8 in string");
      value.append(text_.substr(pos, n));
      pos += n;
      continue;
    }
    if (pos + 1 >= text_.size()) return fail(start, "unterminated string");
    const char escaped = text_[pos + 1];
    switch (escaped) {
      case 'n': value += '\n'; break;
      case 't': value += '\t'; break;
      case 'r': value += '\r'; break;
      case 'b': value += '\b'; break;
      case 'f': value += '\f'; break;
      case '0': value += '\0'; break;
      case '\\':
      case '\'':
      case '"':
      case '/': value += escaped; break;
      case 'u': {
        int32_t unit = read_hex4(text_, pos + 2);
        if (unit < 0) return fail(pos, "expected 4 hex digits after \\u");
        size_t length = 6;
        char32_t cp = static_cast<char32_t>(unit);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          int32_t low = pos + 7 < text_.size() && text_[pos + 6] == '\\' && text_[pos + 7] == 'u'
                            ? read_hex4(text_, pos + 8)
                            : -1;
          if (low < 0xDC00 || low > 0xDFFF)
            return fail(pos, "unpaired UTF-16 surrogate in \\u escape");
          cp = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) +
               (static_cast<char32_t>(low) - 0xDC00);
          length = 12;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return fail(pos, "unpaired UTF-16 surrogate in \\u escape");
        }
        utf8::append(value, cp);
        pos += length;
        continue;
      }
      default:
        return fail(pos, "unknown escape: backslash before " + describe_character(text_, pos + 1));
    }
    pos += 2;
  }
  token.kind = TokenKind::kString;
  token.text = text_.substr(start, pos + 1 - start);
  pos_ = pos + 1;
  return true;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd: return "end of expression";
    case TokenKind::kString: return "string";
    case TokenKind::kInteger:
    case TokenKind::kDecimal: return "number " + std::string(token.text);
    default: return "'" + std::string(token.text) + "'";
  }
}

}  // namespace weft::expr
