// weft.noop: passes its items on unchanged. Also the probe of the per-hop benchmark, so it is
// kept to a single forwarding loop.
#include <weft/sdk.hpp>

namespace {

// Forwards every item of input 0 to output 0, in order, without copying.
class NoOp : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }
};

constexpr const char* kDescription = R"({
  "displayName": "No operation",
  "description": "Passes every item on unchanged.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": []
})";

}  // namespace

WEFT_PLUGIN("weft-noop", "1.0.0") { registry.add_node<NoOp>("weft.noop", 1, kDescription); }
