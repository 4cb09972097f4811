// /api/v1/users and `weft users` through the real binary: admins create, list, change and
// delete users; passwords are stored only as argon2id hashes; an admin cannot lock itself out;
// the CLI changes the same store, and a role it changes applies to the next request.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace weft::test {
namespace {

const std::string kUsers = "/api/v1/users";

// `weft users ARGS...` on `data_dir`, with `input` on stdin.
ProcessResult users_cli(const std::vector<std::string>& args, const std::string& data_dir, const std::string& input = "") {
  TempDir scratch;
  const std::string in_file = scratch.path() + "/stdin";
  std::ofstream(in_file) << input;
  std::string command = "'" + std::string(WEFT_BINARY) + "' users";
  for (const auto& a : args) command += " '" + a + "'";
  command += " --data '" + data_dir + "' < '" + in_file + "'";
  Process p("/bin/sh", {"-c", command}, {}, scratch.path());
  ProcessResult r;
  r.exit_code = p.wait(std::chrono::seconds(120)).value_or(-1);
  r.out = p.stdout_text();
  r.err = p.stderr_text();
  return r;
}

class Users : public SharedServerTest {
 protected:
  static HttpResult create(const Json& body) { return server->send_json("POST", kUsers, body, server->as_admin()); }
  static std::string admin_id() {
    HttpResult me = server->get(kUsers + "?role=admin", server->as_admin());
    const Json page = me.json();
    return page["items"][0]["id"];
  }
};

TEST_F(Users, AdminsCreateListChangeAndDeleteUsers) {
  const std::string password = "planted-passw0rd-9c1";
  HttpResult made = create({{"email", "Ada@Example.com"}, {"name", "Ada"}, {"role", "editor"}, {"password", password}});
  ASSERT_EQ(made.status, 201) << made.body;
  const Json user = made.json();
  const std::string id = user["id"];
  EXPECT_EQ(made.header("Location"), kUsers + "/" + id);
  EXPECT_EQ(user["role"], "editor");
  EXPECT_EQ(user["disabled"], false);
  EXPECT_EQ(made.body.find("planted"), std::string::npos);
  EXPECT_EQ(made.body.find("argon2"), std::string::npos) << "the hash is never answered";

  // Stored as an argon2id hash, never as given.
  const Json stored = stored_document(server->data_dir(), "users", id);
  EXPECT_EQ(stored.dump().find(password), std::string::npos);
  EXPECT_EQ(stored.value("passwordHash", "").rfind("$argon2id$", 0), 0u) << stored.dump();

  // The e-mail address is unique in any letter case.
  expect_problem(create({{"email", "ada@example.COM"}, {"name", "Other"}, {"role", "viewer"}, {"password", password}}),
                 409, "conflict");

  HttpResult list = server->get(kUsers + "?role=editor", server->as_admin());
  ASSERT_EQ(list.status, 200) << list.body;
  const Json page = list.json();
  ASSERT_EQ(page["items"].size(), 1u) << list.body;
  EXPECT_EQ(page["items"][0]["email"], "Ada@Example.com");

  HttpResult one = server->get(kUsers + "/" + id, server->as_admin());
  ASSERT_EQ(one.status, 200) << one.body;
  const std::string etag = one.header("ETag");
  HttpResult renamed =
      server->send_json("PATCH", kUsers + "/" + id, {{"name", "Ada L."}, {"role", "operator"}},
                        server->as_admin({{"If-Match", etag}}));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["role"], "operator");
  expect_problem(server->send_json("PATCH", kUsers + "/" + id, {{"name", "late"}}, server->as_admin({{"If-Match", etag}})),
                 412, "precondition-failed");
  HttpResult disabled = server->send_json("PATCH", kUsers + "/" + id, {{"disabled", true}}, server->as_admin());
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json()["disabled"], true);

  EXPECT_EQ(server->request("DELETE", kUsers + "/" + id, "", server->as_admin()).status, 204);
  expect_problem(server->get(kUsers + "/" + id, server->as_admin()), 404, "not-found");
}

TEST_F(Users, BadBodiesAre422NamingTheField) {
  const Json base = {{"email", "b@example.com"}, {"name", "B"}, {"role", "viewer"}, {"password", "long enough pass"}};
  auto with = [&](const char* field, Json value) {
    Json body = base;
    if (value.is_null()) body.erase(field);
    else body[field] = value;
    return create(body);
  };
  struct Case {
    const char* field;
    Json value;
    std::string says;
  };
  for (const Case& c : {Case{"password", "short", "password"}, Case{"password", nullptr, "password"},
                        Case{"role", "owner", "role"}, Case{"email", "not-an-address", "email"},
                        Case{"name", "", "name"}, Case{"passwordHash", "$argon2id$x", "passwordHash"},
                        Case{"disabled", true, "disabled"}, Case{"role", 3, "role"}}) {
    HttpResult r = with(c.field, c.value);
    expect_problem(r, 422, "validation");
    EXPECT_NE(r.json().value("detail", "").find(c.says), std::string::npos) << c.field << ": " << r.body;
  }
  expect_problem(server->request("POST", kUsers, "{\"email\": ", server->as_admin({{"Content-Type", "application/json"}})),
                 400, "bad-request");
}

TEST_F(Users, AnAdminCannotLockItselfOut) {
  const std::string me = admin_id();
  expect_problem(server->send_json("PATCH", kUsers + "/" + me, {{"disabled", true}}, server->as_admin()), 409, "conflict");
  expect_problem(server->send_json("PATCH", kUsers + "/" + me, {{"role", "viewer"}}, server->as_admin()), 409, "conflict");
  expect_problem(server->request("DELETE", kUsers + "/" + me, "", server->as_admin()), 409, "conflict");
}

TEST_F(Users, EveryRouteNeedsAKey) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", kUsers}, {"GET", kUsers}, {"GET", kUsers + "/x"}, {"PATCH", kUsers + "/x"}, {"DELETE", kUsers + "/x"}})
    expect_problem(server->request(method, path, method == "POST" || method == "PATCH" ? "{}" : "",
                                   {{"Content-Type", "application/json"}}),
                   401, "unauthorized");
}

TEST(UsersCli, CreatesListsAndChangesUsersOnTheStoreTheServerUses) {
  TempDir data;
  std::string admin_key;
  {
    WeftServer server(ServeOptions{.data_dir = data.path()});
    admin_key = server.admin_key();
    ASSERT_EQ(server.stop(), 0) << server.process().stderr_text();
  }
  ProcessResult made = users_cli({"create", "--email", "cli@example.com", "--name", "Cli", "--role", "viewer"},
                                 data.path(), "from stdin 12345\n");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("cli@example.com"), std::string::npos) << made.out;
  EXPECT_EQ(made.out.find("from stdin"), std::string::npos) << made.out;

  ProcessResult short_password = users_cli({"create", "--email", "x@example.com", "--name", "X", "--role", "viewer"},
                                           data.path(), "short\n");
  EXPECT_EQ(short_password.exit_code, 2) << short_password.err;
  EXPECT_NE(short_password.err.find("at least 12"), std::string::npos) << short_password.err;
  EXPECT_EQ(users_cli({"create", "--email", "y@example.com", "--name", "Y", "--role", "viewer"}, data.path(), "")
                .exit_code,
            2);

  ProcessResult listed = users_cli({"list", "--json"}, data.path());
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const Json all = Json::parse(listed.out);
  ASSERT_EQ(all.size(), 2u) << listed.out;
  std::string admin_id;
  for (const auto& u : all)
    if (u["role"] == "admin") admin_id = u["id"];
  ASSERT_FALSE(admin_id.empty()) << listed.out;

  EXPECT_EQ(users_cli({"set-role", admin_id, "owner"}, data.path()).exit_code, 2);
  EXPECT_EQ(users_cli({"disable", "no-such-user"}, data.path()).exit_code, 2);
  // The admin demoted on the CLI: its key now acts as a viewer.
  ASSERT_EQ(users_cli({"set-role", admin_id, "viewer"}, data.path()).exit_code, 0);
  WeftServer again(ServeOptions{.data_dir = data.path()});
  expect_problem(again.get(kUsers, {{"X-API-Key", admin_key}}), 403, "forbidden");
  // Disabled: its key stops working.
  ASSERT_EQ(users_cli({"disable", admin_id}, data.path()).exit_code, 0);
  expect_problem(again.get(kUsers, {{"X-API-Key", admin_key}}), 401, "unauthorized");
  EXPECT_EQ(again.stop(), 0) << again.process().stderr_text();
}

}  // namespace
}  // namespace weft::test
