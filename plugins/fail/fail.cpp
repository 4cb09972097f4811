// weft.fail: stops the execution with an error of the workflow's choosing.
#include <weft/sdk.hpp>

#include <string>

namespace {

constexpr const char* kDefaultMessage = "Execution stopped by weft.fail";

// Fails with WEFT_ERR_NODE and `message`, evaluated against the first input item.
class Fail : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    int64_t item = ctx.input_count(0) > 0 ? 0 : -1;
    std::string message = ctx.param_string("message", item, kDefaultMessage);
    return weft::Result::error(WEFT_ERR_NODE, message);
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Fail",
  "description": "Stops the execution with an error.",
  "inputs": ["main"],
  "outputs": [],
  "trigger": false,
  "parameters": [
    {"name": "message", "type": "string", "required": false,
     "default": "Execution stopped by weft.fail",
     "description": "The error message; expressions see the first input item."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-fail", "1.0.0") { registry.add_node<Fail>("weft.fail", 1, kDescription); }
