#include "documents.hpp"
#include "record.hpp"
#include "sql.hpp"

#include <map>
#include <utility>

namespace weft::postgres {

namespace {

// The recordset a JSON parameter of document rows is read as.
constexpr const char* kRowsParam =
    "jsonb_to_recordset($1::jsonb) AS r(c text, i text, v bigint, b text,"
    " s1 text, s2 text, s3 text, n1 bigint, n2 bigint, n3 bigint)";

// What the batch does to one document.
struct Effect {
  int64_t found = 0;    // version before the batch, 0: absent
  int64_t version = 0;  // version after the writes so far, 0: absent
  const storage::WriteOp* put = nullptr;  // the last put, while the document exists
};

using Key = std::pair<std::string, std::string>;

OwnedValue key_row(Context& ctx, const Key& key) {
  OwnedValue row = ctx.object();
  row.set("c", std::string_view(key.first));
  row.set("i", std::string_view(key.second));
  return row;
}

OwnedValue document_row(Context& ctx, const Key& key, const Effect& e) {
  OwnedValue row = key_row(ctx, key);
  row.set("v", e.version);
  row.set("b", std::string_view(e.put->body));
  const storage::IndexValues& index = e.put->index;
  for (size_t i = 0; i < storage::kMaxIndexFields; ++i) {
    if (index.strings[i]) row.set("s" + std::to_string(i + 1), std::string_view(*index.strings[i]));
    if (index.ints[i]) row.set("n" + std::to_string(i + 1), *index.ints[i]);
  }
  return row;
}

}  // namespace

std::vector<int64_t> write_documents(Poco::Data::Session& session, Context& ctx,
                                     const std::vector<storage::WriteOp>& ops) {
  std::map<Key, Effect> effects;
  for (const storage::WriteOp& op : ops) effects[{op.collection->name, op.id}];
  if (effects.empty()) return {};

  OwnedValue keys = ctx.array();
  for (const auto& [key, effect] : effects) keys.push(key_row(ctx, key));
  Rows locked = execute(session,
                        "SELECT d.collection, d.id, d.version"
                        " FROM jsonb_to_recordset($1::jsonb) AS k(c text, i text)"
                        " JOIN documents d ON d.collection = k.c AND d.id = k.i"
                        " ORDER BY d.collection, d.id FOR UPDATE OF d",
                        {std::string(ctx.to_json(keys.view()))});
  for (size_t r = 0; r < locked.size(); ++r) {
    Effect& e = effects[{locked.text(r, 0), locked.text(r, 1)}];
    e.found = e.version = locked.integer(r, 2);
  }

  std::vector<int64_t> versions;
  versions.reserve(ops.size());
  for (const storage::WriteOp& op : ops) {
    Effect& e = effects[{op.collection->name, op.id}];
    if (op.kind == storage::WriteOp::Kind::kDelete && e.version == 0 && op.expected_version)
      throw Error(WEFT_ERR_NOT_FOUND, "cannot delete " + op.collection->name + "/" + op.id +
                                          ": the document does not exist");
    if (op.expected_version && *op.expected_version != e.version)
      throw storage::version_conflict(op, e.version);
    if (op.kind == storage::WriteOp::Kind::kDelete) {
      e.version = 0;
      e.put = nullptr;
    } else {
      e.version += 1;
      e.put = &op;
    }
    versions.push_back(e.version);
  }

  OwnedValue deletes = ctx.array(), updates = ctx.array(), inserts = ctx.array();
  size_t delete_count = 0, update_count = 0, insert_count = 0;
  for (const auto& [key, e] : effects) {
    if (e.found > 0 && e.version == 0) {
      deletes.push(key_row(ctx, key));
      ++delete_count;
    } else if (e.found > 0) {
      updates.push(document_row(ctx, key, e));
      ++update_count;
    } else if (e.version > 0) {
      inserts.push(document_row(ctx, key, e));
      ++insert_count;
    }
  }
  if (delete_count > 0)
    execute(session,
            "DELETE FROM documents d USING jsonb_to_recordset($1::jsonb) AS k(c text, i text)"
            " WHERE d.collection = k.c AND d.id = k.i",
            {std::string(ctx.to_json(deletes.view()))});
  if (update_count > 0)
    execute(session,
            std::string("UPDATE documents d SET version = r.v, body = r.b, s1 = r.s1, s2 = r.s2,"
                        " s3 = r.s3, n1 = r.n1, n2 = r.n2, n3 = r.n3 FROM ") +
                kRowsParam + " WHERE d.collection = r.c AND d.id = r.i",
            {std::string(ctx.to_json(updates.view()))});
  if (insert_count > 0) {
    Rows inserted = execute(
        session,
        std::string("INSERT INTO documents (collection, id, version, body, s1, s2, s3, n1, n2, n3)"
                    " SELECT c, i, v, b, s1, s2, s3, n1, n2, n3 FROM ") +
            kRowsParam + " ON CONFLICT (collection, id) DO NOTHING RETURNING 1",
        {std::string(ctx.to_json(inserts.view()))});
    if (inserted.size() != insert_count) throw CreateRaceLost();
  }
  return versions;
}

}  // namespace weft::postgres
