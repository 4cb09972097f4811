// The credential vault through the real binary: the SQLite file never holds a planted secret,
// a webhook still authenticates against a sealed credential, a restart with the same master key
// works and with another is refused naming the key id it needs, and `weft credentials
// rotate-key` run next to a serving server keeps webhooks authenticating, after which a restart
// (with the replaced key file) works and the old key is refused.
#include "weft_server.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";

// Every byte of the data folder's SQLite files (the database and its write-ahead log).
std::string sqlite_bytes(const std::string& data_dir) {
  std::string all;
  for (const char* name : {"weft.db", "weft.db-wal"}) {
    std::ifstream in(data_dir + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  return all;
}

std::string read_text(const std::string& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// A header-secret credential; returns its id.
std::string create_header_credential(WeftServer& server, const std::string& secret) {
  HttpResult r = server.send_json(
      "POST", "/api/v1/credentials",
      {{"name", "hook secret"}, {"type", "weft.httpHeaderAuth"}, {"data", {{"name", "X-Hook-Secret"}, {"value", secret}}}},
      server.as_admin());
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find(secret), std::string::npos);
  return r.json().value("id", "");
}

// Activates a workflow answering on /webhook/<path> for callers with the credential's header.
void activate_guarded(WeftServer& server, const std::string& path, const std::string& credential_id) {
  Json doc = {{"name", "guarded " + path},
              {"nodes",
               {{{"id", "hook"}, {"type", "weft.webhook"}, {"typeVersion", 1},
                 {"parameters", {{"path", path}, {"method", "POST"}, {"responseMode", "responseNode"},
                                 {"auth", "header"}, {"credential", credential_id}}}},
                {{"id", "answer"}, {"type", "weft.respond"}, {"typeVersion", 1},
                 {"parameters", {{"status", 200}, {"body", "{{ $json }}"}}}}}},
              {"edges", {{{"from", "hook"}, {"to", "answer"}}}}};
  HttpResult created = server.send_json("POST", kWorkflows, doc, server.as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  HttpResult on = server.request("POST", kWorkflows + "/" + created.json()["id"].get<std::string>() + "/activate", "",
                                 server.as_admin());
  ASSERT_EQ(on.status, 200) << on.body;
}

int call_hook(WeftServer& server, const std::string& path, const std::string& secret) {
  Headers h = {{"Content-Type", "application/json"}};
  if (!secret.empty()) h.emplace_back("X-Hook-Secret", secret);
  return server.request("POST", "/webhook/" + path, R"({"n":1})", h).status;
}

TEST(Vault, TheSqliteFileNeverHoldsAPlantedSecretAndTheKeyFileIs0600) {
  WeftServer server;
  const std::string first = "planted-vault-secret-5d1e";
  const std::string id = create_header_credential(server, first);
  ASSERT_FALSE(id.empty());
  const std::string second = "planted-vault-secret-77c0";
  HttpResult changed = server.send_json("PATCH", "/api/v1/credentials/" + id, {{"data", {{"value", second}}}},
                                        server.as_admin());
  ASSERT_EQ(changed.status, 200) << changed.body;
  HttpResult renamed = server.send_json("PATCH", "/api/v1/credentials/" + id, {{"name", "renamed"}}, server.as_admin());
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  HttpResult basic = server.send_json(
      "POST", "/api/v1/credentials",
      {{"name", "login"}, {"type", "weft.basicAuth"}, {"data", {{"user", "shop"}, {"password", "planted-vault-pw-3b"}}}},
      server.as_admin());
  ASSERT_EQ(basic.status, 201) << basic.body;

  // A raw API key is never at rest either: the admin's and one made over the API.
  HttpResult key = server.send_json("POST", "/api/v1/api-keys", {{"name", "scan"}}, server.as_admin());
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string raw_key = key.json()["key"];

  const std::string bytes = sqlite_bytes(server.data_dir());
  ASSERT_NE(bytes.find("X-Hook-Secret"), std::string::npos);  // the file was read, and holds the row
  EXPECT_NE(bytes.find("$sealed"), std::string::npos);
  EXPECT_EQ(bytes.find("planted-vault"), std::string::npos);
  EXPECT_EQ(bytes.find(raw_key), std::string::npos);
  EXPECT_EQ(bytes.find(server.admin_key()), std::string::npos);

  struct stat st {};
  ASSERT_EQ(::stat((server.data_dir() + "/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.process().stdout_text().find("planted-vault"), std::string::npos);
  EXPECT_EQ(server.process().stderr_text().find("planted-vault"), std::string::npos);
  // The log never shows a key; stdout shows the admin's once, at first start, by design.
  EXPECT_EQ(server.process().stderr_text().find(raw_key), std::string::npos);
  EXPECT_EQ(server.process().stderr_text().find(server.admin_key()), std::string::npos);
  EXPECT_EQ(server.process().stdout_text().find(raw_key), std::string::npos);
}

TEST(Vault, WebhooksAuthenticateAcrossARestartAndAnotherKeyIsRefused) {
  TempDir data;
  const std::string secret = "hook-secret-a91";
  {
    WeftServer server(ServeOptions{.data_dir = data.path()});
    const std::string id = create_header_credential(server, secret);
    activate_guarded(server, "guarded", id);
    EXPECT_EQ(call_hook(server, "guarded", secret), 200);
    EXPECT_EQ(call_hook(server, "guarded", "wrong"), 401);
    EXPECT_EQ(server.stop(), 0);
  }
  {
    WeftServer again(ServeOptions{.data_dir = data.path()});
    EXPECT_EQ(call_hook(again, "guarded", secret), 200);
    EXPECT_EQ(call_hook(again, "guarded", "wrong"), 401);
    EXPECT_EQ(again.stop(), 0);
  }
  const std::string needed_id = [&] {
    // The id of the key in the file: what the refusal must name.
    ProcessResult r = run_weft({"serve", "--port", "0", "--data", data.path()},
                               {{"WEFT_ENCRYPTION_KEY", std::string(64, '0')}}, data.path());
    return r.err;
  }();
  EXPECT_NE(needed_id.find("weft serve: vault: the data keys are wrapped by master key "), std::string::npos) << needed_id;
  EXPECT_NE(needed_id.find("start with master key "), std::string::npos) << needed_id;

  ProcessResult wrong = run_weft({"serve", "--port", "0", "--data", data.path()},
                                 {{"WEFT_ENCRYPTION_KEY", std::string(64, 'a')}}, data.path());
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_EQ(std::count(wrong.err.begin(), wrong.err.end(), '\n'), 1) << wrong.err;
  ProcessResult junk = run_weft({"serve", "--port", "0", "--data", data.path()},
                                {{"WEFT_ENCRYPTION_KEY", "not-a-key-xyz"}}, data.path());
  EXPECT_NE(junk.exit_code, 0);
  EXPECT_NE(junk.err.find("WEFT_ENCRYPTION_KEY is not a 256-bit key"), std::string::npos) << junk.err;
  EXPECT_EQ(junk.err.find("not-a-key-xyz"), std::string::npos) << junk.err;

  // The key file's own key, given through the environment, is the same key.
  const std::string file_key = read_text(data.path() + "/master.key");
  WeftServer by_env(ServeOptions{.data_dir = data.path(), .env = {{"WEFT_ENCRYPTION_KEY", file_key}}});
  EXPECT_EQ(call_hook(by_env, "guarded", secret), 200);
  EXPECT_EQ(by_env.stop(), 0);
}

TEST(Vault, RotateKeyWhileServingKeepsWebhooksWorkingAndARestartUsesTheNewKey) {
  TempDir data;
  TempDir work;
  const std::string secret = "hook-secret-rot-4c";
  std::string old_key;
  {
    WeftServer server(ServeOptions{.data_dir = data.path()});
    const std::string id = create_header_credential(server, secret);
    activate_guarded(server, "rotating", id);
    ASSERT_EQ(call_hook(server, "rotating", secret), 200);
    old_key = read_text(data.path() + "/master.key");

    ProcessResult rotated = run_weft({"credentials", "rotate-key", "--data", data.path()}, {}, work.path());
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    EXPECT_NE(rotated.out.find("re-wrapped 1 data key(s)"), std::string::npos) << rotated.out;
    const std::string new_key = read_text(data.path() + "/master.key");
    EXPECT_NE(new_key, old_key);
    EXPECT_EQ(rotated.out.find(new_key), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(data.path() + "/master.key.new"));
    struct stat st {};
    ASSERT_EQ(::stat((data.path() + "/master.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    // The running server goes on: the old credential opens, a new one seals and opens.
    EXPECT_EQ(call_hook(server, "rotating", secret), 200);
    EXPECT_EQ(call_hook(server, "rotating", "wrong"), 401);
    const std::string id2 = create_header_credential(server, "hook-secret-after-9e");
    activate_guarded(server, "after", id2);
    EXPECT_EQ(call_hook(server, "after", "hook-secret-after-9e"), 200);
    EXPECT_EQ(server.stop(), 0);
  }
  {
    WeftServer restarted(ServeOptions{.data_dir = data.path()});
    EXPECT_EQ(call_hook(restarted, "rotating", secret), 200);
    EXPECT_EQ(call_hook(restarted, "after", "hook-secret-after-9e"), 200);
    EXPECT_EQ(restarted.stop(), 0);
  }
  ProcessResult with_old = run_weft({"serve", "--port", "0", "--data", data.path()},
                                    {{"WEFT_ENCRYPTION_KEY", old_key}}, work.path());
  EXPECT_NE(with_old.exit_code, 0);
  EXPECT_NE(with_old.err.find("wrapped by master key"), std::string::npos) << with_old.err;

  // Errors are one line and non-zero: a second new key source, a missing env key.
  ProcessResult both = run_weft({"credentials", "rotate-key", "--data", data.path(), "--new-key-env", "--new-key-file",
                                 work / "k"}, {}, work.path());
  EXPECT_NE(both.exit_code, 0);
  EXPECT_EQ(std::count(both.err.begin(), both.err.end(), '\n'), 1) << both.err;
  ProcessResult no_env = run_weft({"credentials", "rotate-key", "--data", data.path(), "--new-key-env"}, {}, work.path());
  EXPECT_NE(no_env.exit_code, 0);
  EXPECT_NE(no_env.err.find("WEFT_NEW_ENCRYPTION_KEY is not set"), std::string::npos) << no_env.err;
}

TEST(Vault, RotateKeyFromTheEnvironmentToAKeyFile) {
  TempDir data;
  TempDir work;
  const std::string env_key = std::string(32, 'a') + std::string(32, 'b');
  const std::string secret = "hook-secret-env-2d";
  {
    WeftServer server(ServeOptions{.data_dir = data.path(), .env = {{"WEFT_ENCRYPTION_KEY", env_key}}});
    activate_guarded(server, "env", create_header_credential(server, secret));
    EXPECT_FALSE(std::filesystem::exists(data.path() + "/master.key"));
    ProcessResult plain = run_weft({"credentials", "rotate-key", "--data", data.path()},
                                   {{"WEFT_ENCRYPTION_KEY", env_key}}, work.path());
    EXPECT_EQ(plain.exit_code, 2);
    EXPECT_NE(plain.err.find("--new-key-env"), std::string::npos) << plain.err;
    ProcessResult rotated = run_weft({"credentials", "rotate-key", "--data", data.path(), "--new-key-file", work / "new.key"},
                                     {{"WEFT_ENCRYPTION_KEY", env_key}}, work.path());
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    EXPECT_EQ(call_hook(server, "env", secret), 200);
    EXPECT_EQ(server.stop(), 0);
  }
  const std::string new_key = read_text(work / "new.key");
  WeftServer restarted(ServeOptions{.data_dir = data.path(), .env = {{"WEFT_ENCRYPTION_KEY", new_key}}});
  EXPECT_EQ(call_hook(restarted, "env", secret), 200);
  EXPECT_EQ(restarted.stop(), 0);
}

}  // namespace
}  // namespace weft::test
