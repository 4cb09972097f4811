// weft.if: routes each item to "true" or "false" by a per-item condition.
#include <weft/sdk.hpp>

namespace {

constexpr size_t kTrue = 0;
constexpr size_t kFalse = 1;

// Evaluates `condition` for every input item and forwards the item to output "true" or
// "false". null counts as false; any other non-boolean fails the node naming the item.
class If : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) {
      bool holds = ctx.param_condition("condition", static_cast<int64_t>(i));
      ctx.forward(holds ? kTrue : kFalse, 0, i);
    }
    return weft::Result::ok();
  }
};

constexpr const char* kDescription = R"({
  "displayName": "If",
  "description": "Sends each item to 'true' or 'false' according to a condition evaluated for that item.",
  "inputs": ["main"],
  "outputs": ["true", "false"],
  "trigger": false,
  "parameters": [
    {"name": "condition", "type": "boolean", "required": true,
     "description": "Usually an expression, e.g. {{ $json.total > 100 }}. null counts as false."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-if", "1.0.0") { registry.add_node<If>("weft.if", 1, kDescription); }
