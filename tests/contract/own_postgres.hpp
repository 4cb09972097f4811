// A throwaway PostgreSQL of a test's own, so that stopping and restarting it disturbs no other
// test (the outage tests of the postgres and dual backends).
#pragma once

#include "contract_store.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace weft::contract {

// Runs a shell command; true when it exits 0.
inline bool run_shell(const std::string& command) { return std::system(command.c_str()) == 0; }

// A throwaway PostgreSQL of the test's own (pg/start.sh), so that stopping it disturbs no other
// test; stopped and removed on destruction.
class OwnPostgres {
 public:
  OwnPostgres() : state_(dir_.path() / "pg") {
    started_ = run_shell("env -u WEFT_TEST_PG_URL bash " WEFT_PG_SCRIPTS_DIR "/start.sh " +
                   state_.string() + " > /dev/null");
  }
  ~OwnPostgres() { run_shell("bash " WEFT_PG_SCRIPTS_DIR "/stop.sh " + state_.string()); }

  bool started() const { return started_; }
  std::string url() const {
    std::ifstream in(state_ / "url");
    std::string url;
    std::getline(in, url);
    return url;
  }
  bool stop() { return pg_ctl("stop -m fast"); }
  bool start() { return pg_ctl("start"); }

 private:
  bool pg_ctl(const std::string& args) {
    return run_shell("bash " + (state_ / "pg_ctl.sh").string() + " " + args + " > /dev/null");
  }

  TempDir dir_;
  std::filesystem::path state_;
  bool started_ = false;
};

}  // namespace weft::contract
