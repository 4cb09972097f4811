// Malformed requests fail with kInvalid and a message naming the field at fault.
#include "contract_store.hpp"

namespace weft::contract {
namespace {

using BadRequest = ContractTest;

// Expects `status` to be kInvalid with a message containing `needle`.
void expect_invalid(const Status& status, const std::string& needle) {
  EXPECT_EQ(status.code(), Code::kInvalid) << status.to_string();
  EXPECT_NE(status.message().find(needle), std::string::npos)
      << "'" << status.message() << "' does not name " << needle;
}

Json put_into(const std::string& collection, const Json& extra = Json::object()) {
  Json w = {{"op", "put"}, {"collection", collection}, {"id", "x"}, {"body", Json::object()}};
  w.update(extra);
  return w;
}

TEST_F(BadRequest, UnknownCollectionInEveryCall) {
  expect_invalid(store_->get("nowhere", "x").status(), "nowhere");
  expect_invalid(store_->write({{"writes", {put_into("nowhere")}}}).status(), "nowhere");
  expect_invalid(store_->query(Json::object({{"collection", "nowhere"}})).status(), "nowhere");
  expect_invalid(store_->claim({{"collection", "nowhere"}, {"owner", "w"}, {"now", 1},
                                {"leaseMs", 1}}).status(),
                 "nowhere");
}

TEST_F(BadRequest, MalformedBatches) {
  expect_invalid(store_->write(Json::object()).status(), "writes");
  expect_invalid(store_->write({{"writes", "all"}}).status(), "writes");
  expect_invalid(store_->write({{"writes", {put_into("workflows", {{"op", "upsert"}})}}}).status(),
                 "op");
  expect_invalid(store_->write({{"writes", {put_into("workflows", {{"id", ""}})}}}).status(), "id");
  expect_invalid(store_->write({{"writes", {put_into("workflows", {{"id", 7}})}}}).status(), "id");
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"body", "text"}})}}}).status(), "body");
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"expectedVersion", "1"}})}}}).status(),
      "expectedVersion");
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"expectedVersion", -1}})}}}).status(),
      "expectedVersion");
}

TEST_F(BadRequest, IndexValuesMustBeDeclaredAndTyped) {
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"index", {{"colour", "red"}}}})}}})
          .status(),
      "colour");
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"index", {{"name", 5}}}})}}}).status(),
      "name");
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"index", {{"updatedAt", "soon"}}}})}}})
          .status(),
      "updatedAt");
  expect_invalid(
      store_->write({{"writes", {put_into("workflows", {{"index", {{"updatedAt", 1.5}}}})}}})
          .status(),
      "updatedAt");
}

TEST_F(BadRequest, AnInvalidWriteAnywhereRejectsTheWholeBatch) {
  Json batch = {{"writes", {put_into("workflows", {{"id", "good"}}),
                            put_into("workflows", {{"index", {{"updatedAt", "x"}}}})}}};
  expect_invalid(store_->write(batch).status(), "writes[1]");
  EXPECT_EQ(store_->get("workflows", "good").status().code(), Code::kNotFound);
}

TEST_F(BadRequest, BatchesAreLimitedToTenThousandWrites) {
  Json writes = Json::array();
  for (int i = 0; i <= 10000; ++i) writes.push_back(put_into("workflows", {{"id", std::to_string(i)}}));
  expect_invalid(store_->write({{"writes", writes}}).status(), "writes");
  EXPECT_EQ(must_query({{"collection", "workflows"}, {"count", true}})["count"], 0);
}

TEST_F(BadRequest, MalformedQueries) {
  auto query = [&](const Json& extra) {
    Json q = {{"collection", "executions"}};
    q.update(extra);
    return store_->query(q).status();
  };
  expect_invalid(store_->query(Json::object()).status(), "collection");
  expect_invalid(query({{"where", {{{"field", "colour"}, {"op", "eq"}, {"value", "x"}}}}}),
                 "colour");
  expect_invalid(query({{"where", {{{"field", "status"}, {"op", "like"}, {"value", "x"}}}}}), "op");
  expect_invalid(query({{"where", {{{"field", "status"}, {"op", "eq"}, {"value", 3}}}}}), "status");
  expect_invalid(query({{"where", {{{"field", "startedAt"}, {"op", "gt"}, {"value", "3"}}}}}),
                 "startedAt");
  expect_invalid(query({{"where", {{{"field", "id"}, {"op", "eq"}, {"value", 3}}}}}), "id");
  expect_invalid(query({{"where", "status = 'x'"}}), "where");
  expect_invalid(query({{"orderBy", "colour"}}), "colour");
  expect_invalid(query({{"limit", 0}}), "limit");
  expect_invalid(query({{"limit", 1001}}), "limit");
  expect_invalid(query({{"limit", "ten"}}), "limit");
  expect_invalid(query({{"cursor", 12}}), "cursor");
}

TEST_F(BadRequest, MalformedClaims) {
  auto claim = [&](const Json& extra) {
    Json c = {{"collection", "jobs"}, {"owner", "w"}, {"now", 1000}, {"leaseMs", 100}};
    c.update(extra);
    return store_->claim(c).status();
  };
  expect_invalid(claim({{"owner", ""}}), "owner");
  expect_invalid(claim({{"now", "later"}}), "now");
  expect_invalid(claim({{"leaseMs", 0}}), "leaseMs");
  expect_invalid(claim({{"limit", 0}}), "limit");
  // A collection without the queue fields cannot be claimed from.
  expect_invalid(claim({{"collection", "executions"}}), "state");
}

}  // namespace
}  // namespace weft::contract
