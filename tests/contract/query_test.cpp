// Queries: where conditions, ordering, limits, counts and cursors.
#include "contract_store.hpp"

#include <vector>

namespace weft::contract {
namespace {

// Ten executions e0..e9: workflowId wf-(i % 3), status "done" for even i and "failed" for odd
// i, startedAt 100 * (i % 5) (ties on purpose); e10 has no index at all.
class Query : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    Json writes = Json::array();
    for (int i = 0; i < 10; ++i)
      writes.push_back({{"op", "put"}, {"collection", "executions"}, {"id", "e" + std::to_string(i)},
                        {"body", {{"i", i}}},
                        {"index", {{"workflowId", "wf-" + std::to_string(i % 3)},
                                   {"status", i % 2 == 0 ? "done" : "failed"},
                                   {"startedAt", 100 * (i % 5)}}}});
    writes.push_back({{"op", "put"}, {"collection", "executions"}, {"id", "e10"},
                      {"body", {{"i", 10}}}});
    auto r = store_->write({{"writes", writes}});
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }

  // The ids of the items of a query that must succeed.
  std::vector<std::string> ids(const Json& query) {
    std::vector<std::string> out;
    Json page = must_query(query);
    for (const auto& item : page["items"]) out.push_back(item["id"]);
    return out;
  }

  static Json cond(const std::string& field, const std::string& op, const Json& value) {
    return {{"field", field}, {"op", op}, {"value", value}};
  }

  static Json where(const std::vector<Json>& conditions) {
    return {{"collection", "executions"}, {"where", conditions}};
  }

  using Ids = std::vector<std::string>;
};

TEST_F(Query, WithoutConditionsListsEveryDocumentByIdAscending) {
  EXPECT_EQ(ids(Json::object({{"collection", "executions"}})),
            (Ids{"e0", "e1", "e10", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"}));
}

TEST_F(Query, ItemsAreWholeRecords) {
  Json page = must_query(where({cond("id", "eq", "e4")}));
  ASSERT_EQ(page["items"].size(), 1u);
  const Json& item = page["items"][0];
  EXPECT_EQ(item["id"], "e4");
  EXPECT_EQ(item["version"], 1);
  EXPECT_EQ(item["body"], Json({{"i", 4}}));
  EXPECT_EQ(item["index"], Json({{"workflowId", "wf-1"}, {"status", "done"}, {"startedAt", 400}}));
  EXPECT_TRUE(page["nextCursor"].is_null());
}

TEST_F(Query, StringConditions) {
  EXPECT_EQ(ids(where({cond("workflowId", "eq", "wf-1")})), (Ids{"e1", "e4", "e7"}));
  EXPECT_EQ(ids(where({cond("workflowId", "ne", "wf-1")})),
            (Ids{"e0", "e2", "e3", "e5", "e6", "e8", "e9"}))
      << "a document without the field matches no condition on it, not even ne";
  EXPECT_EQ(ids(where({cond("workflowId", "lt", "wf-1")})), (Ids{"e0", "e3", "e6", "e9"}));
  EXPECT_EQ(ids(where({cond("workflowId", "ge", "wf-1"), cond("status", "eq", "done")})),
            (Ids{"e2", "e4", "e8"}));
}

TEST_F(Query, IntegerConditions) {
  EXPECT_EQ(ids(where({cond("startedAt", "eq", 200)})), (Ids{"e2", "e7"}));
  EXPECT_EQ(ids(where({cond("startedAt", "lt", 100)})), (Ids{"e0", "e5"}));
  EXPECT_EQ(ids(where({cond("startedAt", "le", 100)})), (Ids{"e0", "e1", "e5", "e6"}));
  EXPECT_EQ(ids(where({cond("startedAt", "gt", 300)})), (Ids{"e4", "e9"}));
  EXPECT_EQ(ids(where({cond("startedAt", "ge", 300)})), (Ids{"e3", "e4", "e8", "e9"}));
  EXPECT_EQ(ids(where({cond("startedAt", "ne", 0)})).size(), 8u);
  EXPECT_EQ(ids(where({cond("startedAt", "gt", 100), cond("startedAt", "lt", 400)})),
            (Ids{"e2", "e3", "e7", "e8"}));
}

TEST_F(Query, IdConditions) {
  EXPECT_EQ(ids(where({cond("id", "gt", "e7")})), (Ids{"e8", "e9"}));
  EXPECT_EQ(ids(where({cond("id", "le", "e10")})), (Ids{"e0", "e1", "e10"}));
  EXPECT_EQ(ids(where({cond("id", "ne", "e0"), cond("status", "eq", "failed")})),
            (Ids{"e1", "e3", "e5", "e7", "e9"}));
}

TEST_F(Query, OrderByAnIndexFieldThenById) {
  Json q = {{"collection", "executions"}, {"orderBy", "startedAt"}};
  EXPECT_EQ(ids(q), (Ids{"e10", "e0", "e5", "e1", "e6", "e2", "e7", "e3", "e8", "e4", "e9"}))
      << "documents without the orderBy field come first";
  q["descending"] = true;
  EXPECT_EQ(ids(q), (Ids{"e9", "e4", "e8", "e3", "e7", "e2", "e6", "e1", "e5", "e0", "e10"}));
  Json by_status = {{"collection", "executions"}, {"orderBy", "status"},
                    {"where", {cond("startedAt", "le", 100)}}};
  EXPECT_EQ(ids(by_status), (Ids{"e0", "e6", "e1", "e5"}));
}

TEST_F(Query, LimitAndCursorWalkEveryPageOnce) {
  // Limit 1 puts a cursor on every row, the one without startedAt (e10) included.
  for (int limit : {1, 3}) {
    for (bool descending : {false, true}) {
      SCOPED_TRACE("limit " + std::to_string(limit) + (descending ? " descending" : ""));
      Json q = {{"collection", "executions"}, {"orderBy", "startedAt"},
                {"descending", descending}, {"limit", limit}};
      Ids walked;
      int pages = 0;
      while (true) {
        Json page = must_query(q);
        ASSERT_LE(page["items"].size(), size_t(limit));
        for (const auto& item : page["items"]) walked.push_back(item["id"]);
        ++pages;
        ASSERT_LT(pages, 20);
        if (page["nextCursor"].is_null()) break;
        ASSERT_TRUE(page["nextCursor"].is_string());
        q["cursor"] = page["nextCursor"];
      }
      EXPECT_EQ(pages, (11 + limit - 1) / limit);
      Ids expected = ids({{"collection", "executions"}, {"orderBy", "startedAt"},
                          {"descending", descending}});
      EXPECT_EQ(walked, expected);
    }
  }
}

TEST_F(Query, APageThatEndsTheResultsHasNoCursor) {
  Json page = must_query({{"collection", "executions"}, {"limit", 11}});
  EXPECT_EQ(page["items"].size(), 11u);
  EXPECT_TRUE(page["nextCursor"].is_null());
  Json fewer = must_query({{"collection", "executions"}, {"limit", 10}});
  EXPECT_EQ(fewer["items"].size(), 10u);
  EXPECT_TRUE(fewer["nextCursor"].is_string());
}

TEST_F(Query, CursorsContinueWithConditions) {
  Json q = where({cond("status", "eq", "done")});
  q["orderBy"] = "workflowId";
  q["limit"] = 2;
  Json first = must_query(q);
  ASSERT_TRUE(first["nextCursor"].is_string());
  q["cursor"] = first["nextCursor"];
  Json second = must_query(q);
  Ids all;
  for (const auto& page : {first, second})
    for (const auto& item : page["items"]) all.push_back(item["id"]);
  EXPECT_EQ(all, (Ids{"e0", "e6", "e4", "e2"}));
}

TEST_F(Query, CountHonoursConditions) {
  EXPECT_EQ(must_query({{"collection", "executions"}, {"count", true}}), Json({{"count", 11}}));
  Json q = where({cond("status", "eq", "failed"), cond("startedAt", "ge", 200)});
  q["count"] = true;
  EXPECT_EQ(must_query(q), Json({{"count", 3}}));
  EXPECT_EQ(must_query({{"collection", "jobs"}, {"count", true}}), Json({{"count", 0}}));
}

TEST_F(Query, ACursorOfAnotherOrderingIsInvalid) {
  Json page = must_query({{"collection", "executions"}, {"orderBy", "startedAt"}, {"limit", 2}});
  ASSERT_TRUE(page["nextCursor"].is_string());
  for (const Json& other : {Json({{"orderBy", "status"}}),
                            Json({{"orderBy", "startedAt"}, {"descending", true}}),
                            Json({{"orderBy", "id"}})}) {
    Json q = {{"collection", "executions"}, {"limit", 2}, {"cursor", page["nextCursor"]}};
    q.update(other);
    auto r = store_->query(q);
    ASSERT_FALSE(r.is_ok()) << other.dump();
    EXPECT_EQ(r.status().code(), Code::kInvalid);
    EXPECT_NE(r.status().message().find("cursor"), std::string::npos) << r.status().message();
  }
}

TEST_F(Query, AForgedCursorIsInvalid) {
  for (const char* forged : {"", "garbage", "c1zz", "c17b7d", "eyJpZCI6ImUxIn0="}) {
    auto r = store_->query({{"collection", "executions"}, {"cursor", forged}});
    ASSERT_FALSE(r.is_ok()) << forged;
    EXPECT_EQ(r.status().code(), Code::kInvalid) << forged;
    EXPECT_NE(r.status().message().find("cursor"), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace weft::contract
