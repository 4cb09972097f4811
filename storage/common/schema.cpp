#include "schema.hpp"

namespace weft::storage {

Error invalid(std::string message) { return Error(WEFT_ERR_INVALID, std::move(message)); }

namespace {

// Reads one list of declared field names (config.collections.<name>.<kind>).
std::vector<std::string> read_field_names(Value list, const std::string& where) {
  std::vector<std::string> names;
  if (!list.exists() || list.is_null()) return names;
  if (!list.is_array()) throw invalid(where + " must be an array of field names");
  if (list.size() > kMaxIndexFields)
    throw invalid(where + " declares " + std::to_string(list.size()) + " fields; at most " +
                  std::to_string(kMaxIndexFields) + " are allowed");
  for (size_t i = 0; i < list.size(); ++i) {
    Value name = list[i];
    if (!name.is_string() || name.as_string().empty() || name.as_string() == "id")
      throw invalid(where + "[" + std::to_string(i) + "] must be a field name other than \"id\"");
    names.emplace_back(name.as_string());
  }
  return names;
}

}  // namespace

Schema Schema::from_config(Value config) {
  Value collections = config["collections"];
  if (!collections.is_object()) throw invalid("config.collections must be an object");
  Schema schema;
  for (size_t i = 0; i < collections.size(); ++i) {
    Collection c;
    c.name = std::string(collections.key_at(i));
    const std::string where = "config.collections." + c.name;
    if (c.name.empty()) throw invalid("config.collections: a collection name is empty");
    Value decl = collections.value_at(i);
    if (!decl.is_object()) throw invalid(where + " must be an object");
    c.strings = read_field_names(decl["strings"], where + ".strings");
    c.ints = read_field_names(decl["ints"], where + ".ints");
    for (const std::string& s : c.strings)
      for (const std::string& n : c.ints)
        if (s == n) throw invalid(where + ": field '" + s + "' is declared twice");
    schema.collections_.emplace(c.name, std::move(c));
  }
  return schema;
}

const Collection& Schema::collection(std::string_view name) const {
  auto it = collections_.find(name);
  if (it == collections_.end())
    throw invalid("unknown collection '" + std::string(name) + "'");
  return it->second;
}

Field Collection::field(std::string_view field_name, std::string_view where) const {
  if (field_name == "id") return Field{"id", FieldType::kId, 0};
  for (size_t i = 0; i < strings.size(); ++i)
    if (strings[i] == field_name) return Field{strings[i], FieldType::kString, i};
  for (size_t i = 0; i < ints.size(); ++i)
    if (ints[i] == field_name) return Field{ints[i], FieldType::kInt, i};
  throw invalid(std::string(where) + ": '" + std::string(field_name) +
                "' is not an index field of collection '" + name + "'");
}

IndexValues Collection::read_index(Value index, std::string_view where) const {
  IndexValues values;
  if (!index.exists() || index.is_null()) return values;
  if (!index.is_object()) throw invalid(std::string(where) + " must be an object");
  for (size_t i = 0; i < index.size(); ++i) {
    std::string_view key = index.key_at(i);
    const std::string path = std::string(where) + "." + std::string(key);
    Value v = index.value_at(i);
    Field f = field(key, where);
    if (f.type == FieldType::kId) throw invalid(path + ": the id is not an index field");
    if (v.is_null()) continue;
    if (f.type == FieldType::kString) {
      if (!v.is_string()) throw invalid(path + " must be a string");
      values.strings[f.slot] = std::string(v.as_string());
    } else {
      if (!v.is_int()) throw invalid(path + " must be an integer");
      values.ints[f.slot] = v.as_int();
    }
  }
  return values;
}

OwnedValue Collection::index_value(Context& ctx, const IndexValues& values) const {
  OwnedValue out = ctx.object();
  for (size_t i = 0; i < strings.size(); ++i)
    if (values.strings[i]) out.set(strings[i], std::string_view(*values.strings[i]));
  for (size_t i = 0; i < ints.size(); ++i)
    if (values.ints[i]) out.set(ints[i], *values.ints[i]);
  return out;
}

std::optional<Scalar> Collection::value_of(const Field& f, const Document& doc) const {
  switch (f.type) {
    case FieldType::kId: return Scalar(doc.id);
    case FieldType::kString:
      if (doc.index.strings[f.slot]) return Scalar(*doc.index.strings[f.slot]);
      return std::nullopt;
    case FieldType::kInt:
      if (doc.index.ints[f.slot]) return Scalar(*doc.index.ints[f.slot]);
      return std::nullopt;
  }
  return std::nullopt;
}

OwnedValue record_value(Context& ctx, const Collection& collection, const Document& doc) {
  OwnedValue rec = ctx.object();
  rec.set("id", std::string_view(doc.id));
  rec.set("version", doc.version);
  rec.set("body", ctx.parse_json(doc.body));
  rec.set("index", collection.index_value(ctx, doc.index));
  return rec;
}

}  // namespace weft::storage
