// The evaluation value and the semantics shared by operators and functions: numbers,
// truthiness, equality, ordering, and the accounting of copied memory.
#pragma once

#include <cstdint>
#include <weft/runtime/json.hpp>

#include "eval_context.hpp"

namespace weft::expr {

const Json& null_json();
const Json& empty_object_json();

// An intermediate result: either borrowed (from the scope or the compiled expression, so that
// reading `$json.a.b` copies nothing) or owned by the evaluation. A default Value owns null.
class Value {
 public:
  const Json& get() const { return borrowed_ != nullptr ? *borrowed_ : owned_; }
  bool is_owned() const { return borrowed_ == nullptr; }

  // Precondition: `json` outlives the evaluation and does not lie inside this value.
  void borrow(const Json& json) { borrowed_ = &json; }
  void set(Json json) {
    owned_ = std::move(json);
    borrowed_ = nullptr;
  }
  // Replaces this value by `part`, which lies inside it (a member or an element), without
  // copying: a borrowed value keeps borrowing, an owned one moves the part out.
  void narrow(const Json& part);
  // The value as a Json of its own (a copy when borrowed).
  Json release() { return borrowed_ != nullptr ? Json(*borrowed_) : std::move(owned_); }

 private:
  const Json* borrowed_ = nullptr;
  Json owned_;
};

// A JSON number as the language sees it: an int64 or a finite double. Unsigned JSON numbers
// beyond int64 read as doubles.
struct Number {
  bool is_integer = true;
  int64_t integer = 0;
  double decimal = 0;

  double as_double() const { return is_integer ? static_cast<double>(integer) : decimal; }
};

bool to_number(const Json& json, Number& out);
// <0, 0, >0; exact across int64 and double.
int compare_numbers(const Number& a, const Number& b);
// Converts a number with an integral value in int64 range; false otherwise.
bool to_integer(const Number& n, int64_t& out);

// Reads a decimal number written the JSON way (digits, optional fraction and exponent, with an
// optional leading '-'). Too small to represent reads as 0; too large or malformed is false.
bool parse_decimal(std::string_view text, double& out);

// "null", "boolean", "number", "string", "array", "object".
const char* type_name(const Json& json);

// False for null, false, 0, 0.0 and ""; true for everything else (empty arrays and objects
// included, as in JavaScript).
bool truthy(const Json& json);

// Deep equality (numbers by value, objects regardless of key order). Counts one step per
// element visited; false (error recorded) on limits or values nested deeper than kMaxValueDepth.
bool deep_equal(EvalContext& ctx, size_t column, const Json& a, const Json& b, bool& equal);

// Equality of scalars only (numbers by value); false for arrays and objects.
bool scalar_equal(const Json& a, const Json& b);
// A hash consistent with scalar_equal (1 and 1.0 hash alike).
size_t scalar_hash(const Json& json);

// Appends a member without looking the key up (objects scan their keys on lookup).
// Precondition: `object` is an object without `key`.
void append_member(Json& object, const std::string& key, Json value);

// The value at `path` inside `json`: member names and array indices joined by '.'
// ("customer.addresses.0.city"); null when any part is missing.
const Json& at_path(const Json& json, std::string_view path);

// Approximate heap bytes of a value of this shape, without its children.
size_t shallow_bytes(const Json& json);
// Charges the approximate size of a deep copy of `json`; false on the memory limit or a value
// nested deeper than kMaxValueDepth (the traversal stops as soon as the budget is spent).
bool charge_copy(EvalContext& ctx, size_t column, const Json& json);
// `value` as an owned Json: moved out when owned, charged and copied when borrowed.
bool take_owned(EvalContext& ctx, size_t column, Value& value, Json& out);

}  // namespace weft::expr
