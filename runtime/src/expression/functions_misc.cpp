// Functions on any value: emptiness, type, defaults, truthiness, JSON text.
#include <vector>

#include "functions.hpp"
#include "render.hpp"

namespace weft::expr {

namespace {

bool is_empty(Call& call, Value& out) {
  const Json& x = call.arg(0);
  bool empty = false;
  if (x.is_null()) {
    empty = true;
  } else if (x.is_string()) {
    empty = x.get_ref<const std::string&>().empty();
  } else if (x.is_structured()) {
    empty = x.empty();
  }
  out.set(Json(empty));
  return true;
}

bool type(Call& call, Value& out) {
  out.set(Json(type_name(call.arg(0))));
  return true;
}

// default(x, fallback) and coalesce(a, b, ...): the first argument that is not null.
bool first_not_null(Call& call, Value& out) {
  for (size_t i = 0; i < call.count(); ++i) {
    if (!call.arg(i).is_null()) {
      out = std::move(call.value(i));
      return true;
    }
  }
  out.borrow(null_json());
  return true;
}

bool to_bool(Call& call, Value& out) {
  out.set(Json(truthy(call.arg(0))));
  return true;
}

bool to_json(Call& call, Value& out) {
  std::string text;
  switch (append_json(text, call.arg(0), call.limits().max_string_bytes)) {
    case RenderResult::kOk: return set_rendered_string(call, std::move(text), out);
    case RenderResult::kTooLarge: return string_too_long(call);
    case RenderResult::kTooDeep: break;
  }
  return value_too_deep(call);
}

// Scans JSON text before parsing it: nesting within `max_depth` and no container of more than
// `max_items` elements, so that the parser never builds something the limits forbid.
// Returns an estimate of the number of values, or an error message.
bool prescan_json(std::string_view text, size_t max_depth, size_t max_items, size_t& values,
                  std::string& error) {
  std::vector<size_t> items_per_level;
  bool in_string = false;
  values = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (items_per_level.size() >= max_depth) {
          error = "JSON nested deeper than " + std::to_string(max_depth) + " levels";
          return false;
        }
        items_per_level.push_back(1);
        ++values;
        break;
      case ']':
      case '}':
        if (!items_per_level.empty()) items_per_level.pop_back();
        break;
      case ',':
        ++values;
        if (!items_per_level.empty() && ++items_per_level.back() > max_items) {
          error = "JSON container has more than " + std::to_string(max_items) + " items";
          return false;
        }
        break;
      default: break;
    }
  }
  return true;
}

bool parse_json(Call& call, Value& out) {
  std::string_view text;
  if (!call.string_arg(0, text) || !call.step(1 + text.size() / 1024)) return false;
  size_t values = 0;
  std::string error;
  if (!prescan_json(text, std::min(call.limits().max_depth, kMaxValueDepth),
                    call.limits().max_array_items, values, error)) {
    return call.fail(error);
  }
  // Each value costs a Json and container space; strings cost their text.
  if (!call.charge(text.size() + values * 2 * sizeof(Json))) return false;
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return call.fail("argument is not valid JSON");
  out.set(std::move(parsed));
  return true;
}

constexpr FunctionSpec kMiscFunctions[] = {
    {"isEmpty", 1, 1, true, is_empty},       {"type", 1, 1, true, type},
    {"default", 2, 2, true, first_not_null}, {"coalesce", 1, kVariadic, true, first_not_null},
    {"bool", 1, 1, true, to_bool},           {"toJson", 1, 1, true, to_json},
    {"parseJson", 1, 1, true, parse_json},
};

}  // namespace

std::span<const FunctionSpec> misc_functions() { return kMiscFunctions; }

}  // namespace weft::expr
