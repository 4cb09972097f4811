// The binary and unary operators: arithmetic (int64 with overflow promoted to double),
// concatenation, comparison and equality.
#pragma once

#include "eval_context.hpp"
#include "value.hpp"

namespace weft::expr {

enum class BinaryOp {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kRemainder,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
};

const char* symbol(BinaryOp op);

// lhs = lhs op rhs. False (error recorded at `column`) when the operator does not apply to
// these types or the result would break a limit or not be a finite number.
bool apply_binary(BinaryOp op, EvalContext& ctx, size_t column, Value& lhs, const Value& rhs);

// value = -value, for numbers.
bool apply_negate(EvalContext& ctx, size_t column, Value& value);

// A finite double as a JSON number; false (error recorded) for NaN and infinities, which JSON
// cannot hold.
bool finite_number(EvalContext& ctx, size_t column, double value, Json& out);

}  // namespace weft::expr
