// weft.respond: sets the HTTP response of a webhook execution (webhook responseMode
// "responseNode"), then passes the items on.
#include <weft/sdk.hpp>

#include <string>

namespace {

// Builds {status, headers?, body?} from the parameters evaluated against the first item and
// hands it to the host once; then forwards every item. Without a `body` parameter the body
// comes from `respondWith`: the first item, all items as an array, or no body at all.
class Respond : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    int64_t item = ctx.input_count(0) > 0 ? 0 : -1;
    weft::OwnedValue response = ctx.object();
    response.set("status", status(ctx, item));
    if (weft::Value headers = ctx.param("headers", item); headers.exists() && !headers.is_null())
      response.set("headers", checked_headers(headers, item));

    weft::Value body = ctx.param("body", item);
    std::string respond_with =
        ctx.param_enum("respondWith", item, {"firstItem", "allItems", "noData"}, "firstItem");
    if (body.exists()) {
      response.set("body", body);
    } else if (respond_with == "firstItem") {
      response.set("body", ctx.input_count(0) > 0 ? ctx.clone(ctx.input(0, 0)) : ctx.null());
    } else if (respond_with == "allItems") {
      weft::OwnedValue all = ctx.array();
      for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) all.push(ctx.input(0, i));
      response.set("body", std::move(all));
    }
    ctx.set_response(response.view());

    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }

 private:
  static int64_t status(weft::Context& ctx, int64_t item) {
    weft::Value v = ctx.param("status", item);
    if (!v.exists() || v.is_null()) return 200;
    if (!v.is_int() || v.as_int() < 100 || v.as_int() > 599)
      throw weft::param_error("status", item,
                              "must be an integer from 100 to 599, got " +
                                  std::string(v.is_number() ? ctx.to_json(v) : weft::type_name(v)));
    return v.as_int();
  }

  static weft::Value checked_headers(weft::Value headers, int64_t item) {
    if (!headers.is_object())
      throw weft::param_error("headers", item,
                              "must be an object, got " + std::string(weft::type_name(headers)));
    for (size_t h = 0; h < headers.size(); ++h)
      if (!headers.value_at(h).is_string())
        throw weft::param_error("headers", item,
                                "must map names to strings; '" + std::string(headers.key_at(h)) +
                                    "' is " + std::string(weft::type_name(headers.value_at(h))));
    return headers;
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Respond to webhook",
  "description": "Sets the HTTP response of a webhook whose responseMode is 'responseNode', then passes every item on.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "status", "type": "number", "required": false, "default": 200,
     "description": "HTTP status code, 100 to 599."},
    {"name": "headers", "type": "object", "required": false,
     "description": "Response headers: an object of header name to string value."},
    {"name": "body", "type": "any", "required": false,
     "description": "The response body (any JSON). When absent, 'respondWith' decides."},
    {"name": "respondWith", "type": "string", "required": false, "default": "firstItem",
     "options": ["firstItem", "allItems", "noData"],
     "description": "Body when 'body' is absent: the first item, all items as an array, or none."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-respond", "1.0.0") {
  registry.add_node<Respond>("weft.respond", 1, kDescription);
}
