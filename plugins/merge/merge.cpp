// weft.merge: combines the items of two inputs. The executor runs it once every connected
// input is ready.
#include <weft/sdk.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

constexpr size_t kInput1 = 0;
constexpr size_t kInput2 = 1;

// Text identifying a join key: keys equal by weft::equals on scalars (1 and 1.0 alike) give
// the same text; null and missing keys give none (they never match).
std::optional<std::string> key_text(const weft::Context& ctx, weft::Value key) {
  if (!key.exists() || key.is_null()) return std::nullopt;
  if (key.type() == WEFT_DOUBLE) {
    double d = key.as_double();
    if (d == std::trunc(d) && std::fabs(d) < 9.0e15) return std::to_string(int64_t(d));
  }
  return std::string(ctx.to_json(key));
}

// mode "append": every item of input 1, then every item of input 2.
// mode "join": pairs items whose key (`key`, or `key1` / `key2` per side: dotted paths) is
//   equal; a pair becomes input 1's item with input 2's top-level fields laid over it, one
//   item per matching pair. `join` "inner" keeps pairs only; "left" also keeps unmatched
//   input 1 items; "outer" also keeps unmatched items of both inputs (input 2's last).
// mode "wait": passes on the items of input `output` (1 or 2) unchanged.
class Merge : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    // Parameters are per node, not per item: expressions see the first item of input 1.
    int64_t item = ctx.input_count(kInput1) > 0 ? 0 : -1;
    std::string mode = ctx.param_enum("mode", item, {"append", "join", "wait"}, "append");
    if (mode == "append") {
      forward_all(ctx, kInput1);
      forward_all(ctx, kInput2);
    } else if (mode == "join") {
      join(ctx, item);
    } else {
      int64_t output = ctx.param_int("output", item, 1);
      if (output != 1 && output != 2)
        throw weft::param_error("output", item, "must be 1 or 2, got " + std::to_string(output));
      forward_all(ctx, output == 1 ? kInput1 : kInput2);
    }
    return weft::Result::ok();
  }

 private:
  static void forward_all(weft::Context& ctx, size_t port) {
    for (size_t i = 0, n = ctx.input_count(port); i < n; ++i) ctx.forward(0, port, i);
  }

  static std::string key_param(weft::Context& ctx, std::string_view name, int64_t item,
                               const std::string& fallback) {
    weft::Value v = ctx.param(name, item);
    if (!v.exists() || v.is_null()) return fallback;
    if (!v.is_string() || v.as_string().empty())
      throw weft::param_error(name, item, "must be a non-empty string (a dotted path)");
    return std::string(v.as_string());
  }

  static void join(weft::Context& ctx, int64_t item) {
    std::string how = ctx.param_enum("join", item, {"inner", "left", "outer"}, "inner");
    std::string key = key_param(ctx, "key", item, "");
    std::string key1 = key_param(ctx, "key1", item, key);
    std::string key2 = key_param(ctx, "key2", item, key);
    if (key1.empty() || key2.empty())
      throw weft::param_error("key", item, "is required in join mode (or both key1 and key2)");

    // Input 2 indexed by key; each bucket keeps input order.
    std::unordered_map<std::string, std::vector<size_t>> by_key;
    size_t count2 = ctx.input_count(kInput2);
    for (size_t j = 0; j < count2; ++j)
      if (auto k = key_text(ctx, ctx.input(kInput2, j).path(key2))) by_key[*k].push_back(j);

    std::vector<bool> matched2(count2, false);
    for (size_t i = 0, n = ctx.input_count(kInput1); i < n; ++i) {
      weft::Value left = ctx.input(kInput1, i);
      auto k = key_text(ctx, left.path(key1));
      auto bucket = k ? by_key.find(*k) : by_key.end();
      if (bucket == by_key.end()) {
        if (how != "inner") ctx.forward(0, kInput1, i);
        continue;
      }
      for (size_t j : bucket->second) {
        matched2[j] = true;
        ctx.emit(0, overlay(ctx, left, ctx.input(kInput2, j)));
      }
    }
    if (how == "outer")
      for (size_t j = 0; j < count2; ++j)
        if (!matched2[j]) ctx.forward(0, kInput2, j);
  }

  // A copy of `base` with the top-level fields of `top` set over it.
  static weft::OwnedValue overlay(weft::Context& ctx, weft::Value base, weft::Value top) {
    weft::OwnedValue out = base.is_object() ? ctx.clone(base) : ctx.object();
    if (top.is_object())
      for (size_t f = 0; f < top.size(); ++f) out.set(top.key_at(f), top.value_at(f));
    return out;
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Merge",
  "description": "Combines the items of two inputs: append them, join them on a key, or wait for both and pass one side on.",
  "inputs": ["input1", "input2"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "mode", "type": "string", "required": false, "default": "append",
     "options": ["append", "join", "wait"],
     "description": "append: input 1's items then input 2's; join: pair items by key; wait: pass on the items of input 'output'."},
    {"name": "key", "type": "string", "required": false,
     "description": "join: dotted path of the key on both sides."},
    {"name": "key1", "type": "string", "required": false,
     "description": "join: key path on input 1 (defaults to 'key')."},
    {"name": "key2", "type": "string", "required": false,
     "description": "join: key path on input 2 (defaults to 'key')."},
    {"name": "join", "type": "string", "required": false, "default": "inner",
     "options": ["inner", "left", "outer"],
     "description": "join: inner keeps pairs; left also keeps unmatched input 1 items; outer also keeps unmatched input 2 items. A pair is input 1's item overlaid by input 2's fields."},
    {"name": "output", "type": "number", "required": false, "default": 1, "options": [1, 2],
     "description": "wait: the input (1 or 2) whose items are passed on."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-merge", "1.0.0") { registry.add_node<Merge>("weft.merge", 1, kDescription); }
