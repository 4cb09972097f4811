#include "postgres_store.hpp"

#include "connection_url.hpp"
#include "documents.hpp"
#include "migrations.hpp"
#include "requests.hpp"
#include "sql.hpp"

namespace weft::postgres {

namespace {

// Attempts at a batch whose new documents keep being created concurrently.
constexpr int kWriteAttempts = 3;

int64_t int_option(Value config, std::string_view name, int64_t fallback, int64_t min,
                   int64_t max) {
  Value v = config[name];
  if (!v.exists() || v.is_null()) return fallback;
  if (!v.is_int() || v.as_int() < min || v.as_int() > max)
    throw storage::invalid("config " + std::string(name) + " must be an integer from " +
                           std::to_string(min) + " to " + std::to_string(max));
  return v.as_int();
}

ConnectionTarget target_of(Value config) {
  Value url = config["url"];
  if (!url.is_string())
    throw storage::invalid("config url must be a postgresql://user:password@host:port/database "
                           "string");
  return parse_connection_url(url.as_string(),
                              int_option(config, "connectTimeoutMs", 5000, 0, 3600000));
}

bool bool_option(Value config, std::string_view name, bool fallback) {
  Value v = config[name];
  if (!v.exists() || v.is_null()) return fallback;
  if (!v.is_bool()) throw storage::invalid("config " + std::string(name) + " must be true or false");
  return v.as_bool();
}

}  // namespace

PostgresStore::PostgresStore(Context& /*ctx*/, Value config)
    : schema_(storage::Schema::from_config(config)) {
  ConnectionTarget target = target_of(config);
  const bool migrate = bool_option(config, "autoMigrate", false);
  const bool check_schema = bool_option(config, "schemaCheck", true);
  pool_ = std::make_unique<ConnectionPool>(
      std::move(target), static_cast<int>(int_option(config, "poolSize", 8, 1, 1000)));
  if (!check_schema) return;
  const int64_t latest = latest_schema_version();
  const int64_t current =
      pool_->read([](Poco::Data::Session& s) { return current_schema_version(s); });
  if (current > latest)
    throw Error(WEFT_ERR_UNAVAILABLE,
                "database schema is at version " + std::to_string(current) +
                    ", newer than this weft supports (" + std::to_string(latest) +
                    "): upgrade weft, or roll the database back with `weft db rollback`");
  if (current < latest) {
    if (!migrate)
      throw Error(WEFT_ERR_UNAVAILABLE,
                  "database schema is at version " + std::to_string(current) +
                      ", this weft needs version " + std::to_string(latest) +
                      ": run `weft db migrate` (or set \"autoMigrate\": true)");
    migrate_to(latest);
  }
}

OwnedValue PostgresStore::get(Context& ctx, std::string_view collection, std::string_view id) {
  return counters_.count(false, [&] {
    const storage::Collection& c = schema_.collection(collection);
    std::optional<storage::Document> doc = pool_->read(
        [&](Poco::Data::Session& s) { return get_document(s, collection, id); });
    if (!doc)
      throw Error(WEFT_ERR_NOT_FOUND,
                  "document " + std::string(collection) + "/" + std::string(id) + " not found");
    return storage::record_value(ctx, c, *doc);
  });
}

OwnedValue PostgresStore::write(Context& ctx, Value batch) {
  return counters_.count(true, [&] { return run_write(ctx, batch); });
}

OwnedValue PostgresStore::run_write(Context& ctx, Value batch) {
  const std::vector<storage::WriteOp> ops = storage::parse_write_batch(ctx, schema_, batch);
  std::vector<int64_t> versions;
  for (int attempt = 1;; ++attempt) {
    try {
      versions = pool_->transact(
          [&](Poco::Data::Session& s) { return write_documents(s, ctx, ops); });
      break;
    } catch (const CreateRaceLost& e) {
      if (attempt == kWriteAttempts) throw Error(WEFT_ERR_CONFLICT, e.what());
    }
  }
  OwnedValue list = ctx.array();
  for (int64_t v : versions) list.push(ctx.integer(v));
  OwnedValue result = ctx.object();
  result.set("versions", std::move(list));
  return result;
}

OwnedValue PostgresStore::query(Context& ctx, Value query) {
  return counters_.count(false, [&] { return run_query(ctx, query); });
}

OwnedValue PostgresStore::run_query(Context& ctx, Value query) {
  const storage::QueryRequest q = storage::parse_query(ctx, schema_, query);
  OwnedValue result = ctx.object();
  if (q.count) {
    result.set("count", pool_->read([&](Poco::Data::Session& s) { return count_documents(s, q); }));
    return result;
  }
  DocumentPage page =
      pool_->read([&](Poco::Data::Session& s) { return query_documents(s, q); });
  OwnedValue items = ctx.array();
  for (const storage::Document& doc : page.documents)
    items.push(storage::record_value(ctx, *q.collection, doc));
  result.set("items", std::move(items));
  if (page.more) {
    const storage::Document& last = page.documents.back();
    storage::RowKey key{q.order_by.type == storage::FieldType::kId
                            ? std::nullopt
                            : q.collection->value_of(q.order_by, last),
                        last.id};
    result.set("nextCursor", storage::encode_cursor(ctx, q, key));
  } else {
    result.set("nextCursor", ctx.null());
  }
  return result;
}

OwnedValue PostgresStore::claim(Context& ctx, Value request) {
  return counters_.count(true, [&] {
    const storage::ClaimRequest c = storage::parse_claim(schema_, request);
    std::vector<storage::Document> claimed =
        pool_->transact([&](Poco::Data::Session& s) { return claim_jobs(s, c); });
    OwnedValue items = ctx.array();
    for (const storage::Document& doc : claimed)
      items.push(storage::record_value(ctx, *c.collection, doc));
    OwnedValue result = ctx.object();
    result.set("items", std::move(items));
    return result;
  });
}

OwnedValue PostgresStore::admin(Context& ctx, Value request) {
  return counters_.count(false, [&] { return run_admin(ctx, request); });
}

OwnedValue PostgresStore::run_admin(Context& ctx, Value request) {
  Value op = request["op"];
  std::string_view name = op.is_string() ? op.as_string() : std::string_view();
  if (name == "ping") {
    pool_->read([](Poco::Data::Session& s) { return execute(s, "SELECT 1").size(); });
    return ctx.object();
  }
  if (name == "status") return schema_status(ctx);
  if (name == "stats") {
    OwnedValue stats = counters_.value(ctx);
    stats.set("poolSize", int64_t(pool_->size()));
    stats.set("poolInUse", int64_t(pool_->in_use()));
    stats.set("reconnects", pool_->reconnects());
    return stats;
  }
  if (name == "migrate" || name == "rollback") {
    const int64_t current =
        pool_->read([](Poco::Data::Session& s) { return current_schema_version(s); });
    Value to = request["to"];
    int64_t target = name == "migrate" ? latest_schema_version() : std::max<int64_t>(current - 1, 0);
    if (to.exists() && !to.is_null()) {
      if (!to.is_int()) throw storage::invalid(std::string(name) + ": to must be an integer schema version");
      target = to.as_int();
      const int64_t high = name == "migrate" ? latest_schema_version() : current;
      if (target < 0 || target > high)
        throw storage::invalid(std::string(name) + ": schema version " + std::to_string(target) +
                               " is outside 0 to " + std::to_string(high) +
                               (name == "migrate" ? " (the versions this build knows)"
                                                  : " (the schema is at version " +
                                                        std::to_string(current) + ")"));
    }
    if (name == "migrate" && target < current)
      throw storage::invalid("the schema is at version " + std::to_string(current) +
                             "; use rollback to go down to " + std::to_string(target));
    if (name == "rollback" && target > current)
      throw storage::invalid("the schema is at version " + std::to_string(current) +
                             "; use migrate to go up to " + std::to_string(target));
    migrate_to(target);
    return schema_status(ctx);
  }
  throw storage::invalid("op must be one of ping, status, migrate, rollback, stats");
}

OwnedValue PostgresStore::schema_status(Context& ctx) {
  std::vector<AppliedMigration> applied =
      pool_->read([](Poco::Data::Session& s) { return applied_migrations(s); });
  OwnedValue list = ctx.array();
  for (const AppliedMigration& m : applied) {
    OwnedValue entry = ctx.object();
    entry.set("version", m.version);
    entry.set("name", std::string_view(m.name));
    entry.set("appliedAt", m.applied_at);
    list.push(std::move(entry));
  }
  OwnedValue status = ctx.object();
  status.set("current", applied.empty() ? int64_t(0) : applied.back().version);
  status.set("latest", latest_schema_version());
  status.set("applied", std::move(list));
  return status;
}

void PostgresStore::migrate_to(int64_t target) {
  pool_->transact([&](Poco::Data::Session& s) {
    migrate_schema(s, target);
    return true;
  });
}

}  // namespace weft::postgres
