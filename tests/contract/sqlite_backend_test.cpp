// The sqlite backend's own behaviour: its file, journal mode, schema records and the refusal
// of a schema newer than it knows. These tests always open the sqlite backend.
#include "contract_store.hpp"

#include <sqlite3.h>

namespace weft::contract {
namespace {

// A raw connection to a store's file, to look at and change what the backend wrote.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
  }
  ~RawDatabase() { sqlite3_close(db_); }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  // The first column of the first row of `sql`, as text ("" when there is no row).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return out;
  }

  void exec(const std::string& sql) {
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteBackend : public ::testing::Test {
 protected:
  Json config(bool auto_migrate = true) {
    return {{"collections", standard_collections()},
            {"path", path_},
            {"autoMigrate", auto_migrate}};
  }
  Result<std::unique_ptr<Storage>> open(const Json& cfg) {
    return Storage::open(plugins(), "sqlite", cfg);
  }

  TempDir dir_;
  std::string path_ = (dir_.path() / "nested" / "folders" / "weft.db").string();
};

TEST_F(SqliteBackend, CreatesTheFileAndItsFolderInWalMode) {
  auto store = open(config());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  EXPECT_TRUE(std::filesystem::exists(path_));
  RawDatabase raw(path_);
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.scalar("SELECT name FROM weft_schema_migrations WHERE version = 1"), "documents");
}

TEST_F(SqliteBackend, IndexFieldsMapToSlotsInDeclarationOrder) {
  auto store = open(config());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  ASSERT_TRUE((*store)->write({{"writes", {{{"op", "put"}, {"collection", "jobs"}, {"id", "j"},
                                            {"body", Json::object()},
                                            {"index", {{"leaseUntil", 9}, {"owner", "o"},
                                                       {"state", "ready"}, {"runAt", 5}}}}}}})
                  .is_ok());
  RawDatabase raw(path_);
  EXPECT_EQ(raw.scalar("SELECT s1 || ',' || s2 || ',' || n1 || ',' || n2 || ',' ||"
                       " coalesce(s3, '-') || coalesce(n3, '-') FROM documents"
                       " WHERE collection = 'jobs' AND id = 'j'"),
            "ready,o,5,9,--");
}

TEST_F(SqliteBackend, DataSurvivesReopening) {
  {
    auto store = open(config());
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    ASSERT_TRUE((*store)->write({{"writes", {{{"op", "put"}, {"collection", "workflows"},
                                              {"id", "w"}, {"body", {{"kept", true}}}}}}})
                    .is_ok());
  }
  auto reopened = open(config(/*auto_migrate=*/false));
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  auto rec = (*reopened)->get("workflows", "w");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->body, Json({{"kept", true}}));
}

TEST_F(SqliteBackend, AnUnmigratedFileAsksForWeftDbMigrate) {
  auto store = open(config(/*auto_migrate=*/false));
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  EXPECT_NE(store.status().message().find("weft db migrate"), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteBackend, ASchemaNewerThanTheBackendKnowsIsRefused) {
  { ASSERT_TRUE(open(config()).is_ok()); }
  {
    RawDatabase raw(path_);
    raw.exec("INSERT INTO weft_schema_migrations (version, name, applied_at)"
             " VALUES (99, 'from the future', 0)");
  }
  auto store = open(config());
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), Code::kUnavailable);
  const std::string message = store.status().message();
  EXPECT_NE(message.find("99"), std::string::npos) << message;
  EXPECT_NE(message.find("version 1"), std::string::npos) << message;
}

TEST_F(SqliteBackend, MigrateDownAndUpAgainRecordsEachStep) {
  auto store = open(config());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  auto down = (*store)->admin(Json::object({{"op", "rollback"}}));
  ASSERT_TRUE(down.is_ok()) << down.status().to_string();
  EXPECT_EQ((*down)["current"], 0);
  {
    RawDatabase raw(path_);
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'documents'"), "0");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM weft_schema_migrations"), "0");
  }
  auto up = (*store)->admin(Json::object({{"op", "migrate"}}));
  ASSERT_TRUE(up.is_ok()) << up.status().to_string();
  EXPECT_EQ((*up)["current"], (*up)["latest"]);
  RawDatabase raw(path_);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                       " tbl_name = 'documents' AND name LIKE 'documents_%'"),
            "6");
}

TEST_F(SqliteBackend, AfterARollbackCallsAskForWeftDbMigrate) {
  auto store = open(config());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  ASSERT_TRUE((*store)->admin({{"op", "rollback"}, {"to", 0}}).is_ok());
  for (const Status& status :
       {(*store)->get("workflows", "w").status(),
        (*store)->query(Json::object({{"collection", "workflows"}})).status()}) {
    EXPECT_EQ(status.code(), Code::kUnavailable) << status.to_string();
    EXPECT_NE(status.message().find("weft db migrate"), std::string::npos) << status.message();
  }
  Json unchecked = config(/*auto_migrate=*/false);
  unchecked["schemaCheck"] = false;
  auto admin = open(unchecked);
  ASSERT_TRUE(admin.is_ok()) << admin.status().to_string();
  ASSERT_TRUE((*admin)->admin(Json::object({{"op", "migrate"}})).is_ok());
  EXPECT_EQ((*store)->get("workflows", "w").status().code(), Code::kNotFound)
      << "a store sees a migration made by another store on its file";
}

TEST_F(SqliteBackend, AnotherProcessHoldingTheWriteLockMakesWritesUnavailable) {
  Json cfg = config();
  cfg["busyTimeoutMs"] = 50;
  auto store = open(cfg);
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  RawDatabase raw(path_);
  raw.exec("BEGIN IMMEDIATE");
  auto r = (*store)->write({{"writes", {{{"op", "put"}, {"collection", "workflows"}, {"id", "w"},
                                         {"body", Json::object()}}}}});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable) << r.status().to_string();
  raw.exec("ROLLBACK");
  EXPECT_TRUE((*store)->write({{"writes", {{{"op", "put"}, {"collection", "workflows"},
                                            {"id", "w"}, {"body", Json::object()}}}}})
                  .is_ok());
}

}  // namespace
}  // namespace weft::contract
