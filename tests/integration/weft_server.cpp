#include "weft_server.hpp"

#include "http/openapi.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <arpa/inet.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace weft::test {

namespace {

using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n..." (without the empty line) into `r`.
bool parse_head(const std::string& head, HttpResult& r) {
  size_t eol = head.find("\r\n");
  std::string line = head.substr(0, eol);
  std::smatch m;
  static const std::regex status_line(R"(HTTP/1\.[01] (\d{3}) ?(.*))");
  if (!std::regex_match(line, m, status_line)) return false;
  r.status = std::stoi(m[1]);
  r.reason = m[2];
  size_t pos = eol == std::string::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string field = head.substr(pos, end - pos);
    size_t colon = field.find(':');
    if (colon != std::string::npos) {
      std::string value = field.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(field.substr(0, colon), value);
    }
    pos = end + 2;
  }
  return true;
}

}  // namespace

// ---- HttpResult ----------------------------------------------------------------------------

std::string HttpResult::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

bool HttpResult::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return true;
  return false;
}

Json HttpResult::json() const {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw std::runtime_error("response " + std::to_string(status) + " has no JSON body: '" + body.substr(0, 500) + "'" +
                             (error.empty() ? "" : " (" + error + ")"));
  return j;
}

// ---- TempDir -------------------------------------------------------------------------------

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "weft-it-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder: " + std::string(strerror(errno)));
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

// ---- Process -------------------------------------------------------------------------------

struct Process::Capture {
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::string out, err;
  bool out_done = false, err_done = false;
  std::thread out_reader, err_reader;

  void read_into(int fd, bool is_out) {
    char buffer[4096];
    while (true) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mutex);
      if (n <= 0) {
        (is_out ? out_done : err_done) = true;
        changed.notify_all();
        break;
      }
      (is_out ? out : err).append(buffer, static_cast<size_t>(n));
      changed.notify_all();
    }
    ::close(fd);
  }
};

Process::Process(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& cwd)
    : capture_(std::make_unique<Capture>()) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(strerror(errno)));
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    if (entry.rfind("WEFT_", 0) == 0) continue;
    std::string name = entry.substr(0, entry.find('='));
    if (env.count(name)) continue;
    env_strings.push_back(entry);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> all_args{program};
  all_args.insert(all_args.end(), args.begin(), args.end());
  for (auto& s : all_args) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  // The test may block signals (gtest does not, but be sure): the child starts with none.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    throw std::runtime_error("cannot start " + program + ": " + strerror(rc));
  }
  pid_ = pid;
  capture_->out_reader = std::thread([c = capture_.get(), fd = out[0]] { c->read_into(fd, true); });
  capture_->err_reader = std::thread([c = capture_.get(), fd = err[0]] { c->read_into(fd, false); });
}

Process::~Process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(30));
  }
  if (capture_->out_reader.joinable()) capture_->out_reader.join();
  if (capture_->err_reader.joinable()) capture_->err_reader.join();
}

void Process::signal(int sig) {
  if (!exit_code_) ::kill(pid_, sig);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  auto until = Clock::now() + timeout;
  while (!exit_code_) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (r < 0 && errno != EINTR) {
      exit_code_ = -1;
      break;
    }
    if (Clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // The pipes close with the process: let the readers finish so the texts are complete.
  std::unique_lock lock(capture_->mutex);
  capture_->changed.wait_for(lock, std::chrono::seconds(10), [&] { return capture_->out_done && capture_->err_done; });
  return exit_code_;
}

bool Process::running() { return !wait(std::chrono::milliseconds(0)).has_value(); }

std::optional<std::string> Process::wait_for_stdout_line(std::string_view needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(capture_->mutex);
  std::optional<std::string> found;
  auto seek = [&] {
    size_t at = capture_->out.find(needle);
    if (at == std::string::npos) return false;
    size_t start = capture_->out.rfind('\n', at);
    start = start == std::string::npos ? 0 : start + 1;
    size_t end = capture_->out.find('\n', at);
    if (end == std::string::npos) return false;  // the line is not complete yet
    found = capture_->out.substr(start, end - start);
    return true;
  };
  capture_->changed.wait_for(lock, timeout, [&] { return seek() || capture_->out_done; });
  return found;
}

std::string Process::stdout_text() const {
  std::lock_guard lock(capture_->mutex);
  return capture_->out;
}

std::string Process::stderr_text() const {
  std::lock_guard lock(capture_->mutex);
  return capture_->err;
}

ProcessResult run_weft(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       const std::string& cwd, std::chrono::seconds timeout) {
  TempDir scratch;
  Process p(WEFT_BINARY, args, env, cwd.empty() ? scratch.path() : cwd);
  ProcessResult r;
  auto code = p.wait(timeout);
  if (!code) {
    p.signal(SIGKILL);
    p.wait(std::chrono::seconds(30));
  }
  r.exit_code = code.value_or(-1);
  r.out = p.stdout_text();
  r.err = p.stderr_text();
  return r;
}

// ---- WeftServer ----------------------------------------------------------------------------

WeftServer::WeftServer(ServeOptions options) {
  std::vector<std::string> args{"serve"};
  if (options.port) args.insert(args.end(), {"--port", std::to_string(*options.port)});
  if (options.data_dir) {
    data_dir_ = options.data_dir->empty() ? dir_ / "data" : *options.data_dir;
    args.insert(args.end(), {"--data", data_dir_});
  }
  if (options.config) {
    std::ofstream(dir_ / "weft.json") << options.config->dump(2);
    args.insert(args.end(), {"--config", dir_ / "weft.json"});
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  process_ = std::make_unique<Process>(WEFT_BINARY, args, options.env, dir_.path());

  auto line = process_->wait_for_stdout_line("weft: listening on ", options.start_timeout);
  auto fail = [&](const std::string& why) {
    if (process_->running()) {
      process_->signal(SIGKILL);
      process_->wait(std::chrono::seconds(30));
    }
    std::string cmd = "weft";
    for (const auto& a : args) cmd += " " + a;
    throw std::runtime_error("`" + cmd + "` " + why + "\n--- stderr ---\n" + process_->stderr_text() +
                             "--- stdout ---\n" + process_->stdout_text());
  };
  if (!line) {
    auto code = process_->wait(std::chrono::milliseconds(0));
    if (code) fail("exited with code " + std::to_string(*code) + " before listening");
    fail("did not print its listening line within " + std::to_string(options.start_timeout.count()) + " s");
  }
  std::smatch m;
  static const std::regex listening(R"(weft: listening on http://(.+):(\d+)$)");
  if (!std::regex_match(*line, m, listening)) fail("printed an unexpected listening line: '" + *line + "'");
  host_ = m[1];
  if (host_.size() > 2 && host_.front() == '[') host_ = host_.substr(1, host_.size() - 2);
  if (host_ == "0.0.0.0") host_ = "127.0.0.1";
  port_ = static_cast<uint16_t>(std::stoi(m[2]));
}

WeftServer::~WeftServer() {
  if (process_ && process_->running()) stop(std::chrono::seconds(30));
}

HttpResult WeftServer::request(const std::string& method, const std::string& path, const std::string& body,
                               const Headers& headers) {
  HttpResult r;
  try {
    Poco::Net::HTTPClientSession session(host_, port_);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.add(k, v);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") req.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    r.status = static_cast<int>(resp.getStatus());
    r.reason = resp.getReason();
    for (const auto& [k, v] : resp) r.headers.emplace_back(k, v);
    if (method != "HEAD") Poco::StreamCopier::copyToString(in, r.body);
  } catch (const Poco::Exception& e) {
    r.error = e.displayText();
  }
  return r;
}

HttpResult WeftServer::post_json(const std::string& path, const Json& body, Headers headers) {
  headers.emplace_back("Content-Type", "application/json");
  return request("POST", path, body.dump(), headers);
}

HttpResult WeftServer::send_json(const std::string& method, const std::string& path, const Json& body,
                                 Headers headers) {
  headers.emplace_back("Content-Type", "application/json");
  return request(method, path, body.dump(), headers);
}

WeftServer* SharedServerTest::server = nullptr;

void SharedServerTest::SetUpTestSuite() { server = new WeftServer(); }

void SharedServerTest::TearDownTestSuite() {
  EXPECT_EQ(server->stop(), 0) << server->process().stderr_text();
  delete server;
  server = nullptr;
}

std::string WeftServer::admin_key() const {
  std::ifstream in(data_dir_ + "/initial-admin-key");
  std::string key;
  if (!in || !std::getline(in, key) || key.empty())
    throw std::runtime_error("no API key in " + data_dir_ + "/initial-admin-key");
  return key;
}

Headers WeftServer::as_admin(Headers more) const {
  more.emplace_back("X-API-Key", admin_key());
  return more;
}

HttpResult WeftServer::raw(const std::string& bytes) {
  RawConnection c(port_);
  if (!c.send(bytes)) {
    HttpResult r = c.read_response(std::chrono::seconds(30));
    if (r.status == 0) r.error = "the server closed the connection while the request was sent";
    return r;
  }
  return c.read_response();
}

int WeftServer::stop(std::chrono::seconds timeout) {
  if (!process_) return -1;
  process_->signal(SIGTERM);
  auto code = process_->wait(timeout);
  if (!code) {
    // A hang is the failure to explain: what the server said, and where each thread waits.
    std::cerr << "weft serve (pid " << process_->pid() << ") did not exit within " << timeout.count()
              << " s of SIGTERM; its stderr:\n"
              << process_->stderr_text() << "\n";
    if (std::system("command -v gdb >/dev/null 2>&1") == 0) {
      const std::string dump = "gdb -p " + std::to_string(process_->pid()) +
                               " -batch -ex 'thread apply all bt' 1>&2";
      (void)std::system(dump.c_str());
    }
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(30));
    return -1;
  }
  return *code;
}

Json example_workflow(const std::string& name) {
  const std::string file = std::string(WEFT_SOURCE_DIR) + "/config/examples/" + name + ".json";
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

void expect_problem(const HttpResult& r, int status, const std::string& slug) {
  EXPECT_EQ(r.status, status) << r.body << r.error;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json; charset=utf-8") << r.body;
  if (r.body.empty()) return;  // HEAD
  const Json p = r.json();
  EXPECT_EQ(p["status"], status) << r.body;
  EXPECT_EQ(p["type"], "urn:weft:problem:" + slug) << r.body;
  EXPECT_TRUE(p["title"].is_string()) << r.body;
}

Json poll_execution(WeftServer& server, const std::string& id, const std::set<std::string>& wanted) {
  Json last;
  for (int i = 0; i < 600; ++i) {
    HttpResult r = server.get("/api/v1/executions/" + id, server.as_admin());
    if (r.status == 200) {
      last = r.json();
      if (wanted.count(last.value("status", ""))) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "execution " << id << " never reached the wanted status; last: " << last.dump();
  return last;
}

Json stored_document(const std::string& data_dir, const std::string& collection, const std::string& id) {
  sqlite3* db = nullptr;
  const std::string file = data_dir + "/weft.db";
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + file);
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* stmt = nullptr;
  Json body;
  if (sqlite3_prepare_v2(db, "SELECT body FROM documents WHERE collection = ? AND id = ?", -1, &stmt, nullptr) ==
      SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, collection.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) == SQLITE_ROW) body = Json::parse(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return body;
}

std::string openapi_path(std::string route_template) {
  auto parsed = http::RouteTemplate::parse(route_template);
  if (!parsed) throw std::runtime_error(parsed.status().message());
  return http::openapi_path(*parsed);
}

// ---- RawConnection -------------------------------------------------------------------------

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + strerror(errno));
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

HttpResult RawConnection::read_response(std::chrono::milliseconds timeout) {
  HttpResult r;
  auto until = Clock::now() + timeout;
  bool eof = false;
  auto fill = [&]() {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char buffer[16384];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      eof = true;
      return false;
    }
    buffered_.append(buffer, static_cast<size_t>(n));
    return true;
  };
  size_t end;
  while ((end = buffered_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) {
      r.error = eof ? "the connection closed before a complete response head" : "no response head in time";
      return r;
    }
  if (!parse_head(buffered_.substr(0, end), r)) {
    r.error = "malformed response head: " + buffered_.substr(0, end);
    return r;
  }
  buffered_.erase(0, end + 4);
  size_t length = r.has_header("Content-Length") ? std::stoul(r.header("Content-Length")) : 0;
  while (buffered_.size() < length)
    if (!fill()) {
      r.error = "the body ended early";
      break;
    }
  r.body = buffered_.substr(0, std::min(length, buffered_.size()));
  buffered_.erase(0, r.body.size());
  return r;
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
  auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 1))) <= 0) return false;
    char buffer[16384];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return true;  // end of input or reset
  }
  return false;
}

namespace {

// The environment for a script of tests/contract/pg: Process drops WEFT_* variables, but
// start.sh reads WEFT_TEST_PG_URL.
std::map<std::string, std::string> pg_script_env() {
  if (const char* url = std::getenv("WEFT_TEST_PG_URL")) return {{"WEFT_TEST_PG_URL", url}};
  return {};
}

}  // namespace

ThrowawayPostgres::ThrowawayPostgres(std::string scripts_dir) : scripts_dir_(std::move(scripts_dir)) {
  Process start("/bin/bash", {scripts_dir_ + "/start.sh", state_.path()}, pg_script_env(), "");
  auto code = start.wait(std::chrono::seconds(180));
  if (code != 0)
    throw std::runtime_error("tests/contract/pg/start.sh failed (" +
                             (code ? "exit " + std::to_string(*code) : std::string("timed out")) +
                             "):\n" + start.stderr_text() + start.stdout_text());
  std::ifstream(state_ / "url") >> url_;
  if (url_.empty()) throw std::runtime_error("tests/contract/pg/start.sh wrote no URL to " + (state_ / "url"));
}

ThrowawayPostgres::~ThrowawayPostgres() {
  Process stop("/bin/bash", {scripts_dir_ + "/stop.sh", state_.path()}, pg_script_env(), "");
  stop.wait(std::chrono::seconds(120));
}

std::map<std::string, std::string> ThrowawayPostgres::serve_env() const {
  return {{"WEFT_STORAGE_BACKEND", "postgres"}, {"WEFT_DATABASE_URL", url_}};
}

bool connection_refused(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int err = errno;
  ::close(fd);
  return rc != 0 && err == ECONNREFUSED;
}

}  // namespace weft::test
