// The claim primitive: due jobs are handed out once per lease, in runAt, id order.
#include "contract_store.hpp"

#include <map>
#include <mutex>
#include <thread>

namespace weft::contract {
namespace {

class Claim : public ContractTest {
 protected:
  // Puts a job in state `state` with runAt and, when given, leaseUntil.
  void job(const std::string& id, const std::string& state, int64_t run_at,
           std::optional<int64_t> lease_until = std::nullopt) {
    Json index = {{"state", state}, {"runAt", run_at}};
    if (lease_until) index["leaseUntil"] = *lease_until;
    put("jobs", id, {{"job", id}}, index);
  }

  Json claim(const std::string& owner, int limit, int64_t now, int64_t lease_ms = 1000) {
    auto r = store_->claim(
        {{"collection", "jobs"}, {"owner", owner}, {"limit", limit}, {"now", now},
         {"leaseMs", lease_ms}});
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? (*r)["items"] : Json::array();
  }

  static std::vector<std::string> ids(const Json& items) {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(item["id"]);
    return out;
  }
};

TEST_F(Claim, SetsStateOwnerLeaseAndVersion) {
  job("j1", "ready", 1000);
  Json items = claim("worker-7", 10, 5000, 30000);
  ASSERT_EQ(items.size(), 1u);
  const Json& item = items[0];
  EXPECT_EQ(item["id"], "j1");
  EXPECT_EQ(item["version"], 2);
  EXPECT_EQ(item["body"], Json({{"job", "j1"}}));
  EXPECT_EQ(item["index"]["state"], "claimed");
  EXPECT_EQ(item["index"]["owner"], "worker-7");
  EXPECT_EQ(item["index"]["runAt"], 1000);
  EXPECT_EQ(item["index"]["leaseUntil"], 35000);
  auto stored = store_->get("jobs", "j1");
  ASSERT_TRUE(stored.is_ok());
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->index, item["index"]);
}

TEST_F(Claim, TakesDueJobsInRunAtThenIdOrderUpToTheLimit) {
  job("c", "ready", 300);
  job("b", "ready", 100);
  job("a", "ready", 300);
  job("d", "ready", 200);
  job("done", "succeeded", 0);
  EXPECT_EQ(ids(claim("w", 3, 1000)), (std::vector<std::string>{"b", "d", "a"}));
  EXPECT_EQ(ids(claim("w", 3, 1000)), (std::vector<std::string>{"c"}));
  EXPECT_TRUE(claim("w", 3, 1000).empty());
}

TEST_F(Claim, AJobWhoseRunAtIsInTheFutureIsNotClaimed) {
  job("later", "ready", 5001);
  job("now", "ready", 5000);
  EXPECT_EQ(ids(claim("w", 10, 5000)), (std::vector<std::string>{"now"}));
  EXPECT_TRUE(claim("w", 10, 5000).empty());
  EXPECT_EQ(ids(claim("w", 10, 5001)), (std::vector<std::string>{"later"}));
}

TEST_F(Claim, AnExpiredLeaseIsReclaimableAndAHeldOneIsNot) {
  job("j", "ready", 0);
  ASSERT_EQ(claim("first", 1, 1000, 100).size(), 1u);  // lease until 1100
  EXPECT_TRUE(claim("second", 1, 1050, 100).empty());
  EXPECT_TRUE(claim("second", 1, 1100, 100).empty()) << "the lease holds up to leaseUntil";
  Json again = claim("second", 1, 1101, 100);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["index"]["owner"], "second");
  EXPECT_EQ(again[0]["index"]["leaseUntil"], 1201);
  EXPECT_EQ(again[0]["version"], 3);
  job("stale", "claimed", 0, 500);
  EXPECT_EQ(ids(claim("third", 5, 1150)), (std::vector<std::string>{"stale"}));
}

TEST_F(Claim, EightThreadsClaimEveryJobExactlyOnce) {
  constexpr int kJobs = 500, kThreads = 8;
  Json writes = Json::array();
  for (int i = 0; i < kJobs; ++i)
    writes.push_back({{"op", "put"}, {"collection", "jobs"}, {"id", "job-" + std::to_string(i)},
                      {"body", Json::object()},
                      {"index", {{"state", "ready"}, {"runAt", i % 17}}}});
  ASSERT_TRUE(store_->write({{"writes", writes}}).is_ok());

  std::mutex mu;
  std::map<std::string, std::vector<std::string>> owners_of;  // job -> owners that got it
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = "worker-" + std::to_string(t);
      int empty_in_a_row = 0;
      while (empty_in_a_row < 3) {
        auto r = store_->claim({{"collection", "jobs"}, {"owner", owner}, {"limit", 1 + t % 4},
                                {"now", 1000}, {"leaseMs", 600000}});
        if (!r) {
          if (r.status().code() != Code::kUnavailable) ++errors;
          continue;
        }
        const Json& items = (*r)["items"];
        empty_in_a_row = items.empty() ? empty_in_a_row + 1 : 0;
        std::lock_guard lock(mu);
        for (const auto& item : items) {
          owners_of[item["id"]].push_back(owner);
          EXPECT_EQ(item["index"]["owner"], owner);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(owners_of.size(), size_t(kJobs));
  for (const auto& [id, owners] : owners_of) EXPECT_EQ(owners.size(), 1u) << id;
  Json left = must_query({{"collection", "jobs"}, {"count", true},
                          {"where", {{{"field", "state"}, {"op", "eq"}, {"value", "ready"}}}}});
  EXPECT_EQ(left["count"], 0);
}

}  // namespace
}  // namespace weft::contract
