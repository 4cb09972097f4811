// Keyset pagination under concurrent inserts: a row that exists from the first page to the last
// is returned exactly once, in order.
#include "contract_store.hpp"

#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace weft::contract {
namespace {

using Pagination = ContractTest;

constexpr int kRows = 3000;

// The (startedAt, id) ordering key of an item; rows without startedAt sort first.
std::pair<int64_t, std::string> key_of(const Json& item) {
  const Json& index = item["index"];
  int64_t at = index.contains("startedAt") ? index["startedAt"].get<int64_t>() : INT64_MIN;
  return {at, item["id"].get<std::string>()};
}

void walk_while_inserting(Storage& store, bool descending) {
  SCOPED_TRACE(descending ? "descending" : "ascending");
  // Rows r0000..r2999 with startedAt in 0..299 (ten rows share each value), every 50th without
  // startedAt (so, ascending, the first cursor falls on a row without it).
  std::set<std::string> initial;
  Json writes = Json::array();
  for (int i = 0; i < kRows; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "r%04d", i);
    Json index = {{"workflowId", "wf"}};
    if (i % 50 != 7) index["startedAt"] = (i * 7919) % 300;
    writes.push_back({{"op", "put"}, {"collection", "executions"}, {"id", id},
                      {"body", {{"i", i}}}, {"index", index}});
    initial.insert(id);
  }
  auto seeded = store.write({{"writes", writes}});
  ASSERT_TRUE(seeded.is_ok()) << seeded.status().to_string();

  // Meanwhile another thread inserts rows whose keys fall everywhere in the ordering.
  std::atomic<bool> stop{false};
  std::atomic<int> inserted{0};
  std::atomic<int> insert_errors{0};
  std::thread inserter([&] {
    for (int n = 0; !stop.load(); ++n) {
      Json index = {{"workflowId", "wf"}, {"startedAt", (n * 37) % 310 - 5}};
      auto r = store.write({{"writes", {{{"op", "put"}, {"collection", "executions"},
                                         {"id", "n" + std::to_string(n) + (descending ? "d" : "a")},
                                         {"body", Json::object()}, {"index", index}}}}});
      if (r) {
        ++inserted;
      } else if (r.status().code() != Code::kUnavailable) {
        ++insert_errors;
      }
      std::this_thread::yield();
    }
  });

  Json q = {{"collection", "executions"}, {"orderBy", "startedAt"}, {"descending", descending},
            {"limit", 41}, {"where", {{{"field", "workflowId"}, {"op", "eq"}, {"value", "wf"}}}}};
  std::map<std::string, int> seen;
  std::vector<std::pair<int64_t, std::string>> keys;
  int pages = 0;
  while (true) {
    auto page = store.query(q);
    ASSERT_TRUE(page.is_ok()) << page.status().to_string();
    for (const auto& item : (*page)["items"]) {
      ++seen[item["id"].get<std::string>()];
      keys.push_back(key_of(item));
    }
    ++pages;
    if ((*page)["nextCursor"].is_null()) break;
    q["cursor"] = (*page)["nextCursor"];
    ASSERT_LT(pages, 1000) << "pagination does not end";
  }
  stop = true;
  inserter.join();

  EXPECT_EQ(insert_errors.load(), 0);
  EXPECT_GT(pages, kRows / 41);
  for (const auto& id : initial) EXPECT_EQ(seen[id], 1) << id << " skipped or repeated";
  for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id << " repeated";
  for (size_t i = 1; i < keys.size(); ++i) {
    bool ordered = descending ? keys[i] < keys[i - 1] : keys[i - 1] < keys[i];
    ASSERT_TRUE(ordered) << "row " << i << " (" << keys[i].second << ") out of order after "
                         << keys[i - 1].second;
  }
}

TEST_F(Pagination, AscendingWhileAnotherThreadInserts) { walk_while_inserting(*store_, false); }

TEST_F(Pagination, DescendingWhileAnotherThreadInserts) { walk_while_inserting(*store_, true); }

TEST_F(Pagination, ByIdOverThousandsOfRows) {
  Json writes = Json::array();
  for (int i = 0; i < kRows; ++i)
    writes.push_back({{"op", "put"}, {"collection", "workflows"}, {"id", "w" + std::to_string(i)},
                      {"body", Json::object()}});
  ASSERT_TRUE(store_->write({{"writes", writes}}).is_ok());
  Json q = {{"collection", "workflows"}, {"limit", 1000}};
  std::set<std::string> seen;
  std::string last;
  while (true) {
    Json page = must_query(q);
    for (const auto& item : page["items"]) {
      std::string id = item["id"];
      EXPECT_LT(last, id);
      last = id;
      seen.insert(id);
    }
    if (page["nextCursor"].is_null()) break;
    q["cursor"] = page["nextCursor"];
  }
  EXPECT_EQ(seen.size(), size_t(kRows));
}

}  // namespace
}  // namespace weft::contract
