// acme.greet@1: adds a greeting to every item.
//   parameters: name (string, required; usually an expression such as {{ $json.name }}),
//               field (string, default "greeting")
#include <weft/sdk.hpp>

#include <string>

class Greet : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    for (size_t i = 0; i < ctx.input_count(0); ++i) {
      weft::Value name = ctx.required("name", int64_t(i));
      std::string who = name.is_string() ? std::string(name.as_string())
                                         : std::string(ctx.to_json(name));
      weft::OwnedValue item = ctx.clone(ctx.input(0, i));
      item.set(ctx.param_string("field", int64_t(i), "greeting"), "Hello, " + who + "!");
      ctx.emit(0, std::move(item));
    }
    return weft::Result::ok();
  }
};

WEFT_PLUGIN("acme-greet", "1.0.0") {
  registry.add_node<Greet>("acme.greet", 1, R"json({
    "displayName": "Greet",
    "description": "Adds a greeting to every item.",
    "inputs": ["main"],
    "outputs": ["main"],
    "parameters": [
      {"name": "name", "type": "string", "required": true,
       "description": "Who to greet; usually {{ $json.name }}"},
      {"name": "field", "type": "string", "default": "greeting",
       "description": "The field that receives the greeting"}
    ]
  })json");
}
