// What only the dual backend has: a bounded cache in front of a database, counted per tier,
// modes switched while the store runs, and a database that can go away under it. The tests run
// in the dual-mode registrations (WEFT_CONTRACT_BACKEND=dual, over sqlite and over postgres:
// dual_database()) and pick their modes themselves.
#include "contract_store.hpp"
#include "own_postgres.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

namespace weft::contract {
namespace {

using namespace std::chrono_literals;

class DualBackend : public ::testing::Test {
 protected:
  // A config of a dual store in `mode` over dual_database() at this test's location.
  Json config(const std::string& mode, int64_t cache_entries = 1000) {
    return {{"collections", standard_collections()},
            {"autoMigrate", true},
            {"database", dual_database()},
            {"databaseOptions", database_options(dir_, dual_database())},
            {"mode", mode},
            {"cacheEntries", cache_entries}};
  }

  // A store in `mode` over an emptied database.
  std::unique_ptr<Storage> fresh(const std::string& mode, int64_t cache_entries = 1000) {
    {
      auto cleaner = open_clean_store(config("database-only"));
      EXPECT_TRUE(cleaner.is_ok()) << cleaner.status().to_string();
    }
    auto store = Storage::open(plugins(), "dual", config(mode, cache_entries));
    EXPECT_TRUE(store.is_ok()) << store.status().to_string();
    return store ? std::move(*store) : nullptr;
  }

  TempDir dir_;
};

Json must(const Result<Json>& r) {
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r ? *r : Json::object();
}

Json stats(const Storage& store) { return must(store.admin({{"op", "stats"}})); }

Json set_mode(const Storage& store, const std::string& mode) {
  return must(store.admin({{"op", "setMode"}, {"mode", mode}}));
}

Json put_of(const std::string& id, const Json& body, const Json& expected = nullptr) {
  return {{"writes", Json::array({{{"op", "put"},
                                   {"collection", "workflows"},
                                   {"id", id},
                                   {"expectedVersion", expected},
                                   {"body", body},
                                   {"index", {{"name", id}}}}})}};
}

// The first version a write returned, or 0 after a test failure.
int64_t must_put(const Storage& store, const std::string& id, const Json& body,
                 const Json& expected = nullptr) {
  auto r = store.write(put_of(id, body, expected));
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r && !r->empty() ? (*r)[0] : 0;
}

// Counter `path` (e.g. "/memory/hits") of a stats answer.
int64_t counter(const Json& stats, const std::string& path) {
  const Json& v = stats.at(Json::json_pointer(path));
  EXPECT_TRUE(v.is_number_integer()) << path << " in " << stats.dump();
  return v.is_number_integer() ? v.get<int64_t>() : -1;
}

TEST_F(DualBackend, BadOptionsFailOpenWithOneLineNamingTheOption) {
  struct Case {
    const char* option;
    Json value;
    const char* needle;
  };
  const Case cases[] = {
      {"database", "nosuch", "nosuch"},     {"database", "dual", "database"},
      {"database", nullptr, "database"},    {"mode", "fast", "mode"},
      {"cacheEntries", 0, "cacheEntries"},  {"cacheEntries", "many", "cacheEntries"},
      {"databaseOptions", "x", "databaseOptions"}};
  for (const Case& c : cases) {
    Json cfg = config("dual");
    if (c.value.is_null()) {
      cfg.erase(c.option);
    } else {
      cfg[c.option] = c.value;
    }
    auto store = Storage::open(plugins(), "dual", cfg);
    ASSERT_FALSE(store.is_ok()) << c.option << " = " << c.value.dump();
    EXPECT_EQ(store.status().code(), Code::kInvalid) << store.status().to_string();
    const std::string message = store.status().message();
    EXPECT_NE(message.find(c.option), std::string::npos) << message;
    EXPECT_NE(message.find(c.needle), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST_F(DualBackend, StatsCountHitsMissesAndWritesPerTier) {
  auto store = fresh("dual");
  ASSERT_TRUE(store);
  Json before = stats(*store);
  EXPECT_EQ(before["mode"], "dual");
  EXPECT_EQ(before["durable"], true);
  EXPECT_EQ(before["cacheEntries"], 1000);
  EXPECT_TRUE(before["database"]["backend"].is_object()) << before.dump();
  EXPECT_TRUE(before["database"]["backend"].contains("reads")) << before.dump();

  must_put(*store, "w", {{"n", 1}});
  ASSERT_TRUE(store->get("workflows", "w").is_ok());  // miss: read from the database
  ASSERT_TRUE(store->get("workflows", "w").is_ok());  // hit
  ASSERT_TRUE(store->get("workflows", "w").is_ok());  // hit
  EXPECT_EQ(store->get("workflows", "none").status().code(), Code::kNotFound);  // miss
  must(store->query({{"collection", "workflows"}}));

  Json after = stats(*store);
  auto delta = [&](const std::string& path) {
    return counter(after, path) - counter(before, path);
  };
  EXPECT_EQ(delta("/memory/hits"), 2) << after.dump();
  EXPECT_EQ(delta("/memory/misses"), 2) << after.dump();
  EXPECT_EQ(delta("/memory/reads"), 4) << after.dump();
  EXPECT_EQ(delta("/memory/writes"), 1) << "one record cached: " << after.dump();
  EXPECT_EQ(counter(after, "/memory/entries"), 1) << after.dump();
  EXPECT_EQ(delta("/database/reads"), 3) << "two misses and a query: " << after.dump();
  EXPECT_EQ(delta("/database/writes"), 1) << after.dump();
  EXPECT_EQ(delta("/database/errors"), 0) << "a missing document is no database error";
  EXPECT_EQ(delta("/reads"), 4) << "served reads; the missing one is an error: " << after.dump();
  EXPECT_EQ(delta("/writes"), 1) << after.dump();
  EXPECT_EQ(delta("/errors"), 1) << after.dump();

  // In memory-only mode the memory tier serves everything and holds every document.
  Json memory_only = set_mode(*store, "memory-only");
  EXPECT_EQ(memory_only["mode"], "memory-only");
  EXPECT_EQ(memory_only["durable"], false);
  EXPECT_EQ(counter(memory_only, "/memory/entries"), 1) << memory_only.dump();
  must_put(*store, "m", {{"n", 2}});
  ASSERT_TRUE(store->get("workflows", "m").is_ok());
  Json last = stats(*store);
  EXPECT_EQ(counter(last, "/memory/writes") - counter(memory_only, "/memory/writes"), 1);
  EXPECT_EQ(counter(last, "/memory/hits") - counter(memory_only, "/memory/hits"), 1);
  EXPECT_EQ(counter(last, "/database/writes"), counter(memory_only, "/database/writes"))
      << "nothing reaches the database in memory-only mode";
  EXPECT_EQ(counter(last, "/memory/entries"), 2) << last.dump();
}

TEST_F(DualBackend, TheCacheIsBoundedAndEvictsTheLeastRecentlyUsed) {
  auto store = fresh("dual", /*cache_entries=*/1);
  ASSERT_TRUE(store);
  must_put(*store, "a", {{"doc", "a"}});
  must_put(*store, "b", {{"doc", "b"}});
  auto get_doc = [&](const std::string& id) {
    auto r = store->get("workflows", id);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (r) {
      EXPECT_EQ(r->body["doc"], id);
    }
  };
  Json s0 = stats(*store);
  get_doc("a");  // miss
  get_doc("a");  // hit
  get_doc("b");  // miss, evicts a
  get_doc("b");  // hit
  get_doc("a");  // miss again, evicts b
  Json s1 = stats(*store);
  EXPECT_EQ(counter(s1, "/memory/hits") - counter(s0, "/memory/hits"), 2) << s1.dump();
  EXPECT_EQ(counter(s1, "/memory/misses") - counter(s0, "/memory/misses"), 3) << s1.dump();
  EXPECT_EQ(counter(s1, "/memory/evictions") - counter(s0, "/memory/evictions"), 2) << s1.dump();
  EXPECT_EQ(counter(s1, "/memory/entries"), 1) << s1.dump();

  // A larger bound is kept however many documents are read, and every read is right.
  auto wide = fresh("dual", /*cache_entries=*/5);
  ASSERT_TRUE(wide);
  for (int i = 0; i < 40; ++i) must_put(*wide, "d" + std::to_string(i), {{"i", i}});
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 40; ++i) {
      auto r = wide->get("workflows", "d" + std::to_string(i));
      ASSERT_TRUE(r.is_ok()) << r.status().to_string();
      EXPECT_EQ(r->body["i"], i);
    }
  Json s2 = stats(*wide);
  EXPECT_LE(counter(s2, "/memory/entries"), 5) << s2.dump();
  EXPECT_EQ(counter(s2, "/memory/evictions"),
            counter(s2, "/memory/writes") - counter(s2, "/memory/entries"))
      << s2.dump();
  EXPECT_GE(counter(s2, "/memory/evictions"), 70) << s2.dump();
}

TEST_F(DualBackend, AGetAfterAnAcknowledgedWriteNeverReturnsOlderData) {
  auto store = fresh("dual", /*cache_entries=*/8);
  ASSERT_TRUE(store);
  constexpr int kVersions = 200;
  std::atomic<int64_t> acknowledged{0};  // of document "x", by its one writer
  std::atomic<bool> done{false};
  std::mutex mu;
  std::vector<std::string> problems;
  auto problem = [&](std::string p) {
    std::lock_guard lock(mu);
    if (problems.size() < 10) problems.push_back(std::move(p));
  };
  ASSERT_EQ(must_put(*store, "x", {{"v", 1}}, 0), 1);
  acknowledged = 1;
  std::vector<std::thread> threads;
  // Readers of x: a get that starts after a write was acknowledged sees that write or a later.
  for (int r = 0; r < 3; ++r)
    threads.emplace_back([&] {
      while (!done) {
        const int64_t floor = acknowledged.load();
        auto rec = store->get("workflows", "x");
        if (!rec) {
          problem("get x: " + rec.status().to_string());
        } else if (rec->version < floor || rec->body["v"] != rec->version) {
          problem("got x at version " + std::to_string(rec->version) + " with body " +
                  rec->body.dump() + " after version " + std::to_string(floor) +
                  " was acknowledged");
        }
      }
    });
  // Writers of y, all at once: each reads its own write back.
  for (int w = 0; w < 3; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < 60; ++i) {
        auto v = store->write(put_of("y", {{"writer", w}, {"i", i}}));
        if (!v) {
          problem("write y: " + v.status().to_string());
          continue;
        }
        auto rec = store->get("workflows", "y");
        if (!rec || rec->version < (*v)[0])
          problem("y read back below its acknowledged version " + std::to_string((*v)[0]));
      }
    });
  for (int64_t v = 2; v <= kVersions; ++v) {
    auto r = store->write(put_of("x", {{"v", v}}, v - 1));
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    acknowledged = v;
  }
  done = true;
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems.front();

  // What the cache holds for y is what the database holds.
  auto cached = store->get("workflows", "y");
  auto direct = Storage::open(plugins(), "dual", config("database-only"));
  ASSERT_TRUE(direct.is_ok()) << direct.status().to_string();
  auto stored = (*direct)->get("workflows", "y");
  ASSERT_TRUE(cached.is_ok() && stored.is_ok());
  EXPECT_EQ(cached->version, 180);
  EXPECT_EQ(cached->version, stored->version);
  EXPECT_EQ(cached->body, stored->body);
}

TEST_F(DualBackend, ClaimsRefreshTheCachedRecordsOfClaimedJobs) {
  auto store = fresh("dual");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write({{"writes", {{{"op", "put"}, {"collection", "jobs"}, {"id", "j"},
                                         {"body", {{"task", 1}}},
                                         {"index", {{"state", "ready"}, {"runAt", 5}}}}}}})
                  .is_ok());
  auto before = store->get("jobs", "j");  // cached now
  ASSERT_TRUE(before.is_ok());
  ASSERT_EQ(store->get("jobs", "j")->version, 1);
  Json claimed = must(store->claim(
      {{"collection", "jobs"}, {"owner", "w1"}, {"now", 10}, {"leaseMs", 1000}}));
  ASSERT_EQ(claimed["items"].size(), 1u) << claimed.dump();
  auto after = store->get("jobs", "j");
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->index["state"], "claimed");
  EXPECT_EQ(after->index["owner"], "w1");
  EXPECT_EQ(after->index["leaseUntil"], 1010);
}

TEST_F(DualBackend, DatabaseOnlyLeavesNoStaleEntryForTheWayBack) {
  auto store = fresh("dual");
  ASSERT_TRUE(store);
  must_put(*store, "w", {{"n", 1}});
  ASSERT_EQ(store->get("workflows", "w")->body["n"], 1);  // cached
  set_mode(*store, "database-only");
  EXPECT_EQ(counter(stats(*store), "/memory/entries"), 0);
  must_put(*store, "w", {{"n", 2}}, 1);
  EXPECT_EQ(store->get("workflows", "w")->body["n"], 2);
  set_mode(*store, "dual");
  auto rec = store->get("workflows", "w");
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->version, 2);
  EXPECT_EQ(rec->body["n"], 2);
}

TEST_F(DualBackend, MemoryOnlyKeepsWritesFromTheDatabaseUntilSwitchedBack) {
  auto seeded = fresh("dual");
  ASSERT_TRUE(seeded);
  must_put(*seeded, "kept", {{"n", 1}});
  must_put(*seeded, "changed", {{"n", 1}});
  must_put(*seeded, "deleted", {{"n", 1}});
  must_put(*seeded, "recreated", {{"n", 1}});
  must_put(*seeded, "recreated", {{"n", 2}});
  seeded.reset();

  auto store = Storage::open(plugins(), "dual", config("memory-only"));
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  EXPECT_EQ(stats(**store)["durable"], false);
  // The memory tier starts with the database's documents, versions included.
  auto kept = (*store)->get("workflows", "kept");
  ASSERT_TRUE(kept.is_ok()) << kept.status().to_string();
  EXPECT_EQ(kept->version, 1);
  for (int n = 2; n <= 4; ++n) must_put(**store, "changed", {{"n", n}}, n - 1);
  must_put(**store, "created", {{"n", 1}}, 0);
  must_put(**store, "created", {{"n", 2}}, 1);
  ASSERT_TRUE((*store)->write({{"writes", {{{"op", "delete"}, {"collection", "workflows"},
                                            {"id", "deleted"}, {"expectedVersion", 1}}}}})
                  .is_ok());
  ASSERT_TRUE((*store)->write({{"writes", {{{"op", "delete"}, {"collection", "workflows"},
                                            {"id", "recreated"}, {"expectedVersion", 2}}}}})
                  .is_ok());
  EXPECT_EQ(must_put(**store, "recreated", {{"n", 3}}, 0), 1);

  auto direct = Storage::open(plugins(), "dual", config("database-only"));
  ASSERT_TRUE(direct.is_ok()) << direct.status().to_string();
  EXPECT_EQ((*direct)->get("workflows", "changed")->version, 1) << "memory-only wrote through";
  EXPECT_EQ((*direct)->get("workflows", "created").status().code(), Code::kNotFound);

  Json switched = set_mode(**store, "dual");
  EXPECT_EQ(switched["mode"], "dual");
  EXPECT_EQ(switched["durable"], true);
  auto changed = (*direct)->get("workflows", "changed");
  ASSERT_TRUE(changed.is_ok()) << changed.status().to_string();
  EXPECT_EQ(changed->version, 4) << "the version written in memory is kept";
  EXPECT_EQ(changed->body["n"], 4);
  EXPECT_EQ(changed->index, Json({{"name", "changed"}}));
  auto created = (*direct)->get("workflows", "created");
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  EXPECT_EQ(created->version, 2);
  EXPECT_EQ(created->body["n"], 2);
  EXPECT_EQ((*direct)->get("workflows", "deleted").status().code(), Code::kNotFound);
  auto recreated = (*direct)->get("workflows", "recreated");
  ASSERT_TRUE(recreated.is_ok()) << recreated.status().to_string();
  EXPECT_EQ(recreated->version, 1) << "created again in memory: the database's copy is replaced";
  EXPECT_EQ(recreated->body["n"], 3);
  EXPECT_EQ((*direct)->get("workflows", "kept")->version, 1) << "unchanged documents stay";
  // Conditional writes go on from the versions clients saw in memory-only mode.
  EXPECT_EQ(must_put(**store, "changed", {{"n", 5}}, 4), 5);
}

// The context of a storage call made straight through the ABI, keeping what the backend logs.
class LoggingCall : public weft_ctx {
 public:
  explicit LoggingCall(const PluginHost& plugins) : plugins_(plugins) {}
  void log(weft_log_level level, std::string_view message) override {
    logs.emplace_back(level, std::string(message));
  }
  const weft_storage_backend* storage_backend(std::string_view name) override {
    const StorageBackendType* type = plugins_.storage_backend(name);
    return type ? &type->backend : nullptr;
  }
  // Whether a warning containing `needle` was logged.
  bool warned(const std::string& needle) const {
    for (const auto& [level, message] : logs)
      if (level == WEFT_LOG_WARN && message.find(needle) != std::string::npos) return true;
    return false;
  }
  std::vector<std::pair<weft_log_level, std::string>> logs;

 private:
  const PluginHost& plugins_;
};

const weft_value* as_value(const Json& j) { return reinterpret_cast<const weft_value*>(&j); }

TEST_F(DualBackend, MemoryOnlyWarnsThroughTheHostLogThatNothingIsDurable) {
  const StorageBackendType* dual = plugins().storage_backend("dual");
  ASSERT_NE(dual, nullptr);
  for (const char* mode : {"dual", "memory-only"}) {
    const Json cfg = config(mode);
    LoggingCall open_call(plugins());
    void* store = nullptr;
    ASSERT_EQ(dual->backend.open(&open_call, as_value(cfg), &store), WEFT_OK)
        << open_call.error_message;
    EXPECT_EQ(open_call.warned("nothing is durable"), std::string(mode) == "memory-only") << mode;
    // Switching to memory-only warns too; the other way does not.
    const std::string other = std::string(mode) == "dual" ? "memory-only" : "dual";
    const Json to = {{"op", "setMode"}, {"mode", other}};
    LoggingCall switch_call(plugins());
    weft_value* answer = nullptr;
    ASSERT_EQ(dual->backend.admin(store, &switch_call, as_value(to), &answer), WEFT_OK)
        << switch_call.error_message;
    EXPECT_EQ(switch_call.warned("nothing is durable"), std::string(mode) == "dual") << mode;
    dual->backend.close(store);
  }
}

TEST_F(DualBackend, SetModeNamesAnUnknownMode) {
  auto store = fresh("dual");
  ASSERT_TRUE(store);
  for (const Json& mode : {Json("fast"), Json(3), Json(nullptr)}) {
    auto r = store->admin({{"op", "setMode"}, {"mode", mode}});
    ASSERT_FALSE(r.is_ok()) << mode.dump();
    EXPECT_EQ(r.status().code(), Code::kInvalid);
    EXPECT_NE(r.status().message().find("mode"), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(stats(*store)["mode"], "dual");
  auto unknown = store->admin({{"op", "explode"}});
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("setMode"), std::string::npos);
}

TEST_F(DualBackend, ModeSwitchesUnderAConcurrentWriteLoadLoseNothing) {
  auto store = fresh("dual", /*cache_entries=*/16);
  ASSERT_TRUE(store);
  constexpr int kWriters = 4;
  constexpr int kDocuments = 3;  // per writer
  struct Acked {
    int64_t version = 0;
    int64_t n = 0;
  };
  // acked[w][d]: the last acknowledged write of writer w's document d (only w writes it).
  std::vector<std::vector<Acked>> acked(kWriters, std::vector<Acked>(kDocuments));
  std::atomic<int64_t> total{0};
  std::atomic<bool> done{false};
  std::mutex mu;
  std::vector<std::string> problems;
  auto problem = [&](std::string p) {
    std::lock_guard lock(mu);
    if (problems.size() < 10) problems.push_back(std::move(p));
  };
  auto id_of = [](int w, int d) { return "w" + std::to_string(w) + "-" + std::to_string(d); };
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      for (int64_t n = 1; !done; ++n) {
        const int d = static_cast<int>(n % kDocuments);
        const std::string id = id_of(w, d);
        Acked& last = acked[w][d];
        // Conditional on the last acknowledged version: a lost or reordered write conflicts.
        auto v = store->write(put_of(id, {{"writer", w}, {"n", n}}, last.version));
        if (!v) {
          problem("write " + id + " n=" + std::to_string(n) + ": " + v.status().to_string());
          continue;
        }
        last = {(*v)[0], n};
        ++total;
        auto rec = store->get("workflows", id);
        if (!rec || rec->version < last.version)
          problem("read " + id + " back below version " + std::to_string(last.version));
      }
    });
  // Every transition between the three modes, twice, each after the writers made progress.
  const char* modes[] = {"memory-only", "dual", "database-only", "memory-only", "database-only",
                         "dual"};
  for (int round = 0; round < 2; ++round)
    for (const char* mode : modes) {
      const int64_t start = total.load();
      for (int spins = 0; total.load() < start + 25 && spins < 60000; ++spins)
        std::this_thread::sleep_for(1ms);
      ASSERT_GE(total.load(), start + 25) << "the writers are stuck before switching to " << mode;
      Json switched = set_mode(*store, mode);
      EXPECT_EQ(switched["mode"], mode);
    }
  done = true;
  for (std::thread& t : writers) t.join();
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems.front();

  set_mode(*store, "database-only");
  auto direct = Storage::open(plugins(), "dual", config("database-only"));
  ASSERT_TRUE(direct.is_ok()) << direct.status().to_string();
  for (const Storage* reader : {store.get(), direct->get()})
    for (int w = 0; w < kWriters; ++w)
      for (int d = 0; d < kDocuments; ++d) {
        auto rec = reader->get("workflows", id_of(w, d));
        ASSERT_TRUE(rec.is_ok()) << id_of(w, d) << ": " << rec.status().to_string();
        EXPECT_EQ(rec->version, acked[w][d].version) << id_of(w, d);
        EXPECT_EQ(rec->body["n"], acked[w][d].n) << id_of(w, d);
      }
}

// The storage plugins of the build tree plus dual-test-latch (dual_latch_backend.cpp), whose
// next get or write a test can hold to order a dual store's calls.
const PluginHost& latch_plugins() {
  static const PluginHost* host = [] {
    auto* h = new PluginHost();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(WEFT_PLUGIN_OUTPUT_DIR, ec)) {
      std::string file = entry.path().filename().string();
      if (file.rfind("weft_storage_", 0) == 0 && entry.path().extension() == ".so")
        h->load_file(entry.path().string());
    }
    h->load_file(WEFT_DUAL_LATCH_PLUGIN);
    return h;
  }();
  return *host;
}

// A dual store over dual-test-latch, and a store of that backend whose admin drives the latch.
struct Latched {
  std::unique_ptr<Storage> dual;
  std::unique_ptr<Storage> latch;
};

Latched open_latched() {
  Latched out;
  auto dual = Storage::open(latch_plugins(), "dual",
                            {{"collections", standard_collections()},
                             {"database", "dual-test-latch"},
                             {"mode", "dual"}});
  EXPECT_TRUE(dual.is_ok()) << dual.status().to_string();
  auto latch = Storage::open(latch_plugins(), "dual-test-latch",
                             {{"collections", standard_collections()}});
  EXPECT_TRUE(latch.is_ok()) << latch.status().to_string();
  if (dual && latch) {
    out.dual = std::move(*dual);
    out.latch = std::move(*latch);
  }
  return out;
}

void drive(const Storage& latch, const char* op) { must(latch.admin({{"op", op}})); }

TEST_F(DualBackend, ARecordReadBeforeAWriteIsNotCachedAfterIt) {
  Latched s = open_latched();
  ASSERT_TRUE(s.dual && s.latch);
  must_put(*s.dual, "x", {{"v", 1}});
  drive(*s.latch, "holdNextGet");
  std::thread reader([&] {
    auto r = s.dual->get("workflows", "x");  // a miss: reads version 1, then waits
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  });
  drive(*s.latch, "awaitHeld");
  EXPECT_EQ(must_put(*s.dual, "x", {{"v", 2}}, 1), 2);
  drive(*s.latch, "release");  // the reader now offers version 1 to the cache
  reader.join();
  auto after = s.dual->get("workflows", "x");
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_EQ(after->version, 2) << "a record read before an acknowledged write was cached";
  EXPECT_EQ(after->body["v"], 2);
}

TEST_F(DualBackend, NothingIsCachedForADocumentWhileItsWriteIsInFlight) {
  Latched s = open_latched();
  ASSERT_TRUE(s.dual && s.latch);
  must_put(*s.dual, "x", {{"v", 1}});
  ASSERT_EQ(s.dual->get("workflows", "x")->version, 1);  // cached
  drive(*s.latch, "holdNextWrite");
  std::thread writer([&] { EXPECT_EQ(must_put(*s.dual, "x", {{"v", 2}}, 1), 2); });
  drive(*s.latch, "awaitHeld");  // the write has begun and waits before the database applies it
  auto during = s.dual->get("workflows", "x");  // unacknowledged: the old version is right
  ASSERT_TRUE(during.is_ok()) << during.status().to_string();
  EXPECT_EQ(during->version, 1);
  drive(*s.latch, "release");
  writer.join();
  auto after = s.dual->get("workflows", "x");
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_EQ(after->version, 2) << "a record cached during a write outlived it";
}

TEST_F(DualBackend, ARecordReadBeforeAClaimIsNotCachedAfterIt) {
  Latched s = open_latched();
  ASSERT_TRUE(s.dual && s.latch);
  ASSERT_TRUE(s.dual->write({{"writes", {{{"op", "put"}, {"collection", "jobs"}, {"id", "j"},
                                          {"body", Json::object()},
                                          {"index", {{"state", "ready"}, {"runAt", 1}}}}}}})
                  .is_ok());
  drive(*s.latch, "holdNextGet");
  std::thread reader([&] { EXPECT_TRUE(s.dual->get("jobs", "j").is_ok()); });
  drive(*s.latch, "awaitHeld");
  Json claimed = must(s.dual->claim(
      {{"collection", "jobs"}, {"owner", "w"}, {"now", 5}, {"leaseMs", 100}}));
  ASSERT_EQ(claimed["items"].size(), 1u);
  drive(*s.latch, "release");
  reader.join();
  auto after = s.dual->get("jobs", "j");
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->index["state"], "claimed");
}

TEST_F(DualBackend, ASwitchWaitsForTheWriteInProgress) {
  Latched s = open_latched();
  ASSERT_TRUE(s.dual && s.latch);
  must_put(*s.dual, "x", {{"v", 1}});
  drive(*s.latch, "holdNextWrite");
  std::thread writer([&] { EXPECT_EQ(must_put(*s.dual, "x", {{"v", 2}}, 1), 2); });
  drive(*s.latch, "awaitHeld");
  // A switch to memory-only loads the database's documents: were it not to wait for the held
  // write, it would load version 1 and lose version 2 once the write is acknowledged.
  std::thread switcher([&] { EXPECT_EQ(set_mode(*s.dual, "memory-only")["mode"], "memory-only"); });
  std::this_thread::sleep_for(50ms);  // lets the switch reach the barrier (not needed to pass)
  drive(*s.latch, "release");
  writer.join();
  switcher.join();
  auto rec = s.dual->get("workflows", "x");
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->version, 2);
  EXPECT_EQ(rec->body["v"], 2);
}

TEST_F(DualBackend, APostgresOutageRefusesWritesAndServesCachedReads) {
  OwnPostgres server;
  ASSERT_TRUE(server.started()) << "pg/start.sh could not start PostgreSQL";
  Json cfg = {{"collections", standard_collections()},
              {"autoMigrate", true},
              {"database", "postgres"},
              {"databaseOptions", {{"url", server.url()}, {"connectTimeoutMs", 1000}}},
              {"mode", "dual"}};
  auto opened = Storage::open(plugins(), "dual", cfg);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  const Storage& store = **opened;
  constexpr int kCached = 10;
  for (int i = 0; i < kCached; ++i) {
    must_put(store, "cached-" + std::to_string(i), {{"i", i}});
    ASSERT_TRUE(store.get("workflows", "cached-" + std::to_string(i)).is_ok());
  }
  must_put(store, "uncached", {{"i", -1}});

  // Writers create documents of their own, one write each, and keep what was answered.
  constexpr int kWriters = 3;
  std::vector<std::vector<std::string>> acknowledged(kWriters);
  std::vector<std::vector<std::string>> refused(kWriters);
  std::atomic<int64_t> acks{0};
  std::atomic<bool> done{false};
  std::mutex mu;
  std::vector<std::string> wrong_codes;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      for (int n = 0; !done; ++n) {
        const std::string id = "load-" + std::to_string(w) + "-" + std::to_string(n);
        auto v = store.write(put_of(id, {{"w", w}, {"n", n}}, 0));
        if (v) {
          acknowledged[w].push_back(id);
          ++acks;
          continue;
        }
        refused[w].push_back(id);
        if (v.status().code() != Code::kUnavailable) {
          std::lock_guard lock(mu);
          wrong_codes.push_back(id + ": " + v.status().to_string());
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  auto wait_for_acks = [&](int64_t target) {
    for (int spins = 0; acks.load() < target && spins < 60000; ++spins)
      std::this_thread::sleep_for(1ms);
    return acks.load() >= target;
  };
  ASSERT_TRUE(wait_for_acks(30)) << "no write was acknowledged before the outage";

  ASSERT_TRUE(server.stop());
  const int64_t acks_at_stop = acks.load();
  for (int i = 0; i < kCached; ++i) {
    auto rec = store.get("workflows", "cached-" + std::to_string(i));
    ASSERT_TRUE(rec.is_ok()) << "a cached get during the outage: " << rec.status().to_string();
    EXPECT_EQ(rec->body["i"], i);
  }
  EXPECT_EQ(store.get("workflows", "uncached").status().code(), Code::kUnavailable);
  auto during = store.write(put_of("during-outage", {{"n", 0}}, 0));
  ASSERT_FALSE(during.is_ok()) << "a write was acknowledged while the database was down";
  EXPECT_EQ(during.status().code(), Code::kUnavailable) << during.status().to_string();
  EXPECT_EQ(store.admin({{"op", "ping"}}).status().code(), Code::kUnavailable);
  Json outage = stats(store);
  EXPECT_GT(counter(outage, "/database/errors"), 0) << outage.dump();

  ASSERT_TRUE(server.start());
  ASSERT_TRUE(wait_for_acks(acks_at_stop + 30)) << "no write was acknowledged after the restart";
  done = true;
  for (std::thread& t : writers) t.join();
  EXPECT_TRUE(wrong_codes.empty()) << wrong_codes.size()
                                   << " writes refused with another code than unavailable, first: "
                                   << wrong_codes.front();
  size_t refusals = 0;
  for (const auto& r : refused) refusals += r.size();
  EXPECT_GT(refusals, 0u) << "the writers never met the outage";

  // Every acknowledged write is in the database, as read by a store without a cache.
  Json direct_cfg = cfg;
  direct_cfg["mode"] = "database-only";
  auto direct = Storage::open(plugins(), "dual", direct_cfg);
  ASSERT_TRUE(direct.is_ok()) << direct.status().to_string();
  for (int w = 0; w < kWriters; ++w)
    for (const std::string& id : acknowledged[w]) {
      auto rec = (*direct)->get("workflows", id);
      ASSERT_TRUE(rec.is_ok()) << "acknowledged " << id << " is missing: "
                               << rec.status().to_string();
      EXPECT_EQ(rec->body["w"], w);
    }

  // Leaving memory-only needs the database: while it is down the switch fails, the mode and
  // what was written in memory stay, and the next switch writes it.
  set_mode(store, "memory-only");
  must_put(store, "in-memory", {{"n", 1}}, 0);
  ASSERT_TRUE(server.stop());
  auto refused_switch = store.admin({{"op", "setMode"}, {"mode", "dual"}});
  ASSERT_FALSE(refused_switch.is_ok());
  EXPECT_EQ(refused_switch.status().code(), Code::kUnavailable)
      << refused_switch.status().to_string();
  EXPECT_EQ(stats(store)["mode"], "memory-only");
  EXPECT_EQ(store.get("workflows", "in-memory")->version, 1);
  ASSERT_TRUE(server.start());
  EXPECT_EQ(set_mode(store, "dual")["mode"], "dual");
  auto flushed = (*direct)->get("workflows", "in-memory");
  ASSERT_TRUE(flushed.is_ok()) << flushed.status().to_string();
  EXPECT_EQ(flushed->version, 1);
}

}  // namespace
}  // namespace weft::contract
