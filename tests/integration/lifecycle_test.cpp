// Starting and stopping `weft serve`: configuration layers, the default config file, a schema
// newer than the binary knows, bad settings, and a graceful stop with a request in flight.
#include "weft_server.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace weft::test {
namespace {

namespace fs = std::filesystem;

bool has_db(const std::string& folder) { return fs::exists(folder + "/weft.db"); }

TEST(Lifecycle, ConfigurationLayersFlagOverEnvironmentOverFile) {
  TempDir t;
  Json file = {{"data", t / "from-file"}};
  {
    WeftServer s({.data_dir = std::nullopt, .config = file});
    EXPECT_TRUE(has_db(t / "from-file"));
  }
  {
    WeftServer s({.data_dir = std::nullopt, .config = file, .env = {{"WEFT_DATA", t / "from-env"}}});
    EXPECT_TRUE(has_db(t / "from-env"));
  }
  {
    WeftServer s({.data_dir = t / "from-flag", .config = file, .env = {{"WEFT_DATA", t / "from-env-2"}}});
    EXPECT_TRUE(has_db(t / "from-flag"));
    EXPECT_FALSE(fs::exists(t / "from-env-2"));
  }
}

TEST(Lifecycle, PortLayersFlagOverEnvironmentOverFile) {
  WeftServer taken;  // holds a port
  Json file = {{"server", {{"port", taken.port()}}}};
  // The file alone: its port is taken, so the start fails naming the address.
  TempDir t;
  std::ofstream(t / "weft.json") << file.dump();
  ProcessResult refused = run_weft({"serve", "--config", t / "weft.json", "--data", t / "data"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("cannot listen on 127.0.0.1:" + std::to_string(taken.port())), std::string::npos)
      << refused.err;
  // The environment overrides the file...
  WeftServer by_env({.port = std::nullopt, .config = file, .env = {{"WEFT_PORT", "0"}}});
  EXPECT_NE(by_env.port(), taken.port());
  // ...and the flag overrides both.
  WeftServer by_flag({.port = 0, .config = file, .env = {{"WEFT_PORT", std::to_string(taken.port())}}});
  EXPECT_NE(by_flag.port(), taken.port());
}

TEST(Lifecycle, ReadsConfigWeftJsonOfTheWorkingDirectory) {
  TempDir t;
  fs::create_directories(t / "config");
  std::ofstream(t / "config/weft.json") << Json({{"data", "data-from-default-file"}}).dump();
  Process p(WEFT_BINARY, {"serve", "--port", "0"}, {}, t.path());
  ASSERT_TRUE(p.wait_for_stdout_line("weft: listening on http://127.0.0.1:", std::chrono::seconds(60)))
      << p.stderr_text();
  EXPECT_TRUE(has_db(t / "data-from-default-file"));
  p.signal(SIGINT);
  EXPECT_EQ(p.wait(std::chrono::seconds(60)), 0) << p.stderr_text();
}

TEST(Lifecycle, NewerSchemaRefusesToStartWithOneLine) {
  TempDir t;
  {
    WeftServer s({.data_dir = t / "data"});
    ASSERT_EQ(s.stop(), 0);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((t / "data/weft.db").c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db,
                        "INSERT INTO weft_schema_migrations (version, name, applied_at) "
                        "VALUES (9999, 'from a newer weft', 0)",
                        nullptr, nullptr, &error);
  std::string why = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << why;

  ProcessResult r = run_weft({"serve", "--port", "0", "--data", t / "data"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "expected one line, got:\n" << r.err;
  EXPECT_NE(r.err.find("9999"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("newer than"), std::string::npos) << r.err;
}

TEST(Lifecycle, BadSettingsAreRefusedNamingTheSetting) {
  ProcessResult env = run_weft({"serve", "--port", "0"}, {{"WEFT_MAX_BODY_BYTES", "lots"}});
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.err.find("WEFT_MAX_BODY_BYTES"), std::string::npos) << env.err;
  ProcessResult range = run_weft({"serve", "--port", "0"}, {{"WEFT_SERVER_MAX_THREADS", "0"}});
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("server.maxThreads"), std::string::npos) << range.err;
  ProcessResult flag = run_weft({"serve", "--port", "70000"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("--port"), std::string::npos) << flag.err;
  ProcessResult missing = run_weft({"serve", "--config", "/nonexistent/weft.json"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/weft.json"), std::string::npos) << missing.err;
}

TEST(Lifecycle, SigtermLetsTheRequestInFlightFinishThenExits0) {
  WeftServer server;
  const uint16_t port = server.port();
  RawConnection busy(port), idle(port);
  // Both connections are served (each answered once), so both belong to the server's threads.
  for (RawConnection* c : {&busy, &idle}) {
    ASSERT_TRUE(c->send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(c->read_response().status, 200);
  }
  // Half a request: in flight when the signal arrives.
  ASSERT_TRUE(busy.send("GET /ready HTTP/1.1\r\nHost: x\r\n"));
  server.process().signal(SIGTERM);
  // The stop has begun once new connections are refused.
  bool refused = false;
  for (int i = 0; i < 3000 && !refused; ++i) {
    refused = connection_refused(port);
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(refused) << "the server kept accepting after SIGTERM";
  EXPECT_TRUE(idle.closed_by_peer()) << "an idle keep-alive connection should be closed at once";
  EXPECT_TRUE(server.process().running()) << "the server must wait for the request in flight";
  // The rest of the request: it is answered, and the connection closes after it.
  ASSERT_TRUE(busy.send("\r\n"));
  HttpResult r = busy.read_response();
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("Connection"), "close");
  EXPECT_EQ(server.process().wait(std::chrono::seconds(60)), 0) << server.process().stderr_text();
  EXPECT_NE(server.process().stderr_text().find("SIGTERM"), std::string::npos);
}

}  // namespace
}  // namespace weft::test
