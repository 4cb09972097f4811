// Administration: ping, status, migrate, rollback and stats.
#include "contract_store.hpp"

namespace weft::contract {
namespace {

using Admin = ContractTest;

Json must_admin(Storage& store, const Json& request) {
  auto r = store.admin(request);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string() << " for " << request.dump();
  return r ? *r : Json::object();
}

// Checks the shape of a status answer and that `current` migrations are applied.
void expect_status(const Json& status, int64_t current) {
  ASSERT_TRUE(status.contains("current") && status.contains("latest") &&
              status.contains("applied")) << status.dump();
  EXPECT_EQ(status["current"], current) << status.dump();
  ASSERT_TRUE(status["applied"].is_array());
  EXPECT_EQ(status["applied"].size(), size_t(current)) << status.dump();
  int64_t version = 0;
  for (const auto& m : status["applied"]) {
    EXPECT_EQ(m["version"], ++version) << status.dump();
    EXPECT_TRUE(m["name"].is_string() && !m["name"].get<std::string>().empty()) << m.dump();
    EXPECT_TRUE(m.contains("appliedAt")) << m.dump();
  }
}

TEST_F(Admin, PingAnswersAnEmptyObject) {
  EXPECT_EQ(must_admin(*store_, Json::object({{"op", "ping"}})), Json::object());
}

TEST_F(Admin, AnOpenedStoreIsAtTheLatestSchema) {
  Json status = must_admin(*store_, Json::object({{"op", "status"}}));
  ASSERT_TRUE(status["latest"].is_number_integer()) << status.dump();
  expect_status(status, status["latest"]);
  if (store_->durable()) {
    EXPECT_GE(status["latest"], 1) << "a durable store has a versioned schema";
  }
  if (backend_name() == "memory") {
    EXPECT_EQ(status["latest"], 0) << "the memory backend has no schema";
  }
}

TEST_F(Admin, MigrateAtTheLatestSchemaChangesNothingAndKeepsData) {
  put("workflows", "w1", {{"name", "kept"}}, {{"name", "kept"}});
  Json before = must_admin(*store_, Json::object({{"op", "status"}}));
  Json after = must_admin(*store_, Json::object({{"op", "migrate"}}));
  EXPECT_EQ(after, before);
  auto rec = store_->get("workflows", "w1");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->body, Json({{"name", "kept"}}));
}

TEST_F(Admin, RollbackStepByStepThenMigrateUpAgain) {
  Json status = must_admin(*store_, Json::object({{"op", "status"}}));
  const int64_t latest = status["latest"];
  for (int64_t current = latest; current > 0; --current) {
    Json down = must_admin(*store_, Json::object({{"op", "rollback"}}));
    expect_status(down, current - 1);
    EXPECT_EQ(down["latest"], latest);
  }
  expect_status(must_admin(*store_, {{"op", "rollback"}, {"to", 0}}), 0);
  Json up = must_admin(*store_, Json::object({{"op", "migrate"}}));
  expect_status(up, latest);
  EXPECT_EQ(put("workflows", "after", {{"ok", true}}), 1);
  auto rec = store_->get("workflows", "after");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->body, Json({{"ok", true}}));
}

TEST_F(Admin, MigrateAndRollbackToAnExplicitVersion) {
  const int64_t latest = must_admin(*store_, Json::object({{"op", "status"}}))["latest"];
  expect_status(must_admin(*store_, {{"op", "rollback"}, {"to", 0}}), 0);
  expect_status(must_admin(*store_, {{"op", "migrate"}, {"to", latest}}), latest);
  auto beyond = store_->admin({{"op", "migrate"}, {"to", latest + 1}});
  ASSERT_FALSE(beyond.is_ok());
  EXPECT_EQ(beyond.status().code(), Code::kInvalid);
  EXPECT_NE(beyond.status().message().find("to"), std::string::npos) << beyond.status().message();
}

TEST_F(Admin, StatsCountReadsWritesAndErrors) {
  Json before = must_admin(*store_, Json::object({{"op", "stats"}}));
  for (const char* counter : {"reads", "writes", "errors"})
    ASSERT_TRUE(before[counter].is_number_integer()) << before.dump();
  put("workflows", "w", Json::object());
  ASSERT_TRUE(store_->get("workflows", "w").is_ok());
  must_query({{"collection", "workflows"}, {"limit", 5}});
  EXPECT_FALSE(store_->get("workflows", "missing").is_ok());
  Json after = must_admin(*store_, Json::object({{"op", "stats"}}));
  EXPECT_GE(after["reads"].get<int64_t>(), before["reads"].get<int64_t>() + 2) << after.dump();
  EXPECT_GE(after["writes"].get<int64_t>(), before["writes"].get<int64_t>() + 1) << after.dump();
  EXPECT_GE(after["errors"].get<int64_t>(), before["errors"].get<int64_t>() + 1) << after.dump();
}

TEST_F(Admin, AnUnknownOpIsInvalid) {
  for (const Json& request : {Json::object({{"op", "explode"}}), Json::object()}) {
    auto r = store_->admin(request);
    ASSERT_FALSE(r.is_ok()) << request.dump();
    EXPECT_EQ(r.status().code(), Code::kInvalid);
    EXPECT_NE(r.status().message().find("op"), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace weft::contract
