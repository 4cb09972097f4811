// /api/v1/admin/storage through the real binary: the dual backend's mode switched while the
// server runs, losing nothing written meanwhile.
#include "weft_server.hpp"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

const std::string kProtected = "/api/v1/node-types";

TEST(AdminStorage, DualModeSwitchesWhileRunningAndKeepsWhatWasWritten) {
  TempDir data;
  std::string made_in_memory;
  {
    WeftServer server(ServeOptions{.data_dir = data.path(), .env = {{"WEFT_STORAGE_BACKEND", "dual"}}});
    HttpResult report = server.get("/api/v1/admin/storage", server.as_admin());
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(report.json()["backend"], "dual");
    EXPECT_EQ(report.json()["durable"], true);
    EXPECT_EQ(report.json()["stats"]["mode"], "dual");
    EXPECT_GE(report.json()["schema"]["latest"], 1);

    HttpResult memory = server.send_json("PUT", "/api/v1/admin/storage/mode", {{"mode", "memory-only"}},
                                         server.as_admin());
    ASSERT_EQ(memory.status, 200) << memory.body;
    EXPECT_EQ(memory.json()["durable"], false);
    EXPECT_EQ(memory.json()["stats"]["mode"], "memory-only");

    // Written while nothing is durable...
    HttpResult key = server.send_json("POST", "/api/v1/api-keys", {{"name", "in memory"}}, server.as_admin());
    ASSERT_EQ(key.status, 201) << key.body;
    made_in_memory = key.json()["key"];
    EXPECT_EQ(server.get(kProtected, {{"X-API-Key", made_in_memory}}).status, 200);

    // ...reaches the database when the mode goes back to dual.
    HttpResult back = server.send_json("PUT", "/api/v1/admin/storage/mode", {{"mode", "dual"}}, server.as_admin());
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.json()["durable"], true);
    EXPECT_EQ(server.get(kProtected, {{"X-API-Key", made_in_memory}}).status, 200);

    HttpResult bad = server.send_json("PUT", "/api/v1/admin/storage/mode", {{"mode", "fast"}}, server.as_admin());
    EXPECT_EQ(bad.status, 422) << bad.body;
    EXPECT_NE(bad.json()["detail"].get<std::string>().find("mode"), std::string::npos) << bad.body;
    EXPECT_EQ(server.send_json("PUT", "/api/v1/admin/storage/mode", {{"mode", "dual"}}).status, 401);
    ASSERT_EQ(server.stop(), 0);
  }
  // A new process over the same database, without the cache: the key is there.
  WeftServer again(ServeOptions{.data_dir = data.path(), .env = {{"WEFT_STORAGE_BACKEND", "sqlite"}}});
  EXPECT_EQ(again.get(kProtected, {{"X-API-Key", made_in_memory}}).status, 200);
  HttpResult no_modes = again.send_json("PUT", "/api/v1/admin/storage/mode", {{"mode", "dual"}}, again.as_admin());
  EXPECT_EQ(no_modes.status, 409) << no_modes.body;
  EXPECT_EQ(again.stop(), 0);
}

}  // namespace
}  // namespace weft::test
