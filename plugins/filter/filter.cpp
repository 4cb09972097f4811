// weft.filter: keeps the items for which a per-item condition holds.
#include <weft/sdk.hpp>

namespace {

constexpr size_t kKept = 0;
constexpr size_t kDiscarded = 1;

// Evaluates `condition` for every input item and forwards the item to "kept" or "discarded".
// null counts as false; any other non-boolean fails the node naming the item.
class Filter : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) {
      bool keep = ctx.param_condition("condition", static_cast<int64_t>(i));
      ctx.forward(keep ? kKept : kDiscarded, 0, i);
    }
    return weft::Result::ok();
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Filter",
  "description": "Keeps the items for which the condition is true; the others go to 'discarded'.",
  "inputs": ["main"],
  "outputs": ["kept", "discarded"],
  "trigger": false,
  "parameters": [
    {"name": "condition", "type": "boolean", "required": true,
     "description": "Usually an expression, e.g. {{ $json.active }}. null counts as false."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-filter", "1.0.0") { registry.add_node<Filter>("weft.filter", 1, kDescription); }
