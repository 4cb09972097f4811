#include "cached_record.hpp"

#include <cmath>
#include <limits>

namespace weft::dual {

namespace {

weft_value* checked(weft_value* v) {
  if (!v) throw Error(WEFT_ERR_INTERNAL, "the host could not allocate a value");
  return v;
}

void check(weft_status st) {
  if (st != WEFT_OK) throw Error(st, "building a cached record failed", true);
}

}  // namespace

std::shared_ptr<const CachedRecord> CachedRecord::copy(Value record) {
  auto out = std::make_shared<CachedRecord>();
  out->nodes_.reserve(32);
  if (!out->append(record, {})) return nullptr;
  out->nodes_.shrink_to_fit();
  out->text_.shrink_to_fit();
  return out;
}

uint32_t CachedRecord::store_text(std::string_view text) {
  if (text_.size() + text.size() > std::numeric_limits<uint32_t>::max())
    throw Error(WEFT_ERR_INVALID, "a record larger than 4 GiB cannot be cached");
  auto offset = static_cast<uint32_t>(text_.size());
  text_.append(text);
  return offset;
}

bool CachedRecord::append(Value v, std::string_view key) {
  Node node;
  node.type = v.type();
  node.key_offset = store_text(key);
  node.key_length = static_cast<uint32_t>(key.size());
  switch (node.type) {
    case WEFT_NULL: break;
    case WEFT_BOOL: node.boolean = v.as_bool(); break;
    case WEFT_INT: node.integer = v.as_int(); break;
    case WEFT_DOUBLE: {
      double d = v.as_double();
      // An integer the host cannot pass as int64 (e.g. a uint64 above its range) would come
      // back as a double: not exact, so not cacheable.
      if (std::trunc(d) == d && std::fabs(d) >= 9.2e18) return false;
      node.number = d;
      break;
    }
    case WEFT_STRING: {
      std::string_view s = v.as_string();
      node.offset = store_text(s);
      node.count = static_cast<uint32_t>(s.size());
      break;
    }
    case WEFT_ARRAY:
    case WEFT_OBJECT: {
      const size_t n = v.size();
      node.count = static_cast<uint32_t>(n);
      nodes_.push_back(node);
      for (size_t i = 0; i < n; ++i) {
        bool ok = node.type == WEFT_ARRAY ? append(v[i], {}) : append(v.value_at(i), v.key_at(i));
        if (!ok) return false;
      }
      return true;
    }
  }
  nodes_.push_back(node);
  return true;
}

OwnedValue CachedRecord::build(Context& ctx) const {
  size_t next = 0;
  return OwnedValue(ctx.raw(), build_node(ctx.raw(), next));
}

// Values are consumed by object_set / array_push as soon as they are built, so nothing is left
// for the host to free twice when a later call throws: the ctx frees what it still owns.
weft_value* CachedRecord::build_node(weft_ctx* ctx, size_t& next) const {
  const weft_host& h = host();
  const Node& node = nodes_[next++];
  switch (node.type) {
    case WEFT_NULL: return checked(h.new_null(ctx));
    case WEFT_BOOL: return checked(h.new_bool(ctx, node.boolean ? 1 : 0));
    case WEFT_INT: return checked(h.new_int(ctx, node.integer));
    case WEFT_DOUBLE: return checked(h.new_double(ctx, node.number));
    case WEFT_STRING:
      return checked(h.new_string(ctx, weft_str{text_.data() + node.offset, node.count}));
    case WEFT_ARRAY: {
      weft_value* array = checked(h.new_array(ctx));
      for (uint32_t i = 0; i < node.count; ++i)
        check(h.array_push(ctx, array, build_node(ctx, next)));
      return array;
    }
    case WEFT_OBJECT: {
      weft_value* object = checked(h.new_object(ctx));
      for (uint32_t i = 0; i < node.count; ++i) {
        const Node& member = nodes_[next];
        weft_str key{text_.data() + member.key_offset, member.key_length};
        check(h.object_set(ctx, object, key, build_node(ctx, next)));
      }
      return object;
    }
  }
  return checked(h.new_null(ctx));
}

}  // namespace weft::dual
