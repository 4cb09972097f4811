// The write, query and claim requests of the storage contract (sdk/STORAGE.md), read and
// checked once so that a backend works on typed values. Every parser throws WEFT_ERR_INVALID
// with a message naming the request field at fault.
#pragma once

#include "schema.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::storage {

// Most writes in one batch.
inline constexpr size_t kMaxBatchWrites = 10000;
// Largest query page and claim.
inline constexpr int64_t kMaxLimit = 1000;

// One write of a batch.
struct WriteOp {
  enum class Kind { kPut, kDelete };
  Kind kind = Kind::kPut;
  const Collection* collection = nullptr;
  std::string id;
  // nullopt: any version; 0: must not exist; n: must be at version n.
  std::optional<int64_t> expected_version;
  // JSON text of the body object (puts). OWNERSHIP: points into text the host owns for the
  // Context the batch was parsed with (Context::to_json), valid until that call returns.
  std::string_view body;
  IndexValues index;  // puts
};

// Reads {"writes": [...]}. The ops borrow their bodies' text from `ctx` (see WriteOp::body).
std::vector<WriteOp> parse_write_batch(Context& ctx, const Schema& schema, Value batch);

// The WEFT_ERR_CONFLICT error of a write whose expected version does not match (found 0: the
// document does not exist).
Error version_conflict(const WriteOp& op, int64_t found);

enum class Compare { kEq, kNe, kLt, kLe, kGt, kGe };

// One `where` condition.
struct Condition {
  Field field;
  Compare op = Compare::kEq;
  Scalar value;
};

// The position of a row in an ordering: its orderBy value (nullopt when the row lacks the field,
// and always for ordering by id) and its id. Pages continue strictly after it.
struct RowKey {
  std::optional<Scalar> value;
  std::string id;
};

// A query (or a count, when `count`).
struct QueryRequest {
  const Collection* collection = nullptr;
  std::vector<Condition> where;
  Field order_by;
  bool descending = false;
  int64_t limit = 100;
  std::optional<RowKey> after;  // from the cursor
  bool count = false;
};

// Reads a query, decoding its cursor.
QueryRequest parse_query(Context& ctx, const Schema& schema, Value query);

// The opaque cursor that continues `query` after `last`.
std::string encode_cursor(Context& ctx, const QueryRequest& query, const RowKey& last);

// A claim: the collection must declare strings `state`, `owner` and ints `runAt`, `leaseUntil`.
struct ClaimRequest {
  const Collection* collection = nullptr;
  Field state, owner, run_at, lease_until;
  std::string owner_name;
  int64_t limit = 1;
  int64_t now = 0;
  int64_t lease_ms = 0;
};

// Reads a claim request.
ClaimRequest parse_claim(const Schema& schema, Value request);

}  // namespace weft::storage
