// What only the postgres backend has: a server that can go away and come back, several
// processes on one database, and a URL holding a password. The tests run in the postgres
// registration only (WEFT_CONTRACT_BACKEND=postgres) and fail, never skip, there when
// PostgreSQL cannot be started.
#include "contract_store.hpp"
#include "own_postgres.hpp"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

namespace weft::contract {
namespace {

class PostgresBackend : public ::testing::Test {
 protected:
  // Opens a store on `url` (standard collections, migrated on open).
  static Result<std::unique_ptr<Storage>> open(const std::string& url) {
    Json config = {{"collections", standard_collections()}, {"autoMigrate", true}, {"url", url}};
    return Storage::open(plugins(), "postgres", config);
  }

  static std::string fixture_url(const TempDir& dir) {
    return store_config(dir, standard_collections())["url"].get<std::string>();
  }
};

Json one_put(const std::string& id) {
  return {{"writes", Json::array({{{"op", "put"},
                                   {"collection", "workflows"},
                                   {"id", id},
                                   {"body", {{"name", id}}},
                                   {"index", {{"name", id}}}}})}};
}

TEST_F(PostgresBackend, AStoreReconnectsAfterTheServerRestarts) {
  OwnPostgres server;
  ASSERT_TRUE(server.started()) << "pg/start.sh could not start PostgreSQL";
  auto store = open(server.url());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  ASSERT_TRUE((*store)->write(one_put("before")).is_ok());

  ASSERT_TRUE(server.stop());
  auto during_get = (*store)->get("workflows", "before");
  EXPECT_EQ(during_get.status().code(), Code::kUnavailable) << during_get.status().to_string();
  auto during_write = (*store)->write(one_put("during"));
  EXPECT_EQ(during_write.status().code(), Code::kUnavailable) << during_write.status().to_string();
  auto during_ping = (*store)->admin({{"op", "ping"}});
  EXPECT_EQ(during_ping.status().code(), Code::kUnavailable);

  ASSERT_TRUE(server.start());
  auto after_get = (*store)->get("workflows", "before");
  ASSERT_TRUE(after_get.is_ok()) << after_get.status().to_string();
  EXPECT_EQ(after_get->body["name"], "before");
  auto after_write = (*store)->write(one_put("after"));
  EXPECT_TRUE(after_write.is_ok()) << after_write.status().to_string();
  EXPECT_TRUE((*store)->admin({{"op", "ping"}}).is_ok());
}

TEST_F(PostgresBackend, AWriteOnAConnectionBrokenByARestartIsRetriedOnAFreshOne) {
  OwnPostgres server;
  ASSERT_TRUE(server.started()) << "pg/start.sh could not start PostgreSQL";
  auto store = open(server.url());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  ASSERT_TRUE((*store)->write(one_put("before")).is_ok());
  // No call during the outage: the pooled connection is broken without the pool knowing.
  ASSERT_TRUE(server.stop());
  ASSERT_TRUE(server.start());
  auto write = (*store)->write(one_put("after"));
  EXPECT_TRUE(write.is_ok()) << write.status().to_string();
}

TEST_F(PostgresBackend, TwoStoresClaimingConcurrentlyNeverGetTheSameJob) {
  TempDir dir;
  auto setup = open_clean_store(store_config(dir, standard_collections()));
  ASSERT_TRUE(setup.is_ok()) << setup.status().to_string();
  constexpr int kJobs = 300;
  Json writes = Json::array();
  for (int i = 0; i < kJobs; ++i)
    writes.push_back({{"op", "put"},
                      {"collection", "jobs"},
                      {"id", "job-" + std::to_string(i)},
                      {"body", Json::object()},
                      {"index", {{"state", "ready"}, {"runAt", i}}}});
  ASSERT_TRUE((*setup)->write({{"writes", writes}}).is_ok());

  // Two stores, each with its own pool, stand for two processes.
  auto first = open(fixture_url(dir));
  auto second = open(fixture_url(dir));
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  std::mutex mu;
  std::multiset<std::string> claimed;
  auto worker = [&](Storage& store, const std::string& owner) {
    for (int round = 0; round < 1000; ++round) {
      auto r = store.claim({{"collection", "jobs"}, {"owner", owner}, {"limit", 7},
                            {"now", kJobs}, {"leaseMs", 600000}});
      ASSERT_TRUE(r.is_ok()) << r.status().to_string();
      if ((*r)["items"].empty()) return;
      std::lock_guard lock(mu);
      for (const auto& item : (*r)["items"]) claimed.insert(item["id"].get<std::string>());
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back(worker, std::ref(**first), "a" + std::to_string(t));
    threads.emplace_back(worker, std::ref(**second), "b" + std::to_string(t));
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(claimed.size(), size_t(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), size_t(kJobs))
      << "a job was claimed twice";
}

TEST_F(PostgresBackend, ABadUrlFailsOpenWithOneLineWithoutThePassword) {
  const std::string password = "Sekr3t-Pa55word";
  for (const std::string& url :
       {"postgresql://weft:" + password + "@127.0.0.1:notaport/weft_test",
        "mysql://weft:" + password + "@127.0.0.1:5432/weft_test",
        "postgresql://weft:" + password + "@127.0.0.1:5432"}) {
    auto store = open(url);
    ASSERT_FALSE(store.is_ok()) << url;
    EXPECT_EQ(store.status().code(), Code::kInvalid) << store.status().to_string();
    EXPECT_EQ(store.status().message().find(password), std::string::npos)
        << store.status().message();
    EXPECT_EQ(store.status().message().find('\n'), std::string::npos);
  }
}

TEST_F(PostgresBackend, AWrongPasswordOrADeadServerIsUnavailableWithoutThePassword) {
  TempDir dir;
  std::string url = fixture_url(dir);  // postgresql://weft:<password>@127.0.0.1:<port>/weft_test
  const std::string wrong = "Wr0ng-Pa55word";
  std::string with_wrong = url;
  size_t colon = with_wrong.find(':', std::string("postgresql://").size());
  with_wrong.replace(colon + 1, with_wrong.find('@') - colon - 1, wrong);
  for (const std::string& bad : {with_wrong, "postgresql://weft:" + wrong + "@127.0.0.1:1/weft_test"}) {
    auto store = open(bad);
    ASSERT_FALSE(store.is_ok());
    EXPECT_EQ(store.status().code(), Code::kUnavailable) << store.status().to_string();
    EXPECT_EQ(store.status().message().find(wrong), std::string::npos) << store.status().message();
  }
}

TEST_F(PostgresBackend, OpenWithoutAutoMigrateOnAnEmptyDatabaseAsksForWeftDbMigrate) {
  OwnPostgres server;
  ASSERT_TRUE(server.started()) << "pg/start.sh could not start PostgreSQL";
  Json config = {{"collections", standard_collections()}, {"url", server.url()}};
  auto store = Storage::open(plugins(), "postgres", config);
  ASSERT_FALSE(store.is_ok());
  EXPECT_NE(store.status().message().find("weft db migrate"), std::string::npos)
      << store.status().message();
  config["autoMigrate"] = true;
  auto migrated = Storage::open(plugins(), "postgres", config);
  ASSERT_TRUE(migrated.is_ok()) << migrated.status().to_string();
  auto status = (*migrated)->admin({{"op", "status"}});
  ASSERT_TRUE(status.is_ok());
  EXPECT_EQ((*status)["current"], (*status)["latest"]);
  auto down = (*migrated)->admin({{"op", "rollback"}, {"to", 0}});
  ASSERT_TRUE(down.is_ok()) << down.status().to_string();
  EXPECT_EQ((*down)["current"], 0);
}

}  // namespace
}  // namespace weft::contract
