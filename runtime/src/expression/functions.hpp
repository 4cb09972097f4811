// The built-in function library: how a function is declared and what it sees of the call.
// The functions themselves live in functions_<group>.cpp, one file per group.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "eval_context.hpp"
#include "value.hpp"

namespace weft::expr {

class Call;

// Computes the result into `out`; false when the call failed (the error is recorded).
using BuiltinFunction = bool (*)(Call& call, Value& out);

inline constexpr uint8_t kVariadic = UINT8_MAX;

struct FunctionSpec {
  std::string_view name;
  uint8_t min_args;
  uint8_t max_args;  // kVariadic: no upper bound
  // Pure functions of constant arguments are folded at compile time (all but now()).
  bool pure;
  BuiltinFunction function;
};

// nullptr when there is no such function.
const FunctionSpec* find_function(std::string_view name);

// The groups, gathered by find_function.
std::span<const FunctionSpec> string_functions();
std::span<const FunctionSpec> number_functions();
std::span<const FunctionSpec> date_functions();
std::span<const FunctionSpec> array_functions();
std::span<const FunctionSpec> object_functions();
std::span<const FunctionSpec> misc_functions();

// One call of a built-in: its evaluated arguments and the means to fail, count work and
// account for memory at the call's column. Argument readers fail with a message naming the
// function, the argument and the type found.
class Call {
 public:
  Call(EvalContext& ctx, const FunctionSpec& spec, size_t column, std::span<Value> args)
      : ctx_(ctx), spec_(spec), column_(column), args_(args) {}

  EvalContext& context() const { return ctx_; }
  const Limits& limits() const { return ctx_.limits(); }
  size_t column() const { return column_; }
  size_t count() const { return args_.size(); }
  bool has(size_t i) const { return i < args_.size(); }
  const Json& arg(size_t i) const { return args_[i].get(); }
  Value& value(size_t i) const { return args_[i]; }

  // "column 3: upper: <message>"; always false.
  bool fail(std::string_view message) const;
  // "<name>: argument 2 must be a string, got number"; always false.
  bool type_error(size_t i, std::string_view expected) const;

  bool step(size_t count = 1) const { return ctx_.step(column_, count); }
  bool charge(size_t bytes) const { return ctx_.charge(column_, bytes); }
  // Checks a string of `bytes` may be produced, and accounts for it, before it is built.
  bool reserve_string(size_t bytes) const;
  // Checks an array or object of `items` may be produced, and accounts for it.
  bool reserve_items(size_t items) const;
  // Charges a deep copy of `json` about to be made.
  bool charge_copy(const Json& json) const { return expr::charge_copy(ctx_, column_, json); }
  // Argument i as an owned Json (moved when owned, charged and copied when borrowed).
  bool take(size_t i, Json& out) const { return take_owned(ctx_, column_, args_[i], out); }

  bool string_arg(size_t i, std::string_view& out) const;
  bool number_arg(size_t i, Number& out) const;
  // A number with an integral value (2.0 is accepted).
  bool integer_arg(size_t i, int64_t& out) const;
  bool array_arg(size_t i, const Json*& out) const;
  bool object_arg(size_t i, const Json*& out) const;

 private:
  EvalContext& ctx_;
  const FunctionSpec& spec_;
  size_t column_;
  std::span<Value> args_;
};

// Sets `out` to a copy of `text`, checked and accounted for before the copy is made.
bool set_string_copy(const Call& call, std::string_view text, Value& out);
// Sets `out` to `text`, built by a writer that never grew it past max_string_bytes, and
// accounts for it.
bool set_rendered_string(const Call& call, std::string text, Value& out);
// The errors for a string result past max_string_bytes and a value past kMaxValueDepth.
bool string_too_long(const Call& call);
bool value_too_deep(const Call& call);

}  // namespace weft::expr
