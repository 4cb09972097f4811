// The integration harness: runs the real `weft` binary (WEFT_BINARY) and talks to it over real
// sockets.
//
//   WeftServer server;                       // `weft serve --port 0` in a fresh temp folder
//   auto r = server.get("/health");
//   EXPECT_EQ(r.status, 200);
//   EXPECT_EQ(r.json()["status"], "ok");
//   EXPECT_EQ(server.stop(), 0);             // SIGTERM; the exit code
//
// A server that exits or does not print its listening line within ServeOptions::start_timeout
// makes the constructor throw std::runtime_error carrying the process's stderr, which fails
// the test with that text. The child's environment is the test's minus every WEFT_* variable,
// plus ServeOptions::env; its working directory is its temp folder.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::test {

using Json = nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

// A response as received.
struct HttpResult {
  int status = 0;  // 0: no response (the connection failed or closed first; see error)
  std::string reason;
  Headers headers;
  std::string body;
  std::string error;  // why there is no (complete) response

  // The first value of header `name` (case-insensitive), or "".
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The body as JSON; throws std::runtime_error quoting the body when it is not JSON.
  Json json() const;
};

// A fresh temporary folder, removed with its content by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A child process with its stdout and stderr captured.
class Process {
 public:
  // Starts `program args...` in `cwd` with the test's environment minus WEFT_* plus `env`.
  // Throws std::runtime_error when it cannot be started.
  Process(const std::string& program, const std::vector<std::string>& args,
          const std::map<std::string, std::string>& env, const std::string& cwd);
  // Kills the process (SIGKILL) when it still runs.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  int pid() const { return pid_; }
  // Sends `signal` (SIGTERM by default).
  void signal(int signal);
  // Waits for the exit up to `timeout`; returns the exit code (128 + N when killed by signal
  // N), or nullopt when it still runs.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  // Waits until stdout has a line containing `needle` (returns it) or the process exits or
  // `timeout` passes (returns nullopt).
  std::optional<std::string> wait_for_stdout_line(std::string_view needle, std::chrono::milliseconds timeout);
  std::string stdout_text() const;
  std::string stderr_text() const;

 private:
  struct Capture;
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::unique_ptr<Capture> capture_;
};

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `weft args...` to its end (for runs that should exit: --print-routes, a refused start).
// A run still going after `timeout` is killed and reported with exit code -1.
ProcessResult run_weft(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                       const std::string& cwd = "", std::chrono::seconds timeout = std::chrono::seconds(60));

struct ServeOptions {
  // --port N; nullopt passes no --port (so the file or environment decides).
  std::optional<int> port = 0;
  // --data DIR; empty: "<temp folder>/data". nullopt passes no --data.
  std::optional<std::string> data_dir = std::string();
  // Written to "<temp folder>/weft.json" and passed as --config when set.
  std::optional<Json> config;
  std::map<std::string, std::string> env;  // e.g. {"WEFT_MAX_BODY_BYTES", "1024"}
  std::vector<std::string> extra_args;     // after the others
  std::chrono::seconds start_timeout{60};
};

class WeftServer {
 public:
  explicit WeftServer(ServeOptions options = {});
  // Stops the server (SIGTERM, then SIGKILL after 30 s) when still running.
  ~WeftServer();
  WeftServer(const WeftServer&) = delete;
  WeftServer& operator=(const WeftServer&) = delete;

  uint16_t port() const { return port_; }
  const std::string& host() const { return host_; }
  std::string url() const { return "http://" + host_ + ":" + std::to_string(port_); }
  // The temp folder: the process's working directory, holding weft.json and data/.
  const std::string& dir() const { return dir_.path(); }
  // The data folder passed with --data.
  const std::string& data_dir() const { return data_dir_; }
  Process& process() { return *process_; }

  // One request on a new connection (Poco HTTPClientSession). A body is sent with
  // Content-Length; add a Content-Type header yourself, or use post_json.
  HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                     const Headers& headers = {});
  HttpResult get(const std::string& path, const Headers& headers = {}) { return request("GET", path, "", headers); }
  HttpResult post_json(const std::string& path, const Json& body, Headers headers = {});
  // Sends `bytes` exactly as given on a new connection and reads one response.
  HttpResult raw(const std::string& bytes);
  // A request with a JSON body (any method) as the admin.
  HttpResult send_json(const std::string& method, const std::string& path, const Json& body,
                       Headers headers = {});

  // The API key `weft serve` created on first start (data/initial-admin-key); throws when the
  // file is missing.
  std::string admin_key() const;
  // {"X-API-Key": admin_key()}, plus `more`.
  Headers as_admin(Headers more = {}) const;

  // SIGTERM, then waits up to `timeout` for the exit; returns the exit code (-1 when it did
  // not exit in time: it is then killed).
  int stop(std::chrono::seconds timeout = std::chrono::seconds(60));

 private:
  TempDir dir_;
  std::string data_dir_;
  std::string host_ = "127.0.0.1";
  uint16_t port_ = 0;
  std::unique_ptr<Process> process_;
};

// A raw HTTP/1.1 connection for tests that need control over every byte.
// A test suite sharing one `weft serve` with default options: started before the suite's first
// test, stopped after its last, which must exit 0.
class SharedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static WeftServer* server;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends everything; false when the peer closed or reset the connection first.
  bool send(std::string_view bytes);
  // Reads one response (head, then a Content-Length body) within `timeout`.
  HttpResult read_response(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // True when the peer closes the connection (a read gives end of input or a reset) within
  // `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  int fd_ = -1;
  std::string buffered_;
};

// config/examples/<name>.json, as a client would POST it.
Json example_workflow(const std::string& name);

// Checks that `r` is a problem document (RFC 9457) of HTTP status `status` and type
// "urn:weft:problem:<slug>".
void expect_problem(const HttpResult& r, int status, const std::string& slug);

// Reads GET /api/v1/executions/{id} as the admin until its status is one of `wanted`; fails
// the test (and returns the last record) when that takes more than a minute.
Json poll_execution(WeftServer& server, const std::string& id, const std::set<std::string>& wanted);

// The stored body of document `id` of `collection` in the sqlite file under `data_dir`, read
// directly (null when there is none): what is really at rest. Throws when the file cannot be
// opened.
Json stored_document(const std::string& data_dir, const std::string& collection, const std::string& id);

// The OpenAPI path of a route template as `--print-routes` prints it (the server's own
// mapping: a rest segment "{name...}" is "{name}" there). Throws on a malformed template.
std::string openapi_path(std::string route_template);

// True when a TCP connection to 127.0.0.1:port is refused (nothing listens).
bool connection_refused(uint16_t port);

// A throwaway PostgreSQL for one test: `tests/contract/pg/start.sh` in a fresh temp folder, and
// `stop.sh` (which removes the cluster) in the destructor. With WEFT_TEST_PG_URL set in the
// test's environment, that server is used instead and nothing is started or stopped.
//
//   ThrowawayPostgres pg(WEFT_PG_SCRIPTS_DIR);
//   WeftServer server({.env = pg.serve_env()});
class ThrowawayPostgres {
 public:
  // Runs `scripts_dir`/start.sh; throws std::runtime_error carrying the script's output when it
  // fails or gives no URL.
  explicit ThrowawayPostgres(std::string scripts_dir);
  // Runs stop.sh (up to 2 minutes).
  ~ThrowawayPostgres();
  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;

  // postgresql://weft:<password>@127.0.0.1:<port>/weft_test (holds a password: never print it).
  const std::string& url() const { return url_; }
  // {WEFT_STORAGE_BACKEND: postgres, WEFT_DATABASE_URL: url()}, for ServeOptions::env.
  std::map<std::string, std::string> serve_env() const;

 private:
  std::string scripts_dir_;
  TempDir state_;
  std::string url_;
};

}  // namespace weft::test
