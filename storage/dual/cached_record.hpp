// An immutable copy of one record ({"id", "version", "body", "index"}) held by the cache, and
// its rebuild as a host value. The copy is a flat pre-order array of JSON values over one text
// buffer: a cache hit costs one host call per value and no parsing.
#pragma once

#include <weft/sdk.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace weft::dual {

class CachedRecord {
 public:
  // A copy of `record`, or nullptr when the record holds a number the host passes only as a
  // double although the database keeps it exactly (an integer beyond int64): such a record is
  // not cached, so that every read returns it as the database does.
  static std::shared_ptr<const CachedRecord> copy(Value record);

  // The record as a new value built in ctx. Throws weft::Error when the host refuses a value.
  OwnedValue build(Context& ctx) const;

 private:
  struct Node {
    weft_value_type type = WEFT_NULL;
    uint32_t key_offset = 0;  // member name in text_, for members of an object
    uint32_t key_length = 0;
    uint32_t count = 0;  // children (arrays, objects) or string length
    union {
      int64_t integer;
      double number;
      uint32_t offset;  // strings: start in text_
      bool boolean;
    };
    Node() : integer(0) {}
  };

  // Appends `v` (and what it holds); false when `v` cannot be copied exactly.
  bool append(Value v, std::string_view key);
  weft_value* build_node(weft_ctx* ctx, size_t& next) const;
  uint32_t store_text(std::string_view text);

  std::vector<Node> nodes_;
  std::string text_;
};

}  // namespace weft::dual
