#include "documents.hpp"
#include "record.hpp"
#include "sql.hpp"

#include <algorithm>
#include <limits>

namespace weft::postgres {

std::vector<storage::Document> claim_jobs(Poco::Data::Session& session,
                                          const storage::ClaimRequest& c) {
  const std::string state = column_of(c.state), owner = column_of(c.owner);
  const std::string run_at = column_of(c.run_at), lease = column_of(c.lease_until);
  const int64_t lease_until = c.now > std::numeric_limits<int64_t>::max() - c.lease_ms
                                  ? std::numeric_limits<int64_t>::max()
                                  : c.now + c.lease_ms;
  const std::string sql =
      "UPDATE documents d SET version = d.version + 1, " + state + " = $2, " + owner + " = $3, " +
      lease + " = $4 FROM (SELECT collection, id FROM documents WHERE collection = $1 AND ((" +
      state + " = $5 AND " + run_at + " <= $6) OR (" + state + " = $2 AND " + lease +
      " < $6)) ORDER BY " + run_at + " ASC NULLS FIRST, id ASC LIMIT $7"
      " FOR UPDATE SKIP LOCKED) picked"
      " WHERE d.collection = picked.collection AND d.id = picked.id RETURNING d.id, d.version,"
      " d.body, d.s1, d.s2, d.s3, d.n1, d.n2, d.n3";
  Rows rows = execute(session, sql,
                      {c.collection->name, "claimed", c.owner_name, std::to_string(lease_until),
                       "ready", std::to_string(c.now), std::to_string(c.limit)});
  std::vector<storage::Document> claimed;
  claimed.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) claimed.push_back(document_of(rows, r));
  const size_t slot = c.run_at.slot;
  std::sort(claimed.begin(), claimed.end(),
            [slot](const storage::Document& a, const storage::Document& b) {
              return std::tie(a.index.ints[slot], a.id) < std::tie(b.index.ints[slot], b.id);
            });
  return claimed;
}

}  // namespace weft::postgres
