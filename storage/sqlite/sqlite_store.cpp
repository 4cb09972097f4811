#include "sqlite_store.hpp"

#include "database_error.hpp"
#include "migrations.hpp"
#include "requests.hpp"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <array>
#include <filesystem>
#include <optional>
#include <vector>

namespace weft::storage {

namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

constexpr const char* kColumns = "id, version, body, s1, s2, s3, n1, n2, n3";
constexpr const char* kStringColumns[] = {"s1", "s2", "s3"};
constexpr const char* kIntColumns[] = {"n1", "n2", "n3"};

// The column holding `f`. Column names come only from this table, never from a request.
std::string column(const Field& f) {
  switch (f.type) {
    case FieldType::kString: return kStringColumns[f.slot];
    case FieldType::kInt: return kIntColumns[f.slot];
    case FieldType::kId: break;
  }
  return "id";
}

const char* sql_operator(Compare op) {
  switch (op) {
    case Compare::kEq: return " = ?";
    case Compare::kNe: return " <> ?";
    case Compare::kLt: return " < ?";
    case Compare::kLe: return " <= ?";
    case Compare::kGt: return " > ?";
    case Compare::kGe: return " >= ?";
  }
  return " = ?";
}

void execute(Session& session, const std::string& sql) {
  Statement stmt(session);
  stmt << sql, now;
}

// Adds `value` as the statement's next parameter.
void bind_scalar(Statement& stmt, const Scalar& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    stmt.addBind(bind(*s));
  } else {
    stmt.addBind(bind(std::get<int64_t>(value)));
  }
}

// The rows of a `SELECT kColumns ...`, extracted column by column.
struct Rows {
  std::vector<std::string> ids;
  std::vector<int64_t> versions;
  std::vector<std::string> bodies;
  std::array<std::vector<Poco::Nullable<std::string>>, kMaxIndexFields> strings;
  std::array<std::vector<Poco::Nullable<int64_t>>, kMaxIndexFields> ints;

  void extract_from(Statement& stmt) {
    stmt.addExtract(into(ids));
    stmt.addExtract(into(versions));
    stmt.addExtract(into(bodies));
    for (auto& s : strings) stmt.addExtract(into(s));
    for (auto& n : ints) stmt.addExtract(into(n));
  }

  size_t size() const { return ids.size(); }

  Document document(size_t row) const {
    Document doc{ids[row], versions[row], bodies[row], {}};
    for (size_t i = 0; i < kMaxIndexFields; ++i) {
      if (!strings[i][row].isNull()) doc.index.strings[i] = strings[i][row].value();
      if (!ints[i][row].isNull()) doc.index.ints[i] = ints[i][row].value();
    }
    return doc;
  }
};

// Runs `body` in a BEGIN IMMEDIATE transaction on the writer: committed when it returns, rolled
// back when it throws.
template <class F>
auto in_write_transaction(Session& session, F&& body) {
  execute(session, "BEGIN IMMEDIATE");
  try {
    auto result = body();
    execute(session, "COMMIT");
    return result;
  } catch (...) {
    try {
      execute(session, "ROLLBACK");
    } catch (const Poco::Exception&) {
      // The failed statement already ended the transaction.
    }
    throw;
  }
}

// The boolean option config[name], `fallback` when absent.
bool read_flag(Value config, std::string_view name, bool fallback) {
  Value v = config[name];
  if (!v.exists() || v.is_null()) return fallback;
  if (!v.is_bool()) throw invalid("config." + std::string(name) + " must be true or false");
  return v.as_bool();
}

// Runs `call`, turning SQLite failures into contract errors that name `what`.
template <class F>
auto guarded(std::string_view what, F&& call) {
  try {
    return call();
  } catch (const Poco::Exception& e) {
    throw database_error(e, what);
  }
}

}  // namespace

SqliteStore::SqliteStore(Context&, Value config) : schema_(Schema::from_config(config)) {
  Value path = config["path"];
  if (!path.is_string() || path.as_string().empty())
    throw invalid("config.path must be the database file's path");
  path_ = std::string(path.as_string());
  const bool auto_migrate = read_flag(config, "autoMigrate", false);
  const bool schema_check = read_flag(config, "schemaCheck", true);
  Value busy = config["busyTimeoutMs"];
  int64_t busy_timeout_ms = 5000;
  if (busy.exists() && !busy.is_null()) {
    if (!busy.is_int() || busy.as_int() < 0)
      throw invalid("config.busyTimeoutMs must be an integer >= 0");
    busy_timeout_ms = busy.as_int();
  }
  std::filesystem::path folder = std::filesystem::path(path_).parent_path();
  std::error_code ec;
  if (!folder.empty()) std::filesystem::create_directories(folder, ec);
  if (ec)
    throw Error(WEFT_ERR_UNAVAILABLE,
                "cannot create the folder of config.path '" + path_ + "': " + ec.message());
  guarded("cannot open database file '" + path_ + "'", [&] {
    connections_ = std::make_unique<Connections>(path_, busy_timeout_ms);
    check_schema(schema_check, auto_migrate);
    return 0;
  });
}

void SqliteStore::check_schema(bool enforce, bool auto_migrate) {
  Connections::Writer writer(*connections_);
  const int64_t current = current_schema_version(writer.session());
  const int64_t latest = latest_schema_version();
  schema_latest_ = current == latest;
  if (!enforce) return;
  if (current > latest)
    throw Error(WEFT_ERR_UNAVAILABLE,
                "database '" + path_ + "' has schema version " + std::to_string(current) +
                    ", newer than version " + std::to_string(latest) +
                    " that this backend supports; upgrade weft");
  if (current < latest && !auto_migrate)
    throw Error(WEFT_ERR_UNAVAILABLE,
                "database '" + path_ + "' has schema version " + std::to_string(current) +
                    " but this backend needs version " + std::to_string(latest) +
                    "; run `weft db migrate` (or set autoMigrate)");
  if (current < latest) migrate_schema(writer.session(), latest);
  schema_latest_ = true;
}

void SqliteStore::require_latest_schema() {
  if (schema_latest_) return;
  // Another store on the file may have migrated it since.
  Connections::Reader reader(*connections_);
  if (current_schema_version(reader.session()) == latest_schema_version()) {
    schema_latest_ = true;
    return;
  }
  throw Error(WEFT_ERR_UNAVAILABLE, "database '" + path_ + "' is not at schema version " +
                                        std::to_string(latest_schema_version()) +
                                        "; run `weft db migrate`");
}

OwnedValue SqliteStore::get(Context& ctx, std::string_view collection, std::string_view id) {
  return counters_.count(false, [&] {
    return guarded("get", [&] {
      require_latest_schema();
      return read_document(ctx, collection, id);
    });
  });
}

OwnedValue SqliteStore::read_document(Context& ctx, std::string_view collection,
                                      std::string_view id) {
  const Collection& c = schema_.collection(collection);
  Connections::Reader reader(*connections_);
  Rows rows;
  Statement stmt(reader.session());
  stmt << std::string("SELECT ") + kColumns + " FROM documents WHERE collection = ? AND id = ?",
      bind(c.name), bind(std::string(id));
  rows.extract_from(stmt);
  stmt.execute();
  if (rows.size() == 0)
    throw Error(WEFT_ERR_NOT_FOUND,
                "document " + c.name + "/" + std::string(id) + " not found");
  return record_value(ctx, c, rows.document(0));
}

OwnedValue SqliteStore::write(Context& ctx, Value batch) {
  return counters_.count(true, [&] {
    return guarded("write", [&] {
      require_latest_schema();
      return apply_batch(ctx, batch);
    });
  });
}

OwnedValue SqliteStore::apply_batch(Context& ctx, Value batch) {
  std::vector<WriteOp> ops = parse_write_batch(ctx, schema_, batch);
  Connections::Writer writer(*connections_);
  Session& session = writer.session();
  if (!write_statements_)
    write_statements_ =
        std::make_unique<WriteStatements>(Poco::Data::SQLite::Utility::dbHandle(session));
  std::vector<int64_t> versions = in_write_transaction(session, [&] {
    std::vector<int64_t> out;
    out.reserve(ops.size());
    for (const WriteOp& op : ops) out.push_back(write_statements_->apply(op));
    return out;
  });
  OwnedValue list = ctx.array();
  for (int64_t v : versions) list.push(ctx.integer(v));
  OwnedValue result = ctx.object();
  result.set("versions", std::move(list));
  return result;
}

OwnedValue SqliteStore::query(Context& ctx, Value query) {
  return counters_.count(false, [&] {
    return guarded("query", [&] {
      require_latest_schema();
      return run_query(ctx, query);
    });
  });
}

OwnedValue SqliteStore::run_query(Context& ctx, Value query) {
  QueryRequest q = parse_query(ctx, schema_, query);
  const Collection& c = *q.collection;
  std::vector<Scalar> params{c.name};
  std::string sql = q.count ? "SELECT count(*)" : std::string("SELECT ") + kColumns;
  sql += " FROM documents WHERE collection = ?";
  for (const Condition& cond : q.where) {
    sql += " AND " + column(cond.field) + sql_operator(cond.op);
    params.push_back(cond.value);
  }
  const std::string order = column(q.order_by);
  const char* dir = q.descending ? " DESC" : " ASC";
  if (!q.count && q.after) {
    // Strictly after the cursor row in (order column, id) order; NULLs sort first ascending.
    const std::string id_after = q.descending ? "id < ?" : "id > ?";
    if (q.order_by.type == FieldType::kId) {
      sql += " AND " + id_after;
    } else if (!q.after->value) {
      sql += q.descending ? " AND (" + order + " IS NULL AND " + id_after + ")"
                          : " AND ((" + order + " IS NULL AND " + id_after + ") OR " + order +
                                " IS NOT NULL)";
    } else {
      const std::string beyond = order + (q.descending ? " < ?" : " > ?");
      sql += " AND (" + beyond + (q.descending ? " OR " + order + " IS NULL" : "") + " OR (" +
             order + " = ? AND " + id_after + "))";
      params.push_back(*q.after->value);
      params.push_back(*q.after->value);
    }
    params.push_back(q.after->id);
  }
  Connections::Reader reader(*connections_);
  Statement stmt(reader.session());
  if (q.count) {
    int64_t count = 0;
    stmt << sql;
    for (const Scalar& p : params) bind_scalar(stmt, p);
    stmt.addExtract(into(count));
    stmt.execute();
    OwnedValue result = ctx.object();
    result.set("count", count);
    return result;
  }
  if (q.order_by.type != FieldType::kId) sql += " ORDER BY " + order + dir + ", id" + dir;
  else sql += std::string(" ORDER BY id") + dir;
  sql += " LIMIT ?";
  params.push_back(q.limit + 1);
  stmt << sql;
  for (const Scalar& p : params) bind_scalar(stmt, p);
  Rows rows;
  rows.extract_from(stmt);
  stmt.execute();
  const size_t page = std::min(rows.size(), size_t(q.limit));
  OwnedValue items = ctx.array();
  for (size_t i = 0; i < page; ++i) items.push(record_value(ctx, c, rows.document(i)));
  OwnedValue result = ctx.object();
  result.set("items", std::move(items));
  if (rows.size() > page) {
    Document last = rows.document(page - 1);
    RowKey key{std::nullopt, last.id};
    if (q.order_by.type == FieldType::kString && last.index.strings[q.order_by.slot])
      key.value = *last.index.strings[q.order_by.slot];
    if (q.order_by.type == FieldType::kInt && last.index.ints[q.order_by.slot])
      key.value = *last.index.ints[q.order_by.slot];
    result.set("nextCursor", std::string_view(encode_cursor(ctx, q, key)));
  } else {
    result.set("nextCursor", ctx.null());
  }
  return result;
}

OwnedValue SqliteStore::claim(Context& ctx, Value request) {
  return counters_.count(true, [&] {
    return guarded("claim", [&] {
      require_latest_schema();
      return run_claim(ctx, request);
    });
  });
}

OwnedValue SqliteStore::run_claim(Context& ctx, Value request) {
  ClaimRequest r = parse_claim(schema_, request);
  const Collection& c = *r.collection;
  const std::string state = column(r.state), owner = column(r.owner);
  const std::string run_at = column(r.run_at), lease = column(r.lease_until);
  Connections::Writer writer(*connections_);
  Session& session = writer.session();
  std::vector<Document> claimed = in_write_transaction(session, [&] {
    Rows rows;
    Statement select(session);
    select << std::string("SELECT ") + kColumns + " FROM documents WHERE collection = ? AND ((" +
                  state + " = ? AND " + run_at + " <= ?) OR (" + state + " = ? AND " + lease +
                  " < ?)) ORDER BY " + run_at + ", id LIMIT ?",
        bind(c.name), bind(std::string("ready")), bind(r.now), bind(std::string("claimed")),
        bind(r.now), bind(r.limit);
    rows.extract_from(select);
    select.execute();
    std::vector<Document> docs;
    for (size_t i = 0; i < rows.size(); ++i) {
      Document doc = rows.document(i);
      doc.version += 1;
      doc.index.strings[r.state.slot] = "claimed";
      doc.index.strings[r.owner.slot] = r.owner_name;
      doc.index.ints[r.lease_until.slot] = r.now + r.lease_ms;
      Statement update(session);
      update << "UPDATE documents SET version = ?, " + state + " = ?, " + owner + " = ?, " +
                    lease + " = ? WHERE collection = ? AND id = ?",
          bind(doc.version), bind(std::string("claimed")), bind(r.owner_name),
          bind(r.now + r.lease_ms), bind(c.name), bind(doc.id), now;
      docs.push_back(std::move(doc));
    }
    return docs;
  });
  OwnedValue items = ctx.array();
  for (const Document& doc : claimed) items.push(record_value(ctx, c, doc));
  OwnedValue result = ctx.object();
  result.set("items", std::move(items));
  return result;
}

OwnedValue SqliteStore::admin(Context& ctx, Value request) {
  return guarded("admin", [&] { return run_admin(ctx, request); });
}

OwnedValue SqliteStore::run_admin(Context& ctx, Value request) {
  Value op = request["op"];
  const std::string_view name = op.is_string() ? op.as_string() : std::string_view();
  if (name == "ping") {
    Connections::Reader reader(*connections_);
    int64_t one = 0;
    Statement stmt(reader.session());
    stmt << "SELECT 1", into(one), now;
    return ctx.object();
  }
  if (name == "stats") return counters_.value(ctx);
  if (name == "status") {
    Connections::Reader reader(*connections_);
    return schema_status(ctx, reader.session());
  }
  if (name == "migrate" || name == "rollback") {
    Connections::Writer writer(*connections_);
    const int64_t current = current_schema_version(writer.session());
    const int64_t latest = latest_schema_version();
    const int64_t fallback = name == "migrate" ? latest : std::max<int64_t>(current - 1, 0);
    if (current > latest)
      throw Error(WEFT_ERR_UNAVAILABLE, "database '" + path_ + "' has schema version " +
                                            std::to_string(current) + ", newer than version " +
                                            std::to_string(latest) +
                                            " that this backend knows; upgrade weft");
    Value to = request["to"];
    int64_t target = fallback;
    if (to.exists() && !to.is_null()) {
      const int64_t high = name == "migrate" ? latest : current;
      if (!to.is_int()) throw invalid(std::string(name) + ": to must be an integer schema version");
      if (to.as_int() < 0 || to.as_int() > high)
        throw invalid(std::string(name) + ": schema version " + std::to_string(to.as_int()) +
                      " is outside 0 to " + std::to_string(high) +
                      (name == "migrate" ? " (the versions this build knows)"
                                         : " (the schema is at version " +
                                               std::to_string(current) + ")"));
      target = to.as_int();
    }
    if (name == "migrate") {
      migrate_schema(writer.session(), target);
    } else {
      rollback_schema(writer.session(), target);
    }
    schema_latest_ = current_schema_version(writer.session()) == latest;
    return schema_status(ctx, writer.session());
  }
  throw invalid("op must be one of ping, status, migrate, rollback, stats");
}

}  // namespace weft::storage
