// The parser: tokens to a syntax tree, by recursive descent with bounded nesting, resolving at
// compile time everything that does not depend on the scope (variables, functions, constant
// sub-expressions).
//
// Precedence, loosest first:  ?:   ??   ||   &&   == !=   < <= > >=   + -   * / %   ! -(unary)
// then postfix .name [index] and primaries.
#pragma once

#include <string>
#include <string_view>
#include <weft/runtime/expression.hpp>

#include "ast.hpp"
#include "lexer.hpp"

namespace weft::expr {

// Nesting is capped whatever Limits::max_depth says: the parser recurses once per level.
inline constexpr size_t kMaxParserDepth = 256;

// The budget of compile-time constant folding, shared by everything one compile() parses, so
// that the constants kept in a compiled expression or template never total more than one
// evaluation's limits. Once the budget is spent, constant parts are simply left to evaluation.
class FoldingBudget {
 public:
  explicit FoldingBudget(const Limits& limits) : context_(no_scope_, limits) {}
  EvalContext& context() { return context_; }

 private:
  // Folded nodes never read the scope.
  class NoScope final : public Scope {
   public:
    const Json* json() const override { return nullptr; }
    const Items* node_output(std::string_view) const override { return nullptr; }
    const Json* execution() const override { return nullptr; }
    const Json* workflow() const override { return nullptr; }
    int64_t now_ms() const override { return 0; }
  };
  NoScope no_scope_;
  EvalContext context_;
};

class Parser {
 public:
  // Parses `text` from byte `start`, whose column is `start_column`. Columns in errors count
  // characters from the start of `text` (not of `start`), so that a template can point into
  // the whole string.
  Parser(std::string_view text, size_t start, size_t start_column, const Limits& limits,
         FoldingBudget& folding);

  // The whole text (from start) must be one expression.
  Result<NodePtr> parse_all();
  // One expression, ending before the first token that cannot continue it; end_offset() is
  // where that token starts (for a template, the closing `}}`).
  Result<NodePtr> parse_prefix();

  size_t end_offset() const { return token_.offset; }
  // After a failure: whether the text ran out before the expression was complete.
  bool ran_out() const { return ran_out_; }

 private:
  NodePtr parse_expression();
  NodePtr parse_conditional();
  NodePtr parse_coalesce();
  NodePtr parse_or();
  NodePtr parse_and();
  NodePtr parse_equality();
  NodePtr parse_relational();
  NodePtr parse_additive();
  NodePtr parse_multiplicative();
  NodePtr parse_unary();
  NodePtr parse_postfix();
  NodePtr parse_primary();
  // A literal from the current token, which it consumes.
  NodePtr literal(size_t column, Json value);
  NodePtr parse_array();
  NodePtr parse_object();
  NodePtr parse_call(const Token& name);
  NodePtr parse_variable();
  NodePtr parse_node_output(size_t column);

  bool advance();
  // The token after the current one, without consuming anything; false if it does not lex.
  bool peek(Token& next) const;
  bool next_is(TokenKind kind) const;
  bool accept(TokenKind kind);  // advances past `kind` when it is next
  bool expect(TokenKind kind, const char* what);
  bool enter_nesting();
  // Checks the node's height and folds it to a literal when it is constant.
  NodePtr finish(NodePtr node);
  NodePtr fail(size_t offset, const std::string& message);
  // Columns are counted on from the last one asked for (tokens come in order), so that
  // computing them stays linear in the length of the text.
  size_t column_of(size_t offset);

  std::string_view text_;
  const Limits& limits_;
  FoldingBudget& folding_;
  size_t max_depth_;
  Lexer lexer_;
  Token token_;
  size_t nesting_ = 0;
  size_t counted_offset_;  // column_of: the last offset counted and its column
  size_t counted_column_;
  std::string error_;
  bool at_end_ = false;  // the current token is the end of the text
  bool ran_out_ = false;
};

}  // namespace weft::expr
