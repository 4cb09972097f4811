// weft.set: builds each output item from its input item by renaming, removing and setting
// fields.
#include <weft/sdk.hpp>

#include <string>

namespace {

// The array parameter `name` for `item`, or a view that does not exist() when it is absent.
weft::Value optional_array(weft::Context& ctx, std::string_view name, int64_t item) {
  weft::Value v = ctx.param(name, item);
  if (!v.exists() || v.is_null()) return weft::Value();
  if (!v.is_array())
    throw weft::param_error(name, item, "must be an array, got " + std::string(weft::type_name(v)));
  return v;
}

// "name[index]", naming an element of an array parameter in messages.
std::string element_name(std::string_view name, size_t index) {
  return std::string(name) + "[" + std::to_string(index) + "]";
}

// `v` read as a dotted path: it must be a non-empty string. `where` names it in messages.
std::string_view as_path(weft::Value v, const std::string& where, int64_t item) {
  if (v.is_string() && !v.as_string().empty()) return v.as_string();
  if (!v.exists()) throw weft::param_error(where, item, "is required");
  std::string got = v.is_string() ? "an empty string" : std::string(weft::type_name(v));
  throw weft::param_error(where, item, "must be a non-empty string, got " + got);
}

// Element `index` of array parameter `name`, which must be an object.
weft::Value object_at(weft::Value array, std::string_view name, size_t index, int64_t item) {
  weft::Value element = array[index];
  if (!element.is_object())
    throw weft::param_error(element_name(name, index), item,
                            "must be an object, got " + std::string(weft::type_name(element)));
  return element;
}

// For each input item, in this order: start from a copy of the item (includeInput, default) or
// from {}; apply `rename` ({from, to} paths; a missing `from` is skipped); drop the `remove`
// paths; set each of `fields` ({name, value}, name a dotted path creating nested objects); keep
// only the `keepOnly` paths when that list is not empty. Emits one item per input item.
class Set : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) {
      auto item = static_cast<int64_t>(i);
      weft::Value input = ctx.input(0, i);
      bool include_input = ctx.param_bool("includeInput", item, true);
      weft::OwnedValue out = include_input && input.is_object() ? ctx.clone(input) : ctx.object();
      rename(ctx, out, item);
      remove(ctx, out, item);
      set_fields(ctx, out, item);
      keep_only(ctx, out, item);
      ctx.emit(0, std::move(out));
    }
    return weft::Result::ok();
  }

 private:
  static void rename(weft::Context& ctx, weft::OwnedValue& out, int64_t item) {
    weft::Value renames = optional_array(ctx, "rename", item);
    for (size_t r = 0; r < renames.size(); ++r) {
      weft::Value entry = object_at(renames, "rename", r, item);
      std::string_view from = as_path(entry["from"], element_name("rename", r) + ".from", item);
      std::string_view to = as_path(entry["to"], element_name("rename", r) + ".to", item);
      weft::Value value = out.view().path(from);
      if (!value.exists()) continue;
      weft::OwnedValue moved = ctx.clone(value);  // copied before removal invalidates `value`
      out.remove_path(from);
      out.set_path(to, std::move(moved));
    }
  }

  static void remove(weft::Context& ctx, weft::OwnedValue& out, int64_t item) {
    weft::Value paths = optional_array(ctx, "remove", item);
    for (size_t r = 0; r < paths.size(); ++r)
      out.remove_path(as_path(paths[r], element_name("remove", r), item));
  }

  static void set_fields(weft::Context& ctx, weft::OwnedValue& out, int64_t item) {
    weft::Value fields = optional_array(ctx, "fields", item);
    for (size_t f = 0; f < fields.size(); ++f) {
      weft::Value field = object_at(fields, "fields", f, item);
      std::string_view name = as_path(field["name"], element_name("fields", f) + ".name", item);
      weft::Value value = field["value"];
      out.set_path(name, value.exists() ? ctx.clone(value) : ctx.null());
    }
  }

  static void keep_only(weft::Context& ctx, weft::OwnedValue& out, int64_t item) {
    weft::Value paths = optional_array(ctx, "keepOnly", item);
    if (paths.size() == 0) return;
    weft::OwnedValue kept = ctx.object();
    for (size_t k = 0; k < paths.size(); ++k) {
      std::string_view path = as_path(paths[k], element_name("keepOnly", k), item);
      weft::Value value = out.view().path(path);
      if (value.exists()) kept.set_path(path, ctx.clone(value));
    }
    out = std::move(kept);
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Set",
  "description": "Sets, renames, removes or keeps fields of each item. Per item: start from the input (or {}), rename, remove, set fields, keep only.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "fields", "type": "array", "required": false,
     "description": "Array of {name, value}: sets field 'name' (a dotted path such as 'customer.id' creates nested objects) to 'value' (any JSON, usually an expression)."},
    {"name": "rename", "type": "array", "required": false,
     "description": "Array of {from, to} dotted paths; a missing 'from' is skipped."},
    {"name": "remove", "type": "array", "required": false,
     "description": "Array of dotted paths to remove."},
    {"name": "keepOnly", "type": "array", "required": false,
     "description": "Array of dotted paths; when not empty, the output keeps only these."},
    {"name": "includeInput", "type": "boolean", "required": false, "default": true,
     "description": "true: start from a copy of the input item; false: start from an empty object."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-set", "1.0.0") { registry.add_node<Set>("weft.set", 1, kDescription); }
