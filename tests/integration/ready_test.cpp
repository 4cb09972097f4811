// GET /ready against a real PostgreSQL that goes away and comes back (the throwaway cluster of
// tests/contract/pg).
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace weft::test {
namespace {

// Runs a script of tests/contract/pg; fails the test with its output when it fails.
void pg_script(const std::vector<std::string>& args) {
  Process p("/bin/bash", args, {}, "");
  auto code = p.wait(std::chrono::seconds(180));
  ASSERT_EQ(code, 0) << "bash " << args[0] << ":\n" << p.stderr_text() << p.stdout_text();
}

class PostgresCluster {
 public:
  PostgresCluster() {
    pg_script({std::string(WEFT_PG_SCRIPTS_DIR) + "/start.sh", state_.path()});
    std::ifstream(state_ / "url") >> url_;
  }
  ~PostgresCluster() {
    Process p("/bin/bash", {std::string(WEFT_PG_SCRIPTS_DIR) + "/stop.sh", state_.path()}, {}, "");
    p.wait(std::chrono::seconds(120));
  }
  const std::string& url() const { return url_; }
  void pg_ctl(const std::string& action) {
    std::vector<std::string> args{state_ / "pg_ctl.sh", action};
    if (action == "stop") args.insert(args.end(), {"-m", "fast"});
    pg_script(args);
  }

 private:
  TempDir state_;
  std::string url_;
};

TEST(Ready, Answers503WhileTheDatabaseIsUnreachable) {
  PostgresCluster pg;
  ASSERT_FALSE(pg.url().empty());
  WeftServer server({.env = {{"WEFT_STORAGE_BACKEND", "postgres"},
                             {"WEFT_DATABASE_URL", pg.url()},
                             {"WEFT_DATABASE_CONNECT_TIMEOUT_MS", "2000"}}});
  HttpResult up = server.get("/ready");
  ASSERT_EQ(up.status, 200) << up.body << up.error;
  EXPECT_EQ(up.json()["checks"]["storage"]["backend"], "postgres");
  // Each dependency with its state and latency; the trace exporter never makes it fail.
  EXPECT_EQ(up.json()["checks"]["storage"]["status"], "ok");
  EXPECT_TRUE(up.json()["checks"]["storage"]["latencyMs"].is_number()) << up.body;
  EXPECT_GE(up.json()["checks"]["plugins"]["loaded"].get<int>(), 1) << up.body;
  EXPECT_TRUE(up.json()["checks"]["plugins"]["latencyMs"].is_number()) << up.body;
  EXPECT_EQ(up.json()["checks"]["traceExporter"]["status"], "disabled") << up.body;

  pg.pg_ctl("stop");
  HttpResult down = server.get("/ready");
  ASSERT_EQ(down.status, 503) << down.body << down.error;
  EXPECT_EQ(down.header("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_FALSE(down.header("Retry-After").empty());
  EXPECT_EQ(down.json()["type"], "urn:weft:problem:unavailable");
  EXPECT_EQ(down.json()["checks"]["storage"]["status"], "unavailable");
  EXPECT_TRUE(down.json()["checks"]["storage"]["latencyMs"].is_number()) << down.body;
  EXPECT_EQ(down.json()["checks"]["plugins"]["status"], "ok") << down.body;
  // Neither the URL (with its password) nor the driver's message reaches the client.
  std::string password = pg.url().substr(pg.url().find(':', 13) + 1);
  password = password.substr(0, password.find('@'));
  ASSERT_FALSE(password.empty());
  EXPECT_EQ(down.body.find(password), std::string::npos);
  EXPECT_EQ(down.body.find("127.0.0.1"), std::string::npos);
  // Liveness is not readiness: the process still serves.
  EXPECT_EQ(server.get("/health").status, 200);

  pg.pg_ctl("start");
  int status = 0;
  for (int i = 0; i < 120 && status != 200; ++i) {
    status = server.get("/ready").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_EQ(status, 200) << "readiness did not come back after the database restarted";
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
  EXPECT_EQ(server.process().stderr_text().find(password), std::string::npos);
}

}  // namespace
}  // namespace weft::test
