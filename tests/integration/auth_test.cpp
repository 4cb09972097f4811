// Authentication through the real binary: the first start's admin key, API keys in either
// header, one answer for unknown and revoked keys, and the api-keys routes.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <regex>

namespace weft::test {
namespace {

using Auth = SharedServerTest;

const std::string kProtected = "/api/v1/node-types";

TEST_F(Auth, FirstStartPrintsTheAdminKeyOnceAndKeepsItPrivate) {
  const std::string key = server->admin_key();
  EXPECT_TRUE(std::regex_match(key, std::regex("weft_[0-9A-Za-z]{43}"))) << key;
  std::string out = server->process().stdout_text();
  EXPECT_NE(out.find("created the admin user admin@localhost"), std::string::npos) << out;
  EXPECT_NE(out.find("  " + key + "\n"), std::string::npos) << "the key is printed on its own line";
  EXPECT_NE(out.find("X-API-Key: <key>"), std::string::npos) << "with how to use it";
  EXPECT_EQ(server->process().stderr_text().find(key), std::string::npos) << "never in the log";
  struct stat st {};
  ASSERT_EQ(::stat((server->data_dir() + "/initial-admin-key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(server->data_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the data folder weft created is its user's alone";
}

TEST_F(Auth, TheKeyWorksInEitherHeader) {
  const std::string key = server->admin_key();
  EXPECT_EQ(server->get(kProtected, {{"X-API-Key", key}}).status, 200);
  EXPECT_EQ(server->get(kProtected, {{"Authorization", "Bearer " + key}}).status, 200);
  EXPECT_EQ(server->get(kProtected, {{"authorization", "bearer " + key}}).status, 200);
}

TEST_F(Auth, NoKeyMalformedKeyAndUnknownKeyAre401Problems) {
  HttpResult none = server->get(kProtected);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer realm=\"weft\"");
  EXPECT_EQ(none.json()["type"], "urn:weft:problem:unauthorized");
  EXPECT_EQ(server->get(kProtected, {{"X-API-Key", "nonsense"}}).status, 401);
  const std::string unknown = "weft_" + std::string(43, 'A');
  HttpResult r = server->get(kProtected, {{"X-API-Key", unknown}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body.find(unknown), std::string::npos) << "a credential is never echoed";
}

TEST_F(Auth, ACreatedKeyIsShownOnceListedByPrefixAndRevokedAtOnce) {
  HttpResult created = server->send_json("POST", "/api/v1/api-keys",
                                         {{"name", "ci"}, {"scopes", {"workflow.read"}}},
                                         server->as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  Json k = created.json();
  const std::string key = k["key"];
  const std::string id = k["id"];
  EXPECT_EQ(k["name"], "ci");
  EXPECT_EQ(k["prefix"], key.substr(0, 13));
  EXPECT_EQ(k["scopes"], Json::array({"workflow.read"}));
  EXPECT_FALSE(k.contains("hash"));
  EXPECT_EQ(created.header("Location"), "/api/v1/api-keys/" + id);

  EXPECT_EQ(server->get(kProtected, {{"X-API-Key", key}}).status, 200);

  HttpResult one = server->get("/api/v1/api-keys/" + id, server->as_admin());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_FALSE(one.json().contains("key"));
  EXPECT_FALSE(one.json().contains("hash"));

  HttpResult list = server->get("/api/v1/api-keys?limit=1000", server->as_admin());
  ASSERT_EQ(list.status, 200) << list.body;
  bool found = false;
  const Json listed = list.json();
  for (const auto& item : listed["items"]) {
    EXPECT_FALSE(item.contains("key"));
    EXPECT_FALSE(item.contains("hash"));
    EXPECT_EQ(list.body.find(key), std::string::npos) << "a list never holds a key";
    found = found || item["id"] == id;
  }
  EXPECT_TRUE(found);

  // The new key may manage itself: revoking it with itself works, and the next request fails.
  EXPECT_EQ(server->request("DELETE", "/api/v1/api-keys/" + id, "", {{"X-API-Key", key}}).status, 204);
  HttpResult after = server->get(kProtected, {{"X-API-Key", key}});
  EXPECT_EQ(after.status, 401);
  HttpResult unknown = server->get(kProtected, {{"X-API-Key", "weft_" + std::string(43, 'B')}});
  EXPECT_EQ(after.json()["detail"], unknown.json()["detail"]) << "revoked and unknown look the same";
  HttpResult shown = server->get("/api/v1/api-keys/" + id, server->as_admin());
  EXPECT_TRUE(shown.json()["revokedAt"].is_number_integer()) << shown.body;
}

TEST_F(Auth, BadKeyRequestsAreRefusedWithTheField) {
  HttpResult no_name = server->send_json("POST", "/api/v1/api-keys", Json::object(), server->as_admin());
  EXPECT_EQ(no_name.status, 422);
  EXPECT_NE(no_name.json()["detail"].get<std::string>().find("name"), std::string::npos);
  HttpResult owner = server->send_json("POST", "/api/v1/api-keys", {{"name", "x"}, {"userId", "someone"}},
                                       server->as_admin());
  EXPECT_EQ(owner.status, 422);
  EXPECT_NE(owner.json()["detail"].get<std::string>().find("userId"), std::string::npos) << owner.body;
  HttpResult past = server->send_json("POST", "/api/v1/api-keys", {{"name", "x"}, {"expiresAt", 1}},
                                      server->as_admin());
  EXPECT_EQ(past.status, 422);
  EXPECT_EQ(server->get("/api/v1/api-keys/no-such-key", server->as_admin()).status, 404);
  EXPECT_EQ(server->request("DELETE", "/api/v1/api-keys/no-such-key", "", server->as_admin()).status, 404);
}

TEST(AuthRestart, ALaterStartPrintsNothingSecretAndTheKeyStillWorks) {
  TempDir data;
  std::string key;
  {
    WeftServer first(ServeOptions{.data_dir = data.path()});
    key = first.admin_key();
    ASSERT_EQ(first.stop(), 0);
  }
  WeftServer second(ServeOptions{.data_dir = data.path()});
  std::string out = second.process().stdout_text();
  EXPECT_EQ(out.find("weft_"), std::string::npos) << out;
  EXPECT_EQ(out.find("first start"), std::string::npos) << out;
  EXPECT_EQ(second.get(kProtected, {{"X-API-Key", key}}).status, 200);
  EXPECT_EQ(second.stop(), 0);
}

}  // namespace
}  // namespace weft::test
