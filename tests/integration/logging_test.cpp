// The server's log through the real binary: one JSON object per line (time, level, logger,
// message, requestId, fields), one access line per request with the route template and the
// status, no secret anywhere (a planted credential secret, a webhook secret header, a
// password, the admin API key, an access token, a query-string token), log.level filtering,
// the text format, appending to a file, and a bad log setting refusing the start.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

namespace weft::test {
namespace {

const std::string kPlanted = "planted-cred-secret-5b1e";      // a credential's secret field
const std::string kPassword = "correct horse battery staple";  // a user's password
const std::string kWrongPassword = "wrong-password-9f2c";      // a failed login's password
const std::string kQueryToken = "query-token-77aa";            // a token in a query string

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// Every line of `text` as JSON, failing the test on one that is not an object carrying
// time (RFC 3339 UTC with ms), level, logger and message.
std::vector<Json> parse_log(const std::string& text) {
  static const std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  std::vector<Json> out;
  for (const auto& line : lines_of(text)) {
    Json j;
    try {
      j = Json::parse(line);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    EXPECT_TRUE(j.is_object()) << line;
    if (!j.is_object()) continue;
    EXPECT_TRUE(j["time"].is_string() && std::regex_match(j["time"].get<std::string>(), time)) << line;
    EXPECT_TRUE(j["level"] == "debug" || j["level"] == "info" || j["level"] == "warn" || j["level"] == "error")
        << line;
    EXPECT_TRUE(j["logger"].is_string() && !j["logger"].get<std::string>().empty()) << line;
    EXPECT_TRUE(j["message"].is_string()) << line;
    EXPECT_TRUE(j["fields"].is_object()) << line;
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<Json> access_lines(const std::vector<Json>& log) {
  std::vector<Json> out;
  for (const auto& j : log)
    if (j["logger"] == "access") out.push_back(j);
  return out;
}

// A request the test made, and what its access line must say.
struct Made {
  std::string request_id;  // X-Request-Id of the answer
  std::string method;
  std::string where;  // the route template, or (unmatched) the path
  bool matched;
  int status;
  bool authenticated;
};

class Recorder {
 public:
  explicit Recorder(WeftServer& s) : s_(s) {}
  HttpResult send(const std::string& method, const std::string& path, const std::string& body, Headers headers,
                  const std::string& where, bool matched, bool authenticated) {
    HttpResult r = s_.request(method, path, body, headers);
    made_.push_back({r.header("X-Request-Id"), method, where, matched, r.status, authenticated});
    return r;
  }
  HttpResult json(const std::string& method, const std::string& path, const Json& body, Headers headers,
                  const std::string& where, bool authenticated) {
    headers.emplace_back("Content-Type", "application/json");
    return send(method, path, body.dump(), headers, where, true, authenticated);
  }
  const std::vector<Made>& made() const { return made_; }

 private:
  WeftServer& s_;
  std::vector<Made> made_;
};

TEST(Logging, JsonLinesOneAccessLinePerRequestAndNoSecret) {
  TempDir logs;
  const std::string file = logs / "weft.log";
  WeftServer s({.env = {{"WEFT_LOG_DESTINATION", file}, {"WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", "1000"}}});
  const std::string admin = s.admin_key();
  Recorder rec(s);

  ASSERT_EQ(rec.send("GET", "/health", "", {}, "/health", true, false).status, 200);
  ASSERT_EQ(rec.send("GET", "/api/v1/workflows", "", {}, "/api/v1/workflows", true, false).status, 401);
  ASSERT_EQ(rec.send("GET", "/no/such/thing?token=" + kQueryToken, "", {}, "/no/such/thing", false, false).status,
            404);
  // A user, a failed login and a good one (whose tokens must not be logged either).
  ASSERT_EQ(rec.json("POST", "/api/v1/users",
                     {{"email", "logan@example.com"}, {"name", "logan"}, {"role", "editor"}, {"password", kPassword}},
                     s.as_admin(), "/api/v1/users", true)
                .status,
            201);
  ASSERT_EQ(rec.json("POST", "/api/v1/auth/login", {{"email", "logan@example.com"}, {"password", kWrongPassword}}, {},
                     "/api/v1/auth/login", false)
                .status,
            401);
  HttpResult in = rec.json("POST", "/api/v1/auth/login", {{"email", "logan@example.com"}, {"password", kPassword}},
                           {}, "/api/v1/auth/login", false);
  ASSERT_EQ(in.status, 200) << in.body;
  const std::string access_token = in.json().value("accessToken", "");
  ASSERT_FALSE(access_token.empty()) << in.body;
  // A credential holding the planted secret, guarding a webhook called with it.
  HttpResult cred = rec.json("POST", "/api/v1/credentials",
                             {{"name", "hook secret"},
                              {"type", "weft.httpHeaderAuth"},
                              {"data", {{"name", "X-Hook-Secret"}, {"value", kPlanted}}}},
                             s.as_admin(), "/api/v1/credentials", true);
  ASSERT_EQ(cred.status, 201) << cred.body;
  Json workflow = {
      {"name", "logged hook"},
      {"nodes",
       {{{"id", "hook"},
         {"type", "weft.webhook"},
         {"typeVersion", 1},
         {"parameters",
          {{"path", "logged"}, {"method", "POST"}, {"responseMode", "responseNode"}, {"auth", "header"},
           {"credential", cred.json()["id"]}}}},
        {{"id", "answer"}, {"type", "weft.respond"}, {"typeVersion", 1}, {"parameters", {{"status", 200}, {"body", "{{ $json }}"}}}}}},
      {"edges", {{{"from", "hook"}, {"to", "answer"}}}}};
  HttpResult created = rec.json("POST", "/api/v1/workflows", workflow, s.as_admin(), "/api/v1/workflows", true);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string wf = created.json()["id"];
  ASSERT_EQ(rec.send("GET", "/api/v1/workflows/" + wf, "", s.as_admin(), "/api/v1/workflows/{id}", true, true).status,
            200);
  ASSERT_EQ(rec.send("POST", "/api/v1/workflows/" + wf + "/activate", "", s.as_admin(),
                     "/api/v1/workflows/{id}/activate", true, true)
                .status,
            200);
  HttpResult hook = rec.send("POST", "/webhook/logged", R"({"n":1})",
                             {{"Content-Type", "application/json"}, {"X-Hook-Secret", kPlanted}}, "/webhook/{path...}",
                             true, false);
  ASSERT_EQ(hook.status, 200) << hook.body;
  ASSERT_EQ(rec.send("POST", "/webhook/logged", "{}",
                     {{"Content-Type", "application/json"}, {"X-Hook-Secret", kPlanted + "-wrong"}},
                     "/webhook/{path...}", true, false)
                .status,
            401);
  ASSERT_EQ(rec.send("GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + access_token}}, "/api/v1/auth/me",
                     true, true)
                .status,
            200);
  ASSERT_EQ(s.stop(), 0) << s.process().stderr_text();

  const std::string text = read_text(file);
  const std::vector<Json> log = parse_log(text);
  ASSERT_FALSE(log.empty());
  // Start and stop are in the log too.
  bool listening = false, stopped = false;
  for (const auto& j : log) {
    listening = listening || (j["logger"] == "server" && j["message"] == "listening");
    stopped = stopped || (j["logger"] == "server" && j["message"] == "stopped");
  }
  EXPECT_TRUE(listening) << text;
  EXPECT_TRUE(stopped) << text;

  // One access line per request, found by its request id, with the route template.
  const std::vector<Json> access = access_lines(log);
  EXPECT_EQ(access.size(), rec.made().size()) << text;
  for (const Made& m : rec.made()) {
    ASSERT_FALSE(m.request_id.empty());
    std::vector<Json> mine;
    for (const auto& j : access)
      if (j.value("requestId", "") == m.request_id) mine.push_back(j);
    ASSERT_EQ(mine.size(), 1u) << m.method << " " << m.where << "\n" << text;
    const Json& j = mine[0];
    const Json& f = j["fields"];
    EXPECT_EQ(j["level"], "info");
    EXPECT_EQ(f["method"], m.method);
    EXPECT_EQ(f[m.matched ? "route" : "path"], m.where) << j.dump();
    EXPECT_FALSE(f.contains(m.matched ? "path" : "route")) << j.dump();
    EXPECT_EQ(f["status"], m.status) << j.dump();
    EXPECT_TRUE(f["durationMs"].is_number() && f["durationMs"].get<double>() >= 0) << j.dump();
    EXPECT_TRUE(f["bytes"].is_number_unsigned() && f["bytes"].get<uint64_t>() > 0) << j.dump();
    EXPECT_EQ(f.contains("principalId"), m.authenticated) << j.dump();
    if (m.authenticated) {
      EXPECT_FALSE(f["principalId"].get<std::string>().empty());
    }
    EXPECT_EQ(f["remoteAddress"].get<std::string>().rfind("127.0.0.1:", 0), 0u) << j.dump();
    EXPECT_EQ(j["message"], m.method + " " + m.where + " " + std::to_string(m.status));
  }

  // No secret, anywhere: the log file, stderr, and stdout beyond the first-start key notice.
  const std::string out = s.process().stdout_text();
  const std::string err = s.process().stderr_text();
  for (const std::string& secret : {kPlanted, kPassword, kWrongPassword, kQueryToken, admin, access_token}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "a secret in the log file";
    EXPECT_EQ(err.find(secret), std::string::npos) << "a secret on stderr";
  }
  for (const std::string& secret : {kPlanted, kPassword, kWrongPassword, kQueryToken, access_token})
    EXPECT_EQ(out.find(secret), std::string::npos) << "a secret on stdout";
  // Headers never: not even the names of the ones the test sent.
  EXPECT_EQ(text.find("X-Hook-Secret"), std::string::npos);
  EXPECT_EQ(text.find("Bearer"), std::string::npos);
}

TEST(Logging, WarnLevelDropsInfoLinesAndAFileIsAppendedTo) {
  TempDir logs;
  const std::string file = logs / "weft.log";
  std::ofstream(file) << "an earlier line\n";
  WeftServer s({.config = Json{{"log", {{"level", "warn"}, {"destination", file}}}}});
  EXPECT_EQ(s.get("/health").status, 200);
  EXPECT_EQ(s.get("/nowhere").status, 404);
  EXPECT_EQ(s.get("/api/v1/workflows").status, 401);
  ASSERT_EQ(s.stop(), 0) << s.process().stderr_text();
  const std::string text = read_text(file);
  ASSERT_EQ(text.rfind("an earlier line\n", 0), 0u) << "appended, not truncated: " << text;
  for (const Json& j : parse_log(text.substr(std::string("an earlier line\n").size())))
    EXPECT_TRUE(j["level"] == "warn" || j["level"] == "error") << j.dump();
}

// logrotate's way: move the file away, send SIGHUP; later lines go to a new file at the path.
TEST(Logging, SighupReopensTheLogFileAfterItWasMoved) {
  TempDir logs;
  const std::string file = logs / "weft.log";
  WeftServer s({.config = Json{{"log", {{"destination", file}}}}});
  EXPECT_EQ(s.get("/health").status, 200);
  std::filesystem::rename(file, logs / "weft.log.1");
  s.process().signal(SIGHUP);
  // The reopen is asynchronous: wait until the new file has the server's line about it.
  bool reopened = false;
  for (int i = 0; i < 300 && !reopened; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    reopened = std::filesystem::exists(file) && read_text(file).find("reopened") != std::string::npos;
  }
  ASSERT_TRUE(reopened) << "no new log file after SIGHUP";
  EXPECT_EQ(s.get("/api/v1/workflows").status, 401);
  ASSERT_EQ(s.stop(), 0) << s.process().stderr_text();
  const std::string moved = read_text(logs / "weft.log.1");
  const std::string fresh = read_text(file);
  EXPECT_NE(moved.find("\"route\":\"/health\""), std::string::npos) << moved;
  EXPECT_EQ(moved.find("/api/v1/workflows"), std::string::npos) << "a line after SIGHUP went to the moved file";
  EXPECT_NE(fresh.find("\"route\":\"/api/v1/workflows\""), std::string::npos) << fresh;
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

TEST(Logging, TextFormatOnStderrCarriesLevelAndMessage) {
  WeftServer s({.env = {{"WEFT_LOG_FORMAT", "text"}}});
  const std::string rid = s.get("/health").header("X-Request-Id");
  ASSERT_FALSE(rid.empty());
  ASSERT_EQ(s.stop(), 0) << s.process().stderr_text();
  const std::string err = s.process().stderr_text();
  static const std::regex shape(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR) [a-z]+: .+)");
  const auto lines = lines_of(err);
  ASSERT_FALSE(lines.empty());
  bool access = false;
  for (const auto& line : lines) {
    EXPECT_TRUE(std::regex_match(line, shape)) << line;
    EXPECT_FALSE(Json::accept(line)) << line;
    if (line.find(" INFO  access: GET /health 200 requestId=" + rid + " ") != std::string::npos) access = true;
  }
  EXPECT_TRUE(access) << err;
}

TEST(Logging, StdoutDestinationKeepsTheListeningLine) {
  WeftServer s({.env = {{"WEFT_LOG_DESTINATION", "stdout"}}});
  EXPECT_EQ(s.get("/health").status, 200);
  ASSERT_EQ(s.stop(), 0) << s.process().stderr_text();
  bool access = false;
  for (const auto& line : lines_of(s.process().stdout_text())) {
    if (line.rfind("weft: ", 0) == 0 || line.rfind("  ", 0) == 0) continue;  // the start-up notices
    Json j = Json::parse(line);
    access = access || (j["logger"] == "access" && j["fields"]["route"] == "/health");
  }
  EXPECT_TRUE(access) << s.process().stdout_text();
  EXPECT_EQ(s.process().stderr_text(), "");
}

TEST(Logging, BadLogSettingsRefuseTheStartNamingTheKey) {
  TempDir t;
  for (const auto& [name, value, key] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"WEFT_LOG_LEVEL", "loud", "log.level"},
           {"WEFT_LOG_FORMAT", "xml", "log.format"},
           {"WEFT_LOG_DESTINATION", "", "log.destination"},
           {"WEFT_LOG_DESTINATION", t / "no-such-folder/weft.log", "log.destination"}}) {
    ProcessResult r = run_weft({"serve", "--port", "0", "--data", t / "data"}, {{name, value}});
    EXPECT_EQ(r.exit_code, 2) << name << "=" << value << ": " << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
    ASSERT_FALSE(r.err.empty()) << name;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_NE(r.err.find(key), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace weft::test
