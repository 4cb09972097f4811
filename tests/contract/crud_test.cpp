// Documents: put, get, delete, versions and index values as written.
#include "contract_store.hpp"

namespace weft::contract {
namespace {

using Crud = ContractTest;

TEST_F(Crud, GetReturnsBodyAndIndexAsWritten) {
  Json body = Json::parse(R"({"name": "Grüße ✓", "nested": {"list": [1, 2.5, "x", null, true]},
                              "big": 9007199254740993, "empty": {}})");
  ASSERT_EQ(put("executions", "e1", body, {{"workflowId", "wf-1"}, {"startedAt", 1764140000000}}),
            1);
  auto rec = store_->get("executions", "e1");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->id, "e1");
  EXPECT_EQ(rec->version, 1);
  EXPECT_EQ(rec->body, body);
  EXPECT_EQ(rec->index, Json({{"workflowId", "wf-1"}, {"startedAt", 1764140000000}}));
}

TEST_F(Crud, GetOfAMissingDocumentIsNotFound) {
  auto rec = store_->get("executions", "nope");
  ASSERT_FALSE(rec.is_ok());
  EXPECT_EQ(rec.status().code(), Code::kNotFound);
}

TEST_F(Crud, EveryPutIncrementsTheVersion) {
  for (int64_t v = 1; v <= 5; ++v)
    EXPECT_EQ(put("workflows", "w", {{"v", v}}, {{"updatedAt", v}}), v);
  auto rec = store_->get("workflows", "w");
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->version, 5);
  EXPECT_EQ(rec->body, Json({{"v", 5}}));
}

TEST_F(Crud, APutReplacesTheWholeIndex) {
  put("executions", "e1", Json::object(), {{"workflowId", "wf-1"}, {"status", "running"}});
  put("executions", "e1", Json::object(), {{"status", "done"}});
  auto rec = store_->get("executions", "e1");
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->index, Json({{"status", "done"}}));
  Json page = must_query({{"collection", "executions"},
                          {"where", {{{"field", "workflowId"}, {"op", "eq"}, {"value", "wf-1"}}}}});
  EXPECT_TRUE(page["items"].empty());
}

TEST_F(Crud, DeleteRemovesTheDocument) {
  put("executions", "e1", {{"a", 1}});
  auto versions = write_one({{"op", "delete"}, {"collection", "executions"}, {"id", "e1"}});
  ASSERT_TRUE(versions.is_ok()) << versions.status().to_string();
  EXPECT_EQ(*versions, std::vector<int64_t>{0});
  EXPECT_EQ(store_->get("executions", "e1").status().code(), Code::kNotFound);
  EXPECT_EQ(put("executions", "e1", {{"a", 2}}), 1) << "a re-created document starts again at 1";
}

TEST_F(Crud, DeleteOfAMissingDocumentSucceedsOnlyWithoutExpectedVersion) {
  auto any = write_one({{"op", "delete"}, {"collection", "executions"}, {"id", "ghost"},
                        {"expectedVersion", nullptr}});
  EXPECT_TRUE(any.is_ok()) << any.status().to_string();
  auto pinned = write_one({{"op", "delete"}, {"collection", "executions"}, {"id", "ghost"},
                           {"expectedVersion", 1}});
  ASSERT_FALSE(pinned.is_ok());
  EXPECT_EQ(pinned.status().code(), Code::kNotFound);
  EXPECT_NE(pinned.status().message().find("ghost"), std::string::npos)
      << pinned.status().message();
}

TEST_F(Crud, CollectionsAreSeparate) {
  put("executions", "same", {{"kind", "execution"}});
  put("workflows", "same", {{"kind", "workflow"}});
  EXPECT_EQ(store_->get("executions", "same")->body["kind"], "execution");
  EXPECT_EQ(store_->get("workflows", "same")->body["kind"], "workflow");
  ASSERT_TRUE(write_one({{"op", "delete"}, {"collection", "workflows"}, {"id", "same"}}).is_ok());
  EXPECT_TRUE(store_->get("executions", "same").is_ok());
}

TEST_F(Crud, IdsAreComparedExactly) {
  put("executions", "a'b\"c; --", {{"n", 1}});
  put("executions", "A'B\"C; --", {{"n", 2}});
  EXPECT_EQ(store_->get("executions", "a'b\"c; --")->body["n"], 1);
  EXPECT_EQ(store_->get("executions", "A'B\"C; --")->body["n"], 2);
}

}  // namespace
}  // namespace weft::contract
