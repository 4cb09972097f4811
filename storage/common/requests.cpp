#include "requests.hpp"

#include <string_view>

namespace weft::storage {

namespace {

// The collection named by request member `collection`.
const Collection& collection_of(const Schema& schema, Value request, const std::string& where) {
  Value name = request["collection"];
  if (!name.is_string()) throw invalid(where + "collection must be a string");
  return schema.collection(name.as_string());
}

// A limit in 1..kMaxLimit, or `fallback` when absent.
int64_t read_limit(Value limit, int64_t fallback) {
  if (!limit.exists() || limit.is_null()) return fallback;
  if (!limit.is_int() || limit.as_int() < 1 || limit.as_int() > kMaxLimit)
    throw invalid("limit must be an integer from 1 to " + std::to_string(kMaxLimit));
  return limit.as_int();
}

// A value of field `f`: a string for string fields and id, an integer for integer fields.
Scalar read_scalar(const Field& f, Value v, const std::string& where) {
  if (f.type == FieldType::kInt) {
    if (!v.is_int()) throw invalid(where + " must be an integer for field '" + f.name + "'");
    return v.as_int();
  }
  if (!v.is_string()) throw invalid(where + " must be a string for field '" + f.name + "'");
  return std::string(v.as_string());
}

Compare read_compare(Value op, const std::string& where) {
  static constexpr std::pair<std::string_view, Compare> kOps[] = {
      {"eq", Compare::kEq}, {"ne", Compare::kNe}, {"lt", Compare::kLt},
      {"le", Compare::kLe}, {"gt", Compare::kGt}, {"ge", Compare::kGe}};
  if (op.is_string())
    for (const auto& [name, c] : kOps)
      if (op.as_string() == name) return c;
  throw invalid(where + " must be one of eq, ne, lt, le, gt, ge");
}

// Cursor text: "c1" followed by the hex digits of the JSON [orderBy, descending, value, id].
constexpr std::string_view kCursorPrefix = "c1";

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

RowKey decode_cursor(Context& ctx, std::string_view text, const QueryRequest& query) {
  const Error malformed = invalid("cursor is not a cursor of this backend");
  if (text.substr(0, kCursorPrefix.size()) != kCursorPrefix) throw malformed;
  std::optional<std::string> json = from_hex(text.substr(kCursorPrefix.size()));
  if (!json) throw malformed;
  OwnedValue parsed;
  try {
    parsed = ctx.parse_json(*json);
  } catch (const Error&) {
    throw malformed;
  }
  Value v = parsed.view();
  if (!v.is_array() || v.size() != 4 || !v[0].is_string() || !v[1].is_bool() ||
      !v[3].is_string())
    throw malformed;
  if (v[0].as_string() != query.order_by.name || v[1].as_bool() != query.descending)
    throw invalid("cursor was made for another ordering than orderBy '" + query.order_by.name +
                  "'" + (query.descending ? " descending" : " ascending"));
  RowKey key;
  key.id = std::string(v[3].as_string());
  Value value = v[2];
  if (query.order_by.type != FieldType::kId && !value.is_null()) {
    if (query.order_by.type == FieldType::kInt ? !value.is_int() : !value.is_string())
      throw malformed;
    key.value = read_scalar(query.order_by, value, "cursor");
  }
  return key;
}

}  // namespace

std::vector<WriteOp> parse_write_batch(Context& ctx, const Schema& schema, Value batch) {
  Value writes = batch["writes"];
  if (!writes.is_array()) throw invalid("writes must be an array");
  if (writes.size() > kMaxBatchWrites)
    throw invalid("writes holds " + std::to_string(writes.size()) + " writes; at most " +
                  std::to_string(kMaxBatchWrites) + " are allowed in one batch");
  std::vector<WriteOp> ops;
  ops.reserve(writes.size());
  for (size_t i = 0; i < writes.size(); ++i) {
    const std::string where = "writes[" + std::to_string(i) + "].";
    Value w = writes[i];
    if (!w.is_object()) throw invalid("writes[" + std::to_string(i) + "] must be an object");
    WriteOp op;
    Value kind = w["op"];
    if (kind.is_string() && kind.as_string() == "put") {
      op.kind = WriteOp::Kind::kPut;
    } else if (kind.is_string() && kind.as_string() == "delete") {
      op.kind = WriteOp::Kind::kDelete;
    } else {
      throw invalid(where + "op must be \"put\" or \"delete\"");
    }
    op.collection = &collection_of(schema, w, where);
    Value id = w["id"];
    if (!id.is_string() || id.as_string().empty())
      throw invalid(where + "id must be a non-empty string");
    op.id = std::string(id.as_string());
    Value expected = w["expectedVersion"];
    if (expected.exists() && !expected.is_null()) {
      if (!expected.is_int() || expected.as_int() < 0)
        throw invalid(where + "expectedVersion must be null or an integer >= 0");
      op.expected_version = expected.as_int();
    }
    if (op.kind == WriteOp::Kind::kPut) {
      Value body = w["body"];
      if (!body.is_object()) throw invalid(where + "body must be an object");
      op.body = ctx.to_json(body);  // serialized once, not copied
      op.index = op.collection->read_index(w["index"], where + "index");
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

Error version_conflict(const WriteOp& op, int64_t found) {
  return Error(WEFT_ERR_CONFLICT, "version conflict on " + op.collection->name + "/" + op.id +
                                      ": expected version " +
                                      std::to_string(*op.expected_version) + ", found " +
                                      std::to_string(found));
}

QueryRequest parse_query(Context& ctx, const Schema& schema, Value query) {
  QueryRequest q;
  q.collection = &collection_of(schema, query, "");
  Value where = query["where"];
  if (where.exists() && !where.is_null()) {
    if (!where.is_array()) throw invalid("where must be an array of conditions");
    for (size_t i = 0; i < where.size(); ++i) {
      const std::string path = "where[" + std::to_string(i) + "]";
      Value c = where[i];
      if (!c.is_object()) throw invalid(path + " must be an object");
      if (!c["field"].is_string()) throw invalid(path + ".field must be a string");
      Condition cond;
      cond.field = q.collection->field(c["field"].as_string(), path + ".field");
      cond.op = read_compare(c["op"], path + ".op");
      cond.value = read_scalar(cond.field, c["value"], path + ".value");
      q.where.push_back(std::move(cond));
    }
  }
  Value count = query["count"];
  q.count = count.is_bool() && count.as_bool();
  if (q.count) return q;
  Value order_by = query["orderBy"];
  if (order_by.exists() && !order_by.is_null()) {
    if (!order_by.is_string()) throw invalid("orderBy must be a string");
    q.order_by = q.collection->field(order_by.as_string(), "orderBy");
  } else {
    q.order_by = q.collection->field("id", "orderBy");
  }
  Value descending = query["descending"];
  if (descending.exists() && !descending.is_null() && !descending.is_bool())
    throw invalid("descending must be true or false");
  q.descending = descending.is_bool() && descending.as_bool();
  q.limit = read_limit(query["limit"], 100);
  Value cursor = query["cursor"];
  if (cursor.exists() && !cursor.is_null()) {
    if (!cursor.is_string()) throw invalid("cursor must be a string or null");
    q.after = decode_cursor(ctx, cursor.as_string(), q);
  }
  return q;
}

std::string encode_cursor(Context& ctx, const QueryRequest& query, const RowKey& last) {
  OwnedValue v = ctx.array();
  v.push(ctx.string(query.order_by.name));
  v.push(ctx.boolean(query.descending));
  if (!last.value) {
    v.push(ctx.null());
  } else if (const auto* s = std::get_if<std::string>(&*last.value)) {
    v.push(ctx.string(*s));
  } else {
    v.push(ctx.integer(std::get<int64_t>(*last.value)));
  }
  v.push(ctx.string(last.id));
  return std::string(kCursorPrefix) + to_hex(ctx.to_json(v.view()));
}

ClaimRequest parse_claim(const Schema& schema, Value request) {
  ClaimRequest c;
  c.collection = &collection_of(schema, request, "");
  const std::string where = "claim on collection '" + c.collection->name + "'";
  c.state = c.collection->field("state", where);
  c.owner = c.collection->field("owner", where);
  c.run_at = c.collection->field("runAt", where);
  c.lease_until = c.collection->field("leaseUntil", where);
  if (c.state.type != FieldType::kString || c.owner.type != FieldType::kString ||
      c.run_at.type != FieldType::kInt || c.lease_until.type != FieldType::kInt)
    throw invalid(where + ": state and owner must be string fields, runAt and leaseUntil integer "
                          "fields");
  Value owner = request["owner"];
  if (!owner.is_string() || owner.as_string().empty())
    throw invalid("owner must be a non-empty string");
  c.owner_name = std::string(owner.as_string());
  c.limit = read_limit(request["limit"], 1);
  if (!request["now"].is_int()) throw invalid("now must be an integer (milliseconds)");
  c.now = request["now"].as_int();
  Value lease = request["leaseMs"];
  if (!lease.is_int() || lease.as_int() < 1) throw invalid("leaseMs must be an integer >= 1");
  c.lease_ms = lease.as_int();
  return c;
}

}  // namespace weft::storage
