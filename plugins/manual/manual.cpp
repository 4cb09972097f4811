// weft.manual: the trigger of executions started by hand (UI or API).
#include <weft/sdk.hpp>

namespace {

// Passes the execution's trigger items through; with none, emits one empty object so that the
// nodes downstream run once.
class ManualTrigger : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    size_t count = ctx.input_count(0);
    if (count == 0) ctx.emit(0, ctx.object());
    for (size_t i = 0; i < count; ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Manual trigger",
  "description": "Starts an execution by hand. Passes the trigger items on, or one empty item when there are none.",
  "inputs": [],
  "outputs": ["main"],
  "trigger": true,
  "parameters": []
})";

}  // namespace

WEFT_PLUGIN("weft-manual", "1.0.0") {
  registry.add_node<ManualTrigger>("weft.manual", 1, kDescription);
}
