#include <unordered_map>

#include "functions.hpp"

namespace weft::expr {

namespace {

using FunctionIndex = std::unordered_map<std::string_view, const FunctionSpec*>;

FunctionIndex build_index() {
  FunctionIndex index;
  for (auto group : {string_functions(), number_functions(), date_functions(), array_functions(),
                     object_functions(), misc_functions()}) {
    for (const FunctionSpec& spec : group) index.emplace(spec.name, &spec);
  }
  return index;
}

}  // namespace

const FunctionSpec* find_function(std::string_view name) {
  static const FunctionIndex index = build_index();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

bool Call::fail(std::string_view message) const {
  std::string text(spec_.name);
  text += ": ";
  text += message;
  return ctx_.fail(column_, text);
}

bool Call::type_error(size_t i, std::string_view expected) const {
  std::string message = "argument " + std::to_string(i + 1) + " must be ";
  message += expected;
  message += ", got ";
  message += type_name(arg(i));
  return fail(message);
}

bool Call::reserve_string(size_t bytes) const {
  if (bytes > limits().max_string_bytes) return string_too_long(*this);
  return charge(sizeof(Json) + bytes);
}

bool Call::reserve_items(size_t items) const {
  if (items > limits().max_array_items) {
    return fail("result would have more than " + std::to_string(limits().max_array_items) +
                " items");
  }
  return step(items) && charge(sizeof(Json) * (items + 1));
}

bool Call::string_arg(size_t i, std::string_view& out) const {
  if (!arg(i).is_string()) return type_error(i, "a string");
  out = arg(i).get_ref<const std::string&>();
  return true;
}

bool Call::number_arg(size_t i, Number& out) const {
  return to_number(arg(i), out) || type_error(i, "a number");
}

bool Call::integer_arg(size_t i, int64_t& out) const {
  Number n;
  if (!to_number(arg(i), n) || !to_integer(n, out)) return type_error(i, "an integer");
  return true;
}

bool Call::array_arg(size_t i, const Json*& out) const {
  if (!arg(i).is_array()) return type_error(i, "an array");
  out = &arg(i);
  return true;
}

bool Call::object_arg(size_t i, const Json*& out) const {
  if (!arg(i).is_object()) return type_error(i, "an object");
  out = &arg(i);
  return true;
}

bool set_string_copy(const Call& call, std::string_view text, Value& out) {
  if (!call.reserve_string(text.size())) return false;
  out.set(Json(std::string(text)));
  return true;
}

bool set_rendered_string(const Call& call, std::string text, Value& out) {
  if (!call.reserve_string(text.size())) return false;
  out.set(Json(std::move(text)));
  return true;
}

bool string_too_long(const Call& call) {
  return call.fail("result would be longer than " + std::to_string(call.limits().max_string_bytes) +
                   " bytes");
}

bool value_too_deep(const Call& call) {
  return call.fail("value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
}

}  // namespace weft::expr
