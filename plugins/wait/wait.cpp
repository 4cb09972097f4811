// weft.wait: pauses the execution, then passes the items on.
#include <weft/sdk.hpp>

#include <cmath>
#include <string>

namespace {

constexpr double kMaxWaitMs = 7.0 * 24 * 60 * 60 * 1000;  // 7 days

// Sleeps `amount` `unit`s (evaluated against the first item) through the host, which ends the
// sleep early when the execution is cancelled or the node's deadline passes; that error is the
// node's error. Then forwards every item unchanged.
class Wait : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    int64_t item = ctx.input_count(0) > 0 ? 0 : -1;
    double amount = ctx.param_double("amount", item, 1);
    std::string unit =
        ctx.param_enum("unit", item, {"milliseconds", "seconds", "minutes", "hours"}, "seconds");
    double ms = amount * unit_ms(unit);
    if (amount < 0) throw weft::param_error("amount", item, "must not be negative");
    if (ms > kMaxWaitMs) throw weft::param_error("amount", item, "must be at most 7 days");

    auto whole_ms = static_cast<uint64_t>(std::llround(ms));
    if (whole_ms > 0) ctx.sleep_ms(whole_ms);
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }

 private:
  static double unit_ms(const std::string& unit) {
    if (unit == "milliseconds") return 1;
    if (unit == "minutes") return 60'000;
    if (unit == "hours") return 3'600'000;
    return 1'000;
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Wait",
  "description": "Pauses the execution for a while (at most 7 days), then passes every item on.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "amount", "type": "number", "required": false, "default": 1,
     "description": "How long to wait, in 'unit's; expressions see the first item."},
    {"name": "unit", "type": "string", "required": false, "default": "seconds",
     "options": ["milliseconds", "seconds", "minutes", "hours"],
     "description": "Unit of 'amount'."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-wait", "1.0.0") { registry.add_node<Wait>("weft.wait", 1, kDescription); }
