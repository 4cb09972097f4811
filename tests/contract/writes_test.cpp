// Conditional writes (expectedVersion) and atomic batches.
#include "contract_store.hpp"

#include <thread>
#include <vector>

namespace weft::contract {
namespace {

using Writes = ContractTest;

Json put_write(const std::string& id, const Json& expected, const Json& body = Json::object()) {
  return {{"op", "put"}, {"collection", "executions"}, {"id", id}, {"expectedVersion", expected},
          {"body", body}};
}

TEST_F(Writes, ExpectedVersionZeroOnAnExistingDocumentConflicts) {
  put("executions", "e1", {{"a", 1}});
  auto r = write_one(put_write("e1", 0));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  const std::string m = r.status().message();
  EXPECT_NE(m.find("executions"), std::string::npos) << m;
  EXPECT_NE(m.find("e1"), std::string::npos) << m;
  EXPECT_NE(m.find("0"), std::string::npos) << m;
  EXPECT_NE(m.find("1"), std::string::npos) << m;
  EXPECT_EQ(store_->get("executions", "e1")->body, Json({{"a", 1}}));
}

TEST_F(Writes, ExpectedVersionZeroCreates) {
  auto r = write_one(put_write("e1", 0, {{"a", 1}}));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(*r, std::vector<int64_t>{1});
}

TEST_F(Writes, AStaleExpectedVersionConflicts) {
  put("executions", "e1", {{"a", 1}});
  put("executions", "e1", {{"a", 2}});
  auto stale = write_one(put_write("e1", 1, {{"a", 3}}));
  ASSERT_FALSE(stale.is_ok());
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  auto current = write_one(put_write("e1", 2, {{"a", 3}}));
  ASSERT_TRUE(current.is_ok()) << current.status().to_string();
  EXPECT_EQ(*current, std::vector<int64_t>{3});
}

TEST_F(Writes, AnExpectedVersionOnAMissingDocumentConflicts) {
  auto r = write_one(put_write("new", 4));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
}

TEST_F(Writes, DeleteWithTheWrongVersionConflictsAndKeepsTheDocument) {
  put("executions", "e1", {{"a", 1}});
  put("executions", "e1", {{"a", 2}});
  auto wrong = write_one(
      {{"op", "delete"}, {"collection", "executions"}, {"id", "e1"}, {"expectedVersion", 1}});
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_EQ(wrong.status().code(), Code::kConflict);
  EXPECT_EQ(store_->get("executions", "e1")->version, 2);
  auto right = write_one(
      {{"op", "delete"}, {"collection", "executions"}, {"id", "e1"}, {"expectedVersion", 2}});
  EXPECT_TRUE(right.is_ok()) << right.status().to_string();
  EXPECT_EQ(store_->get("executions", "e1").status().code(), Code::kNotFound);
}

TEST_F(Writes, AConflictInTheLastWriteLeavesTheFirstUnapplied) {
  put("workflows", "w1", {{"a", 1}});
  put("executions", "taken", {{"a", 1}});
  Json batch = {{"writes",
                 {{{"op", "put"}, {"collection", "workflows"}, {"id", "w1"}, {"body", {{"a", 2}}}},
                  {{"op", "put"}, {"collection", "executions"}, {"id", "fresh"},
                   {"body", Json::object()}},
                  {{"op", "delete"}, {"collection", "workflows"}, {"id", "w1"}},
                  put_write("taken", 0)}}};
  auto r = store_->write(batch);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  auto w1 = store_->get("workflows", "w1");
  ASSERT_TRUE(w1.is_ok()) << "the delete of w1 was applied";
  EXPECT_EQ(w1->version, 1);
  EXPECT_EQ(w1->body, Json({{"a", 1}}));
  EXPECT_EQ(store_->get("executions", "fresh").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->get("executions", "taken")->version, 1);
}

TEST_F(Writes, WritesOfABatchApplyInOrderAndReturnTheirVersions) {
  Json batch = {{"writes",
                 {put_write("x", 0, {{"step", 1}}), put_write("x", 1, {{"step", 2}}),
                  put_write("y", nullptr, {{"step", 1}}),
                  {{"op", "delete"}, {"collection", "executions"}, {"id", "x"},
                   {"expectedVersion", 2}},
                  put_write("x", 0, {{"step", 3}})}}};
  auto r = store_->write(batch);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(*r, (std::vector<int64_t>{1, 2, 1, 0, 1}));
  EXPECT_EQ(store_->get("executions", "x")->body, Json({{"step", 3}}));
  EXPECT_EQ(store_->get("executions", "y")->version, 1);
}

TEST_F(Writes, ABatchOfManyWritesAppliesAtOnce) {
  Json writes = Json::array();
  for (int i = 0; i < 2000; ++i)
    writes.push_back(put_write("bulk-" + std::to_string(i), 0, {{"i", i}}));
  auto r = store_->write({{"writes", writes}});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->size(), 2000u);
  Json count = must_query({{"collection", "executions"}, {"count", true}});
  EXPECT_EQ(count["count"], 2000);
}

TEST_F(Writes, ConcurrentReadModifyWriteLosesNoUpdate) {
  put("workflows", "counter", {{"n", 0}});
  constexpr int kThreads = 8, kIncrements = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int done = 0; done < kIncrements;) {
        auto rec = store_->get("workflows", "counter");
        if (!rec) { ++failures; return; }
        Json body = {{"n", rec->body["n"].get<int64_t>() + 1}};
        auto r = store_->write({{"writes", {{{"op", "put"}, {"collection", "workflows"},
                                             {"id", "counter"}, {"expectedVersion", rec->version},
                                             {"body", body}}}}});
        if (r) {
          ++done;
        } else if (r.status().code() != Code::kConflict &&
                   r.status().code() != Code::kUnavailable) {
          ++failures;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto rec = store_->get("workflows", "counter");
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->body["n"], kThreads * kIncrements);
  EXPECT_EQ(rec->version, kThreads * kIncrements + 1);
}

}  // namespace
}  // namespace weft::contract
