// The collections a store was opened with (sdk/STORAGE.md, "Collections and documents"): each
// collection's declared string and integer index fields, and the documents they index.
#pragma once

#include <weft/sdk.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace weft::storage {

// At most this many string and this many integer index fields per collection.
inline constexpr size_t kMaxIndexFields = 3;

// What a query may filter or order on.
enum class FieldType { kId, kString, kInt };

// A field of a collection: the document id, or an index field and its slot (its position among
// the collection's declared fields of its type, 0-based).
struct Field {
  std::string name;
  FieldType type = FieldType::kId;
  size_t slot = 0;
};

// A value a field can hold: a string (string fields and id) or an integer.
using Scalar = std::variant<std::string, int64_t>;

// The index values of one document, by slot; an absent field is nullopt.
struct IndexValues {
  std::array<std::optional<std::string>, kMaxIndexFields> strings;
  std::array<std::optional<int64_t>, kMaxIndexFields> ints;
};

// A document as stored: `body` is the JSON text of the body object as written.
struct Document {
  std::string id;
  int64_t version = 0;
  std::string body;
  IndexValues index;
};

// One declared collection.
struct Collection {
  std::string name;
  std::vector<std::string> strings;  // declaration order = slot order
  std::vector<std::string> ints;

  // The field `name` ("id" or a declared index field). Throws WEFT_ERR_INVALID naming `where`
  // (the request path of the field, e.g. "where[1].field") and the collection otherwise.
  Field field(std::string_view name, std::string_view where) const;
  // Reads an index object ({"field": value}); every member must be a declared index field of the
  // right type. Throws WEFT_ERR_INVALID naming `where` + "." + field otherwise.
  IndexValues read_index(Value index, std::string_view where) const;
  // The index object of `values` ({"field": value} for present fields, declaration order).
  OwnedValue index_value(Context& ctx, const IndexValues& values) const;
  // The value of `field` in document `doc`, or nullopt when the document lacks it.
  std::optional<Scalar> value_of(const Field& field, const Document& doc) const;
};

// The record of `doc` as the contract returns it: {"id", "version", "body", "index"}.
OwnedValue record_value(Context& ctx, const Collection& collection, const Document& doc);

// All collections of a store.
class Schema {
 public:
  // Reads config["collections"]. Throws WEFT_ERR_INVALID naming the collection or field at fault.
  static Schema from_config(Value config);

  // The collection `name`; throws WEFT_ERR_INVALID "unknown collection 'name'" when undeclared.
  const Collection& collection(std::string_view name) const;
  const std::map<std::string, Collection, std::less<>>& collections() const {
    return collections_;
  }

 private:
  std::map<std::string, Collection, std::less<>> collections_;
};

// A WEFT_ERR_INVALID error with `message`.
Error invalid(std::string message);

}  // namespace weft::storage
