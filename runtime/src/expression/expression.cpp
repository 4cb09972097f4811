#include "compiled.hpp"
#include "parser.hpp"

namespace weft::expr {

Result<Json> evaluate_root(const Node& root, const Scope& scope, const Limits& limits) {
  EvalContext ctx(scope, limits);
  Value value;
  if (!root.eval(ctx, value)) return Status::invalid(ctx.take_error());
  return value.release();
}

Result<Expression> Expression::compile(std::string_view source, const Limits& limits) {
  if (source.size() > limits.max_source_bytes) {
    return Status::invalid(at_column(
        1, "expression is longer than " + std::to_string(limits.max_source_bytes) + " bytes"));
  }
  FoldingBudget folding(limits);
  Parser parser(source, 0, 1, limits, folding);
  Result<NodePtr> root = parser.parse_all();
  if (!root) return root.status();
  auto impl = std::make_shared<Impl>();
  impl->source = std::string(source);
  impl->limits = limits;
  impl->root = std::move(root).value();
  return Expression(std::move(impl));
}

Result<Json> Expression::evaluate(const Scope& scope) const {
  return evaluate_root(*impl_->root, scope, impl_->limits);
}

const std::string& Expression::source() const { return impl_->source; }

Expression::Expression(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

}  // namespace weft::expr
