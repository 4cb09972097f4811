// What a compiled Expression holds, shared with the Template (which compiles its embedded
// expressions the same way).
#pragma once

#include <string>
#include <weft/runtime/expression.hpp>

#include "ast.hpp"

namespace weft::expr {

struct Expression::Impl {
  std::string source;
  Limits limits;
  NodePtr root;
};

// Evaluates one syntax tree into a Json, with its own EvalContext.
Result<Json> evaluate_root(const Node& root, const Scope& scope, const Limits& limits);

}  // namespace weft::expr
