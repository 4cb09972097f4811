#include "parser.hpp"

#include <unordered_map>

#include "utf8.hpp"

namespace weft::expr {

namespace {

std::string nested_too_deeply(size_t max_depth) {
  return "expression nested too deeply (more than " + std::to_string(max_depth) + " levels)";
}

// Decrements the parser's nesting counter when a nested parse returns.
class NestingExit {
 public:
  explicit NestingExit(size_t& nesting) : nesting_(nesting) {}
  ~NestingExit() { --nesting_; }
  NestingExit(const NestingExit&) = delete;
  NestingExit& operator=(const NestingExit&) = delete;

 private:
  size_t& nesting_;
};

}  // namespace

Parser::Parser(std::string_view text, size_t start, size_t start_column, const Limits& limits,
               FoldingBudget& folding)
    : text_(text),
      limits_(limits),
      folding_(folding),
      max_depth_(std::min(limits.max_depth, kMaxParserDepth)),
      lexer_(text, start),
      counted_offset_(start),
      counted_column_(start_column) {}

Result<NodePtr> Parser::parse_all() {
  NodePtr root;
  if (advance()) root = parse_expression();
  if (root && token_.kind != TokenKind::kEnd) {
    root = fail(token_.offset, "unexpected " + describe(token_) + " after the expression");
  }
  if (!root) return Status::invalid(error_);
  return root;
}

Result<NodePtr> Parser::parse_prefix() {
  NodePtr root;
  if (advance()) root = parse_expression();
  if (!root) return Status::invalid(error_);
  return root;
}

size_t Parser::column_of(size_t offset) {
  if (offset < counted_offset_) {
    counted_offset_ = 0;
    counted_column_ = 1;
  }
  counted_column_ += utf8::count(text_.substr(counted_offset_, offset - counted_offset_));
  counted_offset_ = offset;
  return counted_column_;
}

NodePtr Parser::fail(size_t offset, const std::string& message) {
  if (error_.empty()) {
    error_ = at_column(column_of(offset), message);
    ran_out_ = at_end_;
  }
  return nullptr;
}

bool Parser::advance() {
  std::string error;
  size_t error_offset = 0;
  if (lexer_.next(token_, error, error_offset)) {
    at_end_ = token_.kind == TokenKind::kEnd;
    return true;
  }
  fail(error_offset, error);
  return false;
}

bool Parser::peek(Token& next) const {
  Lexer lookahead = lexer_;
  std::string ignored_error;
  size_t ignored_offset = 0;
  return lookahead.next(next, ignored_error, ignored_offset);
}

bool Parser::next_is(TokenKind kind) const {
  Token next;
  return peek(next) && next.kind == kind;
}

bool Parser::accept(TokenKind kind) {
  if (token_.kind != kind) return false;
  return advance();
}

bool Parser::expect(TokenKind kind, const char* what) {
  if (token_.kind == kind) return advance();
  fail(token_.offset, std::string("expected ") + what + ", got " + describe(token_));
  return false;
}

bool Parser::enter_nesting() {
  if (nesting_ < max_depth_) {
    ++nesting_;
    return true;
  }
  fail(token_.offset, nested_too_deeply(max_depth_));
  return false;
}

NodePtr Parser::finish(NodePtr node) {
  if (node->depth() > max_depth_) {
    // Columns are already characters; report at the node.
    if (error_.empty()) error_ = at_column(node->column(), nested_too_deeply(max_depth_));
    return nullptr;
  }
  if (!node->can_fold()) return node;
  Value value;
  // A constant part that fails (1 / 0, or the folding budget is spent) is left for evaluation
  // to report, because it may sit in a branch that is never taken.
  if (!node->eval(folding_.context(), value)) return node;
  return std::make_unique<LiteralNode>(node->column(), value.release());
}

NodePtr Parser::parse_expression() {
  if (!enter_nesting()) return nullptr;
  NestingExit exit(nesting_);
  return parse_conditional();
}

NodePtr Parser::parse_conditional() {
  NodePtr condition = parse_coalesce();
  if (!condition || token_.kind != TokenKind::kQuestion) return condition;
  const size_t column = column_of(token_.offset);
  if (!advance()) return nullptr;
  NodePtr then_branch = parse_expression();
  if (!then_branch || !expect(TokenKind::kColon, "':' of the conditional")) return nullptr;
  NodePtr else_branch = parse_expression();
  if (!else_branch) return nullptr;
  return finish(std::make_unique<ConditionalNode>(column, std::move(condition),
                                                  std::move(then_branch), std::move(else_branch)));
}

NodePtr Parser::parse_coalesce() {
  NodePtr lhs = parse_or();
  while (lhs && token_.kind == TokenKind::kCoalesce) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_or();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<LogicalNode>(column, LogicalNode::Op::kCoalesce, std::move(lhs),
                                               std::move(rhs)));
  }
  return lhs;
}

NodePtr Parser::parse_or() {
  NodePtr lhs = parse_and();
  while (lhs && token_.kind == TokenKind::kOr) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_and();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<LogicalNode>(column, LogicalNode::Op::kOr, std::move(lhs),
                                               std::move(rhs)));
  }
  return lhs;
}

NodePtr Parser::parse_and() {
  NodePtr lhs = parse_equality();
  while (lhs && token_.kind == TokenKind::kAnd) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_equality();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<LogicalNode>(column, LogicalNode::Op::kAnd, std::move(lhs),
                                               std::move(rhs)));
  }
  return lhs;
}

namespace {

// The binary operator a token stands for at one precedence level; false when it is not one.
bool equality_op(TokenKind kind, BinaryOp& op) {
  switch (kind) {
    case TokenKind::kEqual: op = BinaryOp::kEqual; return true;
    case TokenKind::kNotEqual: op = BinaryOp::kNotEqual; return true;
    default: return false;
  }
}

bool relational_op(TokenKind kind, BinaryOp& op) {
  switch (kind) {
    case TokenKind::kLess: op = BinaryOp::kLess; return true;
    case TokenKind::kLessEqual: op = BinaryOp::kLessEqual; return true;
    case TokenKind::kGreater: op = BinaryOp::kGreater; return true;
    case TokenKind::kGreaterEqual: op = BinaryOp::kGreaterEqual; return true;
    default: return false;
  }
}

bool additive_op(TokenKind kind, BinaryOp& op) {
  switch (kind) {
    case TokenKind::kPlus: op = BinaryOp::kAdd; return true;
    case TokenKind::kMinus: op = BinaryOp::kSubtract; return true;
    default: return false;
  }
}

bool multiplicative_op(TokenKind kind, BinaryOp& op) {
  switch (kind) {
    case TokenKind::kStar: op = BinaryOp::kMultiply; return true;
    case TokenKind::kSlash: op = BinaryOp::kDivide; return true;
    case TokenKind::kPercent: op = BinaryOp::kRemainder; return true;
    default: return false;
  }
}

}  // namespace

NodePtr Parser::parse_equality() {
  NodePtr lhs = parse_relational();
  BinaryOp op;
  while (lhs && equality_op(token_.kind, op)) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_relational();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<BinaryNode>(column, op, std::move(lhs), std::move(rhs)));
  }
  return lhs;
}

NodePtr Parser::parse_relational() {
  NodePtr lhs = parse_additive();
  BinaryOp op;
  while (lhs && relational_op(token_.kind, op)) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_additive();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<BinaryNode>(column, op, std::move(lhs), std::move(rhs)));
  }
  return lhs;
}

NodePtr Parser::parse_additive() {
  NodePtr lhs = parse_multiplicative();
  BinaryOp op;
  while (lhs && additive_op(token_.kind, op)) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_multiplicative();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<BinaryNode>(column, op, std::move(lhs), std::move(rhs)));
  }
  return lhs;
}

NodePtr Parser::parse_multiplicative() {
  NodePtr lhs = parse_unary();
  BinaryOp op;
  while (lhs && multiplicative_op(token_.kind, op)) {
    const size_t column = column_of(token_.offset);
    if (!advance()) return nullptr;
    NodePtr rhs = parse_unary();
    if (!rhs) return nullptr;
    lhs = finish(std::make_unique<BinaryNode>(column, op, std::move(lhs), std::move(rhs)));
  }
  return lhs;
}

NodePtr Parser::parse_unary() {
  if (token_.kind != TokenKind::kNot && token_.kind != TokenKind::kMinus) return parse_postfix();
  const auto op = token_.kind == TokenKind::kNot ? UnaryNode::Op::kNot : UnaryNode::Op::kNegate;
  const size_t column = column_of(token_.offset);
  if (!advance() || !enter_nesting()) return nullptr;
  NestingExit exit(nesting_);
  NodePtr operand = parse_unary();
  if (!operand) return nullptr;
  return finish(std::make_unique<UnaryNode>(column, op, std::move(operand)));
}

NodePtr Parser::parse_postfix() {
  NodePtr node = parse_primary();
  while (node) {
    const size_t column = column_of(token_.offset);
    if (token_.kind == TokenKind::kDot) {
      if (!advance()) return nullptr;
      if (token_.kind != TokenKind::kIdentifier) {
        return fail(token_.offset, "expected a member name after '.', got " + describe(token_));
      }
      std::string name(token_.text);
      if (!advance()) return nullptr;
      node = finish(std::make_unique<MemberNode>(column, std::move(node), std::move(name)));
    } else if (token_.kind == TokenKind::kLeftBracket) {
      if (!advance()) return nullptr;
      NodePtr index = parse_expression();
      if (!index || !expect(TokenKind::kRightBracket, "']'")) return nullptr;
      node = finish(std::make_unique<IndexNode>(column, std::move(node), std::move(index)));
    } else {
      break;
    }
  }
  return node;
}

NodePtr Parser::parse_primary() {
  const size_t column = column_of(token_.offset);
  switch (token_.kind) {
    case TokenKind::kInteger: return literal(column, Json(token_.integer_value));
    case TokenKind::kDecimal: return literal(column, Json(token_.decimal_value));
    case TokenKind::kString: return literal(column, Json(std::move(token_.string_value)));
    case TokenKind::kLeftParen: {
      if (!advance()) return nullptr;
      NodePtr inner = parse_expression();
      if (!inner || !expect(TokenKind::kRightParen, "')'")) return nullptr;
      return inner;
    }
    case TokenKind::kLeftBracket: return parse_array();
    case TokenKind::kLeftBrace: return parse_object();
    case TokenKind::kVariable: return parse_variable();
    case TokenKind::kIdentifier: {
      if (next_is(TokenKind::kLeftParen)) {
        Token name = token_;
        return advance() ? parse_call(name) : nullptr;
      }
      if (token_.text == "true") return literal(column, Json(true));
      if (token_.text == "false") return literal(column, Json(false));
      if (token_.text == "null") return literal(column, Json());
      return fail(token_.offset, "unknown name " + quote_for_message(token_.text) +
                                     " (variables start with '$', functions are called with ())");
    }
    default: return fail(token_.offset, "expected a value, got " + describe(token_));
  }
}

NodePtr Parser::literal(size_t column, Json value) {
  if (!advance()) return nullptr;
  return std::make_unique<LiteralNode>(column, std::move(value));
}

NodePtr Parser::parse_array() {
  const size_t column = column_of(token_.offset);
  if (!advance()) return nullptr;
  std::vector<NodePtr> elements;
  while (token_.kind != TokenKind::kRightBracket) {
    if (elements.size() >= limits_.max_array_items) {
      return fail(token_.offset, "array literal has more than " +
                                     std::to_string(limits_.max_array_items) + " items");
    }
    NodePtr element = parse_expression();
    if (!element) return nullptr;
    elements.push_back(std::move(element));
    if (!accept(TokenKind::kComma)) break;
  }
  if (!error_.empty() || !expect(TokenKind::kRightBracket, "',' or ']'")) return nullptr;
  return finish(std::make_unique<ArrayNode>(column, std::move(elements)));
}

NodePtr Parser::parse_object() {
  const size_t column = column_of(token_.offset);
  if (!advance()) return nullptr;
  std::vector<ObjectNode::Member> members;
  std::unordered_map<std::string, size_t> positions;
  while (token_.kind != TokenKind::kRightBrace) {
    if (members.size() >= limits_.max_array_items) {
      return fail(token_.offset, "object literal has more than " +
                                     std::to_string(limits_.max_array_items) + " members");
    }
    std::string key;
    if (token_.kind == TokenKind::kIdentifier) {
      key = token_.text;
    } else if (token_.kind == TokenKind::kString) {
      key = std::move(token_.string_value);
    } else {
      return fail(token_.offset, "expected a member name, got " + describe(token_));
    }
    if (!advance() || !expect(TokenKind::kColon, "':' after the member name")) return nullptr;
    NodePtr value = parse_expression();
    if (!value) return nullptr;
    // A repeated key keeps its first position and its last value, as in JavaScript.
    auto [position, added] = positions.emplace(key, members.size());
    if (added) {
      members.emplace_back(std::move(key), std::move(value));
    } else {
      members[position->second].second = std::move(value);
    }
    if (!accept(TokenKind::kComma)) break;
  }
  if (!error_.empty() || !expect(TokenKind::kRightBrace, "',' or '}'")) return nullptr;
  return finish(std::make_unique<ObjectNode>(column, std::move(members)));
}

NodePtr Parser::parse_call(const Token& name) {
  const size_t column = column_of(name.offset);
  const FunctionSpec* function = find_function(name.text);
  if (function == nullptr) {
    return fail(name.offset, "unknown function " + quote_for_message(name.text));
  }
  if (!advance()) return nullptr;
  std::vector<NodePtr> args;
  while (token_.kind != TokenKind::kRightParen) {
    NodePtr arg = parse_expression();
    if (!arg) return nullptr;
    args.push_back(std::move(arg));
    if (!accept(TokenKind::kComma)) break;
  }
  if (!error_.empty() || !expect(TokenKind::kRightParen, "',' or ')'")) return nullptr;
  const size_t count = args.size();
  if (count < function->min_args ||
      (function->max_args != kVariadic && count > function->max_args)) {
    std::string expected;
    if (function->max_args == kVariadic) {
      expected = "at least " + std::to_string(function->min_args);
    } else if (function->min_args == function->max_args) {
      expected = std::to_string(function->min_args);
    } else {
      expected = std::to_string(function->min_args) + " to " + std::to_string(function->max_args);
    }
    const bool one =
        function->min_args == 1 && (function->max_args == 1 || function->max_args == kVariadic);
    if (error_.empty()) {
      error_ = at_column(column, std::string(function->name) + " takes " + expected +
                                     (one ? " argument" : " arguments") + ", got " +
                                     std::to_string(count));
    }
    return nullptr;
  }
  return finish(std::make_unique<CallNode>(column, *function, std::move(args)));
}

NodePtr Parser::parse_variable() {
  const size_t column = column_of(token_.offset);
  const std::string_view name = token_.text.substr(1);
  const size_t offset = token_.offset;
  if (name == "node") {
    if (!advance()) return nullptr;
    return parse_node_output(column);
  }
  VariableNode::Kind kind;
  if (name == "json") {
    kind = VariableNode::Kind::kJson;
  } else if (name == "execution") {
    kind = VariableNode::Kind::kExecution;
  } else if (name == "workflow") {
    kind = VariableNode::Kind::kWorkflow;
  } else if (name == "now") {
    kind = VariableNode::Kind::kNow;
  } else {
    return fail(offset, "unknown variable " + quote_for_message(token_.text) +
                            " (known: $json, $node, $execution, $workflow, $now)");
  }
  if (!advance()) return nullptr;
  return std::make_unique<VariableNode>(column, kind);
}

NodePtr Parser::parse_node_output(size_t column) {
  NodePtr node_id;
  if (token_.kind == TokenKind::kLeftBracket) {
    if (!advance()) return nullptr;
    node_id = parse_expression();
    if (!node_id || !expect(TokenKind::kRightBracket, "']'")) return nullptr;
  } else if (token_.kind == TokenKind::kDot) {
    if (!advance()) return nullptr;
    if (token_.kind != TokenKind::kIdentifier) {
      return fail(token_.offset, "expected a node id after '$node.', got " + describe(token_));
    }
    node_id =
        std::make_unique<LiteralNode>(column_of(token_.offset), Json(std::string(token_.text)));
    if (!advance()) return nullptr;
  } else {
    return fail(token_.offset, "expected '[' after $node, as in $node[\"id\"].json");
  }
  // `.json`, `.items` and `.items[i]` read the items in place.
  auto part = NodeOutputNode::Part::kWhole;
  NodePtr index;
  if (token_.kind == TokenKind::kDot) {
    Token next;
    if (peek(next) && next.kind == TokenKind::kIdentifier &&
        (next.text == "json" || next.text == "items")) {
      part =
          next.text == "json" ? NodeOutputNode::Part::kFirstItem : NodeOutputNode::Part::kAllItems;
      if (!advance() || !advance()) return nullptr;
      if (part == NodeOutputNode::Part::kAllItems && token_.kind == TokenKind::kLeftBracket) {
        if (!advance()) return nullptr;
        index = parse_expression();
        if (!index || !expect(TokenKind::kRightBracket, "']'")) return nullptr;
        part = NodeOutputNode::Part::kItemAt;
      }
    }
  }
  return finish(
      std::make_unique<NodeOutputNode>(column, std::move(node_id), part, std::move(index)));
}

}  // namespace weft::expr
