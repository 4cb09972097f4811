// weft.switch: routes each item to the outputs of the rules it matches.
#include <weft/sdk.hpp>

#include <string>

namespace {

// Output ports: one per rule, in the order of `rules` (named by the rule's `name`), then
// "fallback" for items that match no rule. Mode "first" sends an item to its first matching
// rule only; "all" to every matching rule. Rule conditions are evaluated per item; null counts
// as false, any other non-boolean fails the node naming the item and the rule.
class Switch : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    size_t count = ctx.input_count(0);
    if (count == 0) return weft::Result::ok();
    bool first_only = ctx.param_enum("mode", 0, {"first", "all"}, "first") == "first";
    size_t rule_count = 0;  // fixed by item 0: output ports cannot vary between items

    for (size_t i = 0; i < count; ++i) {
      auto item = static_cast<int64_t>(i);
      weft::Value item_rules = rules(ctx, item);
      if (i == 0) rule_count = item_rules.size();
      if (item_rules.size() != rule_count)
        throw weft::param_error("rules", item, "must have the same number of rules for every item");
      size_t fallback = rule_count;
      bool matched = false;
      for (size_t r = 0; r < rule_count && !(matched && first_only); ++r) {
        if (!condition_holds(item_rules[r], item, r)) continue;
        ctx.forward(r, 0, i);
        matched = true;
      }
      if (!matched) ctx.forward(fallback, 0, i);
    }
    return weft::Result::ok();
  }

 private:
  static weft::Value rules(weft::Context& ctx, int64_t item) {
    weft::Value v = ctx.required("rules", item);
    if (!v.is_array())
      throw weft::param_error("rules", item,
                              "must be an array, got " + std::string(weft::type_name(v)));
    return v;
  }

  static bool condition_holds(weft::Value rule, int64_t item, size_t index) {
    std::string where = "rules[" + std::to_string(index) + "]";
    if (!rule.is_object())
      throw weft::param_error(where, item,
                              "must be an object, got " + std::string(weft::type_name(rule)));
    weft::Value condition = rule["condition"];
    if (!condition.exists() || condition.is_null()) return false;
    if (!condition.is_bool())
      throw weft::param_error(
          where + ".condition", item,
          "must be true or false, got " + std::string(weft::type_name(condition)));
    return condition.as_bool();
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Switch",
  "description": "Sends each item to the output of the first (or every) rule whose condition holds; items matching no rule go to the last output, 'fallback'. Rule outputs come first, one per rule, named by the rule's 'name'.",
  "inputs": ["main"],
  "outputs": ["fallback"],
  "outputsFrom": {"parameter": "rules", "extra": 1},
  "trigger": false,
  "parameters": [
    {"name": "rules", "type": "array", "required": true,
     "description": "Array of {condition: boolean, name?: string}; rule i feeds output i. condition is usually an expression; null counts as false."},
    {"name": "mode", "type": "string", "required": false, "default": "first",
     "options": ["first", "all"],
     "description": "first: an item goes to its first matching rule only; all: to every matching rule."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-switch", "1.0.0") { registry.add_node<Switch>("weft.switch", 1, kDescription); }
