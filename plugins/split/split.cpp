// weft.split: turns an array field of each item into one item per element.
#include <weft/sdk.hpp>

#include <string>

namespace {

// For each input item, reads the array at `field` (a dotted path) and emits one item per
// element: an object element as is, any other element as {destination: element}. With
// includeParent, the parent item's other fields (all but `field`) come first and the element's
// fields are laid over them. An item whose field is missing or null is skipped
// (onMissing "skip") or fails the node ("error"); a field that is not an array fails the node.
class Split : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) {
      auto item = static_cast<int64_t>(i);
      std::string field = field_param(ctx, item);
      std::string destination = ctx.param_string("destination", item, last_segment(field));
      if (destination.empty()) throw weft::param_error("destination", item, "must not be empty");
      bool include_parent = ctx.param_bool("includeParent", item, false);
      bool skip_missing = ctx.param_enum("onMissing", item, {"skip", "error"}, "skip") == "skip";

      weft::Value parent = ctx.input(0, i);
      weft::Value elements = parent.path(field);
      if (!elements.exists() || elements.is_null()) {
        if (skip_missing) continue;
        throw weft::Error(WEFT_ERR_INVALID,
                          weft::item_prefix(item) + "field '" + field + "' is missing");
      }
      if (!elements.is_array())
        throw weft::Error(WEFT_ERR_INVALID, weft::item_prefix(item) + "field '" + field +
                                                "' must be an array, got " +
                                                std::string(weft::type_name(elements)));
      for (size_t e = 0; e < elements.size(); ++e) {
        weft::OwnedValue out =
            include_parent && parent.is_object() ? ctx.clone(parent) : ctx.object();
        if (include_parent) out.remove_path(field);
        weft::Value element = elements[e];
        if (element.is_object()) {
          for (size_t f = 0; f < element.size(); ++f)
            out.set(element.key_at(f), element.value_at(f));
        } else {
          out.set(destination, element);
        }
        ctx.emit(0, std::move(out));
      }
    }
    return weft::Result::ok();
  }

 private:
  static std::string field_param(weft::Context& ctx, int64_t item) {
    weft::Value v = ctx.required("field", item);
    if (!v.is_string() || v.as_string().empty())
      throw weft::param_error("field", item, "must be a non-empty string (a dotted path)");
    return std::string(v.as_string());
  }

  static std::string last_segment(const std::string& path) {
    size_t dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Split out",
  "description": "Emits one item per element of an array field of each item.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "field", "type": "string", "required": true,
     "description": "Dotted path of the array to split, e.g. 'order.lines'."},
    {"name": "destination", "type": "string", "required": false,
     "description": "Field that holds an element which is not an object; defaults to the last segment of 'field'."},
    {"name": "includeParent", "type": "boolean", "required": false, "default": false,
     "description": "true: each output item starts from the parent item's other fields, the element's fields laid over them."},
    {"name": "onMissing", "type": "string", "required": false, "default": "skip",
     "options": ["skip", "error"],
     "description": "What to do with an item whose field is missing or null: skip it, or fail."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-split", "1.0.0") { registry.add_node<Split>("weft.split", 1, kDescription); }
