// How the contract tests reach the backend under test: which backend (WEFT_CONTRACT_BACKEND),
// its config for a fresh, empty store, and a fixture holding one such store per test.
#pragma once

#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/storage.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace weft::contract {

// The backend under test: $WEFT_CONTRACT_BACKEND (memory when unset).
std::string backend_name();

// For the dual backend: the backend behind its cache, $WEFT_CONTRACT_DUAL_DATABASE (sqlite when
// unset), and its mode, $WEFT_CONTRACT_DUAL_MODE (dual when unset).
std::string dual_database();
std::string dual_mode();

// The storage plugins of the build tree (every weft_storage_*.so in WEFT_PLUGIN_OUTPUT_DIR),
// loaded once.
const PluginHost& plugins();

// The collections every test declares: "executions" (strings workflowId, status; ints
// startedAt), "workflows" (strings name, owner; ints updatedAt) and "jobs" (strings state,
// owner; ints runAt, leaseUntil).
Json standard_collections();

// A folder under the system temp folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The options that open `database` (sqlite or postgres) on a location of its own under `dir`:
// sqlite {"path": a file in dir}; postgres {"url": $WEFT_TEST_PG_URL or the text of the file
// $WEFT_TEST_PG_URL_FILE}; other backends {}.
Json database_options(const TempDir& dir, const std::string& database);

// The config that opens the backend under test on a location of its own under `dir` (sqlite:
// a file; postgres: $WEFT_TEST_PG_URL or the text of the file $WEFT_TEST_PG_URL_FILE; dual:
// dual_database() with its database_options() in dual_mode()), with `collections` and
// autoMigrate. $WEFT_CONTRACT_CONFIG (a JSON object) is merged on top, for backends that need
// more options.
Json store_config(const TempDir& dir, const Json& collections, bool auto_migrate = true);

// Opens the backend under test with `config`, migrates it and deletes every document of the
// declared collections, so the store starts empty whatever the location held.
Result<std::unique_ptr<Storage>> open_clean_store(const Json& config);

// A test with a fresh store of the backend under test (standard_collections()). Fails, never
// skips, when the store cannot be opened.
class ContractTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Puts one document; returns its new version (0 and a test failure on error).
  int64_t put(const std::string& collection, const std::string& id, const Json& body,
              const Json& index = Json::object());
  // Writes a batch of one write.
  Result<std::vector<int64_t>> write_one(const Json& write);
  // Runs a query that must succeed.
  Json must_query(const Json& query);

  TempDir dir_;
  Json config_;
  std::unique_ptr<Storage> store_;
};

// A test with a fresh store of the backend under test holding weft's domain collections
// (domain_collections()): the base of the repository tests. Fails, never skips, when the store
// cannot be opened; a derived SetUp calls this one first and returns on HasFatalFailure().
class DomainStoreTest : public ::testing::Test {
 protected:
  void SetUp() override;

  TempDir dir_;
  std::unique_ptr<Storage> store_;
};

}  // namespace weft::contract
