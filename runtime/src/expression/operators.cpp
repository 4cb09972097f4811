#include "operators.hpp"

#include <cmath>
#include <limits>

#include "render.hpp"

namespace weft::expr {

const char* symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSubtract: return "-";
    case BinaryOp::kMultiply: return "*";
    case BinaryOp::kDivide: return "/";
    case BinaryOp::kRemainder: return "%";
    case BinaryOp::kEqual: return "==";
    case BinaryOp::kNotEqual: return "!=";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEqual: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEqual: return ">=";
  }
  return "?";
}

bool finite_number(EvalContext& ctx, size_t column, double value, Json& out) {
  if (!std::isfinite(value)) return ctx.fail(column, "result is not a finite number");
  out = value;
  return true;
}

namespace {

bool type_error(EvalContext& ctx, size_t column, BinaryOp op, const char* needs, const Json& a,
                const Json& b) {
  return ctx.fail(column, std::string("'") + symbol(op) + "' needs " + needs + ", got " +
                              type_name(a) + " and " + type_name(b));
}

bool set_double(EvalContext& ctx, size_t column, double result, Value& out) {
  Json number;
  if (!finite_number(ctx, column, result, number)) return false;
  out.set(std::move(number));
  return true;
}

bool set_integer(int64_t result, Value& out) {
  out.set(Json(result));
  return true;
}

bool arithmetic(BinaryOp op, EvalContext& ctx, size_t column, const Number& a, const Number& b,
                Value& out) {
  if (a.is_integer && b.is_integer) {
    int64_t x = a.integer, y = b.integer, result = 0;
    switch (op) {
      case BinaryOp::kAdd:
        if (!__builtin_add_overflow(x, y, &result)) return set_integer(result, out);
        break;
      case BinaryOp::kSubtract:
        if (!__builtin_sub_overflow(x, y, &result)) return set_integer(result, out);
        break;
      case BinaryOp::kMultiply:
        if (!__builtin_mul_overflow(x, y, &result)) return set_integer(result, out);
        break;
      case BinaryOp::kDivide:
        if (y == 0) return ctx.fail(column, "division by zero");
        // INT64_MIN / -1 overflows: leave it to the double path.
        if (y != -1 && x % y == 0) return set_integer(x / y, out);
        if (y == -1 && x != std::numeric_limits<int64_t>::min()) return set_integer(-x, out);
        break;
      case BinaryOp::kRemainder:
        if (y == 0) return ctx.fail(column, "division by zero");
        return set_integer(y == -1 ? 0 : x % y, out);
      default: break;
    }
  }
  double x = a.as_double(), y = b.as_double();
  switch (op) {
    case BinaryOp::kAdd: return set_double(ctx, column, x + y, out);
    case BinaryOp::kSubtract: return set_double(ctx, column, x - y, out);
    case BinaryOp::kMultiply: return set_double(ctx, column, x * y, out);
    case BinaryOp::kDivide:
      if (y == 0) return ctx.fail(column, "division by zero");
      return set_double(ctx, column, x / y, out);
    case BinaryOp::kRemainder:
      if (y == 0) return ctx.fail(column, "division by zero");
      return set_double(ctx, column, std::fmod(x, y), out);
    default: return false;
  }
}

bool text_failure(EvalContext& ctx, size_t column, RenderResult result) {
  if (result == RenderResult::kTooDeep) {
    return ctx.fail(column,
                    "value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
  }
  return ctx.fail(column, "'+' would make a string longer than " +
                              std::to_string(ctx.limits().max_string_bytes) + " bytes");
}

bool concatenate_strings(EvalContext& ctx, size_t column, Value& lhs, const Json& rhs) {
  const size_t max_bytes = ctx.limits().max_string_bytes;
  // A chain `a + b + c` extends the string it already built (already charged).
  const bool extend = lhs.is_owned() && lhs.get().is_string();
  std::string text;
  if (extend) {
    text = std::move(lhs.release().get_ref<std::string&>());
  } else if (RenderResult r = append_text(text, lhs.get(), max_bytes); r != RenderResult::kOk) {
    return text_failure(ctx, column, r);
  }
  const size_t before = text.size();
  if (RenderResult r = append_text(text, rhs, max_bytes); r != RenderResult::kOk) {
    return text_failure(ctx, column, r);
  }
  if (!ctx.charge(column, text.size() - (extend ? before : 0))) return false;
  lhs.set(Json(std::move(text)));
  return true;
}

bool concatenate_arrays(EvalContext& ctx, size_t column, Value& lhs, const Json& rhs) {
  const size_t items = lhs.get().size() + rhs.size();
  if (items > ctx.limits().max_array_items) {
    return ctx.fail(column, "'+' would make an array longer than " +
                                std::to_string(ctx.limits().max_array_items) + " items");
  }
  if (!ctx.step(column, rhs.size())) return false;
  Json result;
  if (!take_owned(ctx, column, lhs, result) || !charge_copy(ctx, column, rhs)) return false;
  for (const Json& element : rhs) result.push_back(element);
  lhs.set(std::move(result));
  return true;
}

bool add(EvalContext& ctx, size_t column, Value& lhs, const Value& rhs_value) {
  const Json& a = lhs.get();
  const Json& b = rhs_value.get();
  if (a.is_string() || b.is_string()) return concatenate_strings(ctx, column, lhs, b);
  if (a.is_array() && b.is_array()) return concatenate_arrays(ctx, column, lhs, b);
  return type_error(ctx, column, BinaryOp::kAdd, "numbers, strings or arrays", a, b);
}

bool relational(BinaryOp op, EvalContext& ctx, size_t column, Value& lhs, const Json& b) {
  const Json& a = lhs.get();
  int order = 0;
  Number x, y;
  if (to_number(a, x) && to_number(b, y)) {
    order = compare_numbers(x, y);
  } else if (a.is_string() && b.is_string()) {
    order = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
  } else {
    return type_error(ctx, column, op, "two numbers or two strings", a, b);
  }
  bool result = false;
  switch (op) {
    case BinaryOp::kLess: result = order < 0; break;
    case BinaryOp::kLessEqual: result = order <= 0; break;
    case BinaryOp::kGreater: result = order > 0; break;
    case BinaryOp::kGreaterEqual: result = order >= 0; break;
    default: break;
  }
  lhs.set(Json(result));
  return true;
}

}  // namespace

bool apply_binary(BinaryOp op, EvalContext& ctx, size_t column, Value& lhs, const Value& rhs) {
  switch (op) {
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual: {
      bool equal = false;
      if (!deep_equal(ctx, column, lhs.get(), rhs.get(), equal)) return false;
      lhs.set(Json(equal == (op == BinaryOp::kEqual)));
      return true;
    }
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual: return relational(op, ctx, column, lhs, rhs.get());
    default: break;
  }
  Number x, y;
  if (to_number(lhs.get(), x) && to_number(rhs.get(), y))
    return arithmetic(op, ctx, column, x, y, lhs);
  if (op == BinaryOp::kAdd) return add(ctx, column, lhs, rhs);
  return type_error(ctx, column, op, "numbers", lhs.get(), rhs.get());
}

bool apply_negate(EvalContext& ctx, size_t column, Value& value) {
  Number n;
  if (!to_number(value.get(), n)) {
    return ctx.fail(column, std::string("'-' needs a number, got ") + type_name(value.get()));
  }
  if (n.is_integer && n.integer != std::numeric_limits<int64_t>::min()) {
    value.set(Json(-n.integer));
    return true;
  }
  return set_double(ctx, column, -n.as_double(), value);
}

}  // namespace weft::expr
