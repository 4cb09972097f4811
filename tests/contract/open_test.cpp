// Opening a store: collection declarations, locations that cannot hold a store, and the
// migration gate (a durable store opens without autoMigrate only on an up-to-date schema, and
// with schemaCheck false on any schema).
#include "contract_store.hpp"

#include <fstream>

namespace weft::contract {
namespace {

using Open = ContractTest;

TEST_F(Open, MoreThanThreeIndexFieldsOfAKindAreRefused) {
  Json collections = {{"wide", {{"strings", {"a", "b", "c", "d"}}}}};
  auto store = Storage::open(plugins(), backend_name(), store_config(dir_, collections));
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), Code::kInvalid);
  EXPECT_NE(store.status().message().find("wide"), std::string::npos) << store.status().message();
}

TEST_F(Open, AMalformedCollectionDeclarationIsRefused) {
  for (const Json& collections :
       {Json("executions"), Json({{"bad", {{"ints", "startedAt"}}}}),
        Json({{"bad", {{"strings", {"id"}}}}})}) {
    auto store = Storage::open(plugins(), backend_name(), store_config(dir_, collections));
    ASSERT_FALSE(store.is_ok()) << collections.dump();
    EXPECT_EQ(store.status().code(), Code::kInvalid) << store.status().to_string();
    EXPECT_NE(store.status().message().find("collections"), std::string::npos)
        << store.status().message();
  }
}

// A config whose location cannot hold a store: for sqlite a path under a regular file (no
// folder can be made there, even by root); for postgres an address nothing listens on. The
// memory backend has no location, so it gets a collections value that is not an object.
Json unusable_config(const TempDir& dir) {
  Json config = store_config(dir, standard_collections());
  const std::string backend = backend_name();
  if (backend == "sqlite") {
    std::ofstream(dir.path() / "plain-file") << "not a folder";
    config["path"] = (dir.path() / "plain-file" / "sub" / "store.db").string();
  } else if (backend == "postgres") {
    config["url"] = "postgresql://weft@127.0.0.1:1/weft?connect_timeout=2";
  } else {
    config["collections"] = Json::array();
  }
  return config;
}

TEST_F(Open, AnUnusableLocationFailsCleanly) {
  auto store = Storage::open(plugins(), backend_name(), unusable_config(dir_));
  ASSERT_FALSE(store.is_ok());
  EXPECT_NE(store.status().code(), Code::kInternal) << store.status().to_string();
  EXPECT_NE(store.status().code(), Code::kOk);
  EXPECT_NE(store.status().message().find(backend_name()), std::string::npos)
      << store.status().message();
}

TEST_F(Open, WithoutAutoMigrateOnlyAnUpToDateSchemaOpens) {
  put("workflows", "w1", {{"v", 1}});
  Json manual = store_config(dir_, standard_collections(), /*auto_migrate=*/false);
  {
    auto second = Storage::open(plugins(), backend_name(), manual);
    ASSERT_TRUE(second.is_ok()) << second.status().to_string();
    if (store_->durable()) {
      auto rec = (*second)->get("workflows", "w1");
      ASSERT_TRUE(rec.is_ok()) << "a second store on the same location sees the data: "
                               << rec.status().to_string();
      EXPECT_EQ(rec->body, Json({{"v", 1}}));
    }
  }
  ASSERT_TRUE(store_->admin({{"op", "rollback"}, {"to", 0}}).is_ok());
  // Whether the store keeps a versioned schema (a memory-only dual store does, in the database
  // it keeps open to switch back to, although nothing it holds is durable).
  auto schema = store_->admin({{"op", "status"}});
  ASSERT_TRUE(schema.is_ok()) << schema.status().to_string();
  const bool has_schema = (*schema)["latest"].get<int64_t>() > 0;
  auto behind = Storage::open(plugins(), backend_name(), manual);
  if (has_schema) {
    ASSERT_FALSE(behind.is_ok()) << "opened on an unmigrated schema without autoMigrate";
    EXPECT_NE(behind.status().message().find("weft db migrate"), std::string::npos)
        << behind.status().message();
  } else {
    EXPECT_TRUE(behind.is_ok()) << "a store without a schema has nothing to migrate: "
                                << behind.status().to_string();
  }
  Json unchecked = manual;
  unchecked["schemaCheck"] = false;
  auto admin_only = Storage::open(plugins(), backend_name(), unchecked);
  ASSERT_TRUE(admin_only.is_ok()) << "schemaCheck false opens any schema: "
                                  << admin_only.status().to_string();
  auto status = (*admin_only)->admin(Json::object({{"op", "status"}}));
  ASSERT_TRUE(status.is_ok()) << status.status().to_string();
  EXPECT_EQ((*status)["current"], 0);
  ASSERT_TRUE((*admin_only)->admin(Json::object({{"op", "migrate"}})).is_ok());
  auto migrated = Storage::open(plugins(), backend_name(), manual);
  EXPECT_TRUE(migrated.is_ok()) << migrated.status().to_string();
}

}  // namespace
}  // namespace weft::contract
