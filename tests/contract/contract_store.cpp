#include "contract_store.hpp"

#include <weft/runtime/storage_setup.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace weft::contract {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string trimmed(std::string s) {
  const char* space = " \t\r\n";
  s.erase(s.find_last_not_of(space) + 1);
  s.erase(0, s.find_first_not_of(space));
  return s;
}

// The PostgreSQL URL for tests, or "" when none is configured.
std::string postgres_url() {
  std::string url = env("WEFT_TEST_PG_URL");
  if (!url.empty()) return url;
  std::string file = env("WEFT_TEST_PG_URL_FILE");
  if (file.empty()) return "";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return trimmed(text.str());
}

}  // namespace

std::string backend_name() {
  std::string name = env("WEFT_CONTRACT_BACKEND");
  return name.empty() ? "memory" : name;
}

std::string dual_database() {
  std::string name = env("WEFT_CONTRACT_DUAL_DATABASE");
  return name.empty() ? "sqlite" : name;
}

std::string dual_mode() {
  std::string mode = env("WEFT_CONTRACT_DUAL_MODE");
  return mode.empty() ? "dual" : mode;
}

const PluginHost& plugins() {
  static const PluginHost* host = [] {
    auto* h = new PluginHost();
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(WEFT_PLUGIN_OUTPUT_DIR, ec)) {
      std::string file = entry.path().filename().string();
      // A refused plugin is kept in refused() and reported when its backend fails to open.
      if (file.rfind("weft_storage_", 0) == 0 && entry.path().extension() == ".so")
        h->load_file(entry.path().string());
    }
    return h;
  }();
  return *host;
}

Json standard_collections() {
  return Json::parse(R"({
    "executions": {"strings": ["workflowId", "status"], "ints": ["startedAt"]},
    "workflows": {"strings": ["name", "owner"], "ints": ["updatedAt"]},
    "jobs": {"strings": ["state", "owner"], "ints": ["runAt", "leaseUntil"]}
  })");
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("weft-contract-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Json database_options(const TempDir& dir, const std::string& database) {
  if (database == "sqlite") return {{"path", (dir.path() / "store.db").string()}};
  if (database == "postgres") return {{"url", postgres_url()}};
  return Json::object();
}

Json store_config(const TempDir& dir, const Json& collections, bool auto_migrate) {
  Json config = {{"collections", collections}, {"autoMigrate", auto_migrate}};
  std::string backend = backend_name();
  if (backend == "dual") {
    config["database"] = dual_database();
    config["databaseOptions"] = database_options(dir, dual_database());
    config["mode"] = dual_mode();
  } else {
    config.update(database_options(dir, backend));
  }
  std::string extra = env("WEFT_CONTRACT_CONFIG");
  if (!extra.empty()) config.update(Json::parse(extra));
  return config;
}

Result<std::unique_ptr<Storage>> open_clean_store(const Json& config) {
  auto store = Storage::open(plugins(), backend_name(), config);
  if (!store) {
    std::string refusals;
    for (const RefusedPlugin& r : plugins().refused()) refusals += "; refused " + r.reason;
    return Status(store.status().code(), store.status().message() + refusals);
  }
  if (auto migrated = (*store)->admin({{"op", "migrate"}}); !migrated) return migrated.status();
  for (const auto& [collection, decl] : config["collections"].items()) {
    while (true) {
      auto page = (*store)->query({{"collection", collection}, {"limit", 1000}});
      if (!page) return page.status();
      if ((*page)["items"].empty()) break;
      Json writes = Json::array();
      for (const auto& item : (*page)["items"])
        writes.push_back({{"op", "delete"}, {"collection", collection}, {"id", item["id"]}});
      if (auto done = (*store)->write({{"writes", writes}}); !done) return done.status();
    }
  }
  return store;
}

void ContractTest::SetUp() {
  config_ = store_config(dir_, standard_collections());
  auto store = open_clean_store(config_);
  ASSERT_TRUE(store.is_ok()) << "cannot open storage backend '" << backend_name()
                             << "': " << store.status().to_string();
  store_ = std::move(*store);
}

int64_t ContractTest::put(const std::string& collection, const std::string& id, const Json& body,
                          const Json& index) {
  auto versions = write_one(
      {{"op", "put"}, {"collection", collection}, {"id", id}, {"body", body}, {"index", index}});
  EXPECT_TRUE(versions.is_ok()) << versions.status().to_string();
  return versions && versions->size() == 1 ? (*versions)[0] : 0;
}

Result<std::vector<int64_t>> ContractTest::write_one(const Json& write) {
  return store_->write({{"writes", Json::array({write})}});
}

Json ContractTest::must_query(const Json& query) {
  auto page = store_->query(query);
  EXPECT_TRUE(page.is_ok()) << page.status().to_string() << " for " << query.dump();
  return page ? *page : Json::object();
}

void DomainStoreTest::SetUp() {
  auto store = open_clean_store(store_config(dir_, domain_collections()));
  ASSERT_TRUE(store.is_ok()) << "cannot open storage backend '" << backend_name()
                             << "': " << store.status().to_string();
  store_ = std::move(*store);
}

}  // namespace weft::contract
