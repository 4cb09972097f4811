// Authorization through the real binary: roles and permissions, ownership, sharing and API key
// scopes (README, "Roles and permissions").
//
// Four users sign in (an editor each for alice and bob, an operator and a viewer); alice and bob
// each own a workflow, a credential, an execution and an API key. Then:
//  - every authenticated route of `weft serve --print-routes` is called by bob on alice's ids:
//    404 where bob may use the route, 403 where his role lacks its permission, and no list
//    shows him anything of alice's;
//  - every route is called by each role, and answers 403 exactly where the role's permissions
//    (the table below, written from the README, not from the server) leave it out;
//  - shares at read, run and edit open exactly what they say, and taking one back closes it;
//  - API key scopes narrow a key, and cannot widen it;
//  - a role change and a revoked key count on the very next request, on sqlite and on the dual
//    backend (whose cache sits in front of the database).
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";
const std::string kCredentials = "/api/v1/credentials";
const std::string kExecutions = "/api/v1/executions";

// The README's table: what each role may do.
const std::map<std::string, std::set<std::string>> kRolePermissions = [] {
  std::set<std::string> viewer = {"workflow.read", "execution.read", "credential.read"};
  std::set<std::string> op = viewer;
  op.insert({"workflow.execute", "execution.cancel", "execution.retry", "credential.use"});
  std::set<std::string> editor = op;
  editor.insert({"workflow.write", "workflow.delete", "credential.write"});
  std::set<std::string> admin = editor;
  admin.insert({"user.manage", "admin.storage", "audit.read"});
  return std::map<std::string, std::set<std::string>>{
      {"viewer", viewer}, {"operator", op}, {"editor", editor}, {"admin", admin}};
}();

struct Route {
  std::string method;
  std::string path;
  std::string access;  // "public", "self-service" or the permission
};

std::vector<Route> printed_routes() {
  ProcessResult p = run_weft({"serve", "--print-routes"});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  std::vector<Route> routes;
  std::stringstream lines(p.out);
  for (std::string method, path, op, access; lines >> method >> path >> op >> access;)
    routes.push_back({method, path, access});
  return routes;
}

struct Caller {
  std::string id;
  std::string email;
  std::string role;
  std::string token;
  Headers auth(Headers more = {}) const {
    more.emplace_back("Authorization", "Bearer " + token);
    return more;
  }
};

// manual -> set: runs without any outside service.
Json small_workflow(const std::string& name) {
  return {{"name", name},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "s"}, {"type", "weft.set"}, {"typeVersion", 1},
                      {"parameters", {{"fields", {{{"name", "done"}, {"value", true}}}}}}}}},
          {"edges", {{{"from", "m"}, {"to", "s"}}}}};
}

HttpResult send(WeftServer& s, const std::string& method, const std::string& path, const Json& body,
                const Headers& headers) {
  return s.send_json(method, path, body, headers);
}

// Creates a user as the admin and signs in as it.
Caller sign_up(WeftServer& s, const std::string& name, const std::string& role) {
  Caller c;
  c.email = name + "@example.com";
  c.role = role;
  const std::string password = "pw-" + name + "-correct-horse";
  HttpResult made = send(s, "POST", "/api/v1/users",
                         {{"email", c.email}, {"name", name}, {"role", role}, {"password", password}}, s.as_admin());
  EXPECT_EQ(made.status, 201) << made.body;
  c.id = made.json().value("id", "");
  HttpResult login = s.post_json("/api/v1/auth/login", {{"email", c.email}, {"password", password}});
  EXPECT_EQ(login.status, 200) << login.body;
  c.token = login.json().value("accessToken", "");
  return c;
}

// What a user owns.
struct Owned {
  std::string workflow, credential, execution, api_key;
};

Owned make_objects(WeftServer& s, const Caller& c) {
  Owned o;
  HttpResult w = send(s, "POST", kWorkflows, small_workflow(c.email), c.auth());
  EXPECT_EQ(w.status, 201) << w.body;
  o.workflow = w.json().value("id", "");
  HttpResult cred = send(s, "POST", kCredentials,
                         {{"name", "key of " + c.email},
                          {"type", "weft.httpHeaderAuth"},
                          {"data", {{"name", "X-Token"}, {"value", "secret-of-" + c.email}}}},
                         c.auth());
  EXPECT_EQ(cred.status, 201) << cred.body;
  o.credential = cred.json().value("id", "");
  HttpResult run = send(s, "POST", kWorkflows + "/" + o.workflow + "/run?wait=true", Json::object(), c.auth());
  EXPECT_EQ(run.status, 200) << run.body;
  o.execution = run.json().value("id", "");
  HttpResult key = send(s, "POST", "/api/v1/api-keys", {{"name", "k"}}, c.auth());
  EXPECT_EQ(key.status, 201) << key.body;
  o.api_key = key.json().value("id", "");
  return o;
}

// `route`'s template with its parameters filled from `objects` ({userId}: `user_param`).
std::string fill(const Route& route, const Owned& objects, const std::string& user_id, const std::string& user_param) {
  std::string path = route.path;
  auto replace = [&path](const std::string& from, const std::string& to) {
    if (auto at = path.find(from); at != std::string::npos) path.replace(at, from.size(), to);
  };
  std::string id;
  if (path.rfind(kWorkflows, 0) == 0) id = objects.workflow;
  else if (path.rfind(kCredentials, 0) == 0) id = objects.credential;
  else if (path.rfind(kExecutions, 0) == 0) id = objects.execution;
  else if (path.rfind("/api/v1/api-keys", 0) == 0) id = objects.api_key;
  else if (path.rfind("/api/v1/users", 0) == 0) id = user_id;
  replace("{id}", id);
  replace("{version}", "1");
  replace("{userId}", user_param);
  return path;
}

bool takes_body(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

class Access : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new WeftServer({.env = {{"WEFT_RATE_LIMITS", "false"}}});
    alice = sign_up(*server, "alice", "editor");
    bob = sign_up(*server, "bob", "editor");
    olga = sign_up(*server, "olga", "operator");
    vera = sign_up(*server, "vera", "viewer");
    of_alice = make_objects(*server, alice);
    of_bob = make_objects(*server, bob);
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server->stop(), 0);
    delete server;
    server = nullptr;
  }

  static HttpResult call(const Caller& c, const std::string& method, const std::string& path,
                         const Json& body = Json::object()) {
    if (takes_body(method)) return send(*server, method, path, body, c.auth());
    return server->request(method, path, "", c.auth());
  }

  static WeftServer* server;
  static Caller alice, bob, olga, vera;
  static Owned of_alice, of_bob;
};

WeftServer* Access::server = nullptr;
Caller Access::alice, Access::bob, Access::olga, Access::vera;
Owned Access::of_alice, Access::of_bob;

TEST_F(Access, EveryRouteHidesAnotherUsersObjects) {
  ASSERT_FALSE(bob.token.empty());
  const auto& bob_may = kRolePermissions.at("editor");
  int checked = 0;
  for (const Route& route : printed_routes()) {
    if (route.access == "public") continue;
    if (route.path.find("{id}") == std::string::npos) continue;
    const std::string path = fill(route, of_alice, alice.id, bob.id);
    HttpResult r = call(bob, route.method, path);
    const bool permitted = route.access == "self-service" || bob_may.count(route.access) == 1;
    if (permitted)
      expect_problem(r, 404, "not-found");
    else
      expect_problem(r, 403, "forbidden");
    EXPECT_EQ(r.body.find("secret-of-"), std::string::npos) << route.method << " " << path;
    ++checked;
    SCOPED_TRACE(route.method + " " + path);
  }
  EXPECT_GE(checked, 20);

  // Nothing of alice's was changed by the attempts.
  HttpResult w = call(alice, "GET", kWorkflows + "/" + of_alice.workflow);
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(w.json()["version"], 1);
  EXPECT_EQ(call(alice, "GET", kCredentials + "/" + of_alice.credential).status, 200);
  EXPECT_EQ(call(alice, "GET", kExecutions + "/" + of_alice.execution).status, 200);
  HttpResult keys = call(alice, "GET", "/api/v1/api-keys");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.json()["items"][0]["revokedAt"], nullptr);
}

TEST_F(Access, ListsShowOnlyWhatTheCallerMaySee) {
  for (const std::string& list : {kWorkflows, kCredentials, kExecutions, std::string("/api/v1/api-keys")}) {
    HttpResult r = call(bob, "GET", list + "?limit=1000");
    ASSERT_EQ(r.status, 200) << list << ": " << r.body;
    for (const std::string& foreign : {of_alice.workflow, of_alice.credential, of_alice.execution, of_alice.api_key})
      EXPECT_EQ(r.body.find(foreign), std::string::npos) << list << " shows " << foreign;
    EXPECT_GE(r.json()["items"].size(), 1u) << list << " lacks bob's own";
  }
  // Paging with a small limit still reaches every visible item and no other.
  std::set<std::string> seen;
  std::string cursor;
  for (int pages = 0; pages < 50; ++pages) {
    HttpResult r = call(bob, "GET", kWorkflows + "?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    const Json page = r.json();
    for (const auto& item : page["items"]) seen.insert(item["id"].get<std::string>());
    if (page["nextCursor"].is_null()) break;
    cursor = page["nextCursor"].get<std::string>();
  }
  EXPECT_EQ(seen.count(of_bob.workflow), 1u);
  EXPECT_EQ(seen.count(of_alice.workflow), 0u);
  // The admin sees everyone's.
  HttpResult all = server->get(kWorkflows + "?limit=1000", server->as_admin());
  EXPECT_NE(all.body.find(of_alice.workflow), std::string::npos);
  EXPECT_NE(all.body.find(of_bob.workflow), std::string::npos);
}

TEST_F(Access, EachRoleGets403ExactlyWhereItsPermissionsEnd) {
  int refused = 0;
  for (const Caller* c : {&vera, &olga, &bob}) {
    const auto& may = kRolePermissions.at(c->role);
    for (const Route& route : printed_routes()) {
      if (route.access == "public" || route.access == "self-service" || may.count(route.access)) continue;
      // The caller's own object (or, for collection routes, none): only the permission refuses.
      const std::string path = fill(route, of_bob, c->id, alice.id);
      HttpResult r = call(*c, route.method, path);
      SCOPED_TRACE(c->role + " " + route.method + " " + path);
      expect_problem(r, 403, "forbidden");
      EXPECT_NE(r.json().value("detail", "").find(route.access), std::string::npos) << r.body;
      ++refused;
    }
  }
  EXPECT_GE(refused, 30);
  // And a viewer reads what it may.
  EXPECT_EQ(call(vera, "GET", kWorkflows).status, 200);
  EXPECT_EQ(call(vera, "GET", "/api/v1/node-types").status, 200);
  EXPECT_EQ(call(olga, "GET", kExecutions).status, 200);
}

TEST_F(Access, SharesOpenExactlyTheirLevelAndTakingThemBackClosesIt) {
  const std::string wf = kWorkflows + "/" + of_alice.workflow;
  const std::string share = wf + "/shares/" + bob.id;
  // Only the owner shares.
  expect_problem(call(bob, "PUT", share, {{"access", "edit"}}), 404, "not-found");

  ASSERT_EQ(call(alice, "PUT", share, {{"access", "read"}}).status, 200);
  EXPECT_EQ(call(bob, "GET", wf).status, 200);
  EXPECT_EQ(call(bob, "GET", kExecutions + "/" + of_alice.execution).status, 200);
  EXPECT_NE(call(bob, "GET", kWorkflows + "?limit=1000").body.find(of_alice.workflow), std::string::npos);
  expect_problem(call(bob, "POST", wf + "/run"), 403, "forbidden");
  expect_problem(call(bob, "PATCH", wf, {{"name", "bob's now"}}), 403, "forbidden");

  ASSERT_EQ(call(alice, "PUT", share, {{"access", "run"}}).status, 200);
  HttpResult ran = call(bob, "POST", wf + "/run?wait=true");
  EXPECT_EQ(ran.status, 200) << ran.body;
  expect_problem(call(bob, "PATCH", wf, {{"name", "bob's now"}}), 403, "forbidden");

  ASSERT_EQ(call(alice, "PUT", share, {{"access", "edit"}}).status, 200);
  HttpResult edited = call(bob, "PATCH", wf, {{"name", "edited by bob"}});
  EXPECT_EQ(edited.status, 200) << edited.body;
  // Edit is not ownership: no deleting, no re-sharing.
  expect_problem(call(bob, "DELETE", wf), 403, "forbidden");
  expect_problem(call(bob, "PUT", wf + "/shares/" + vera.id, {{"access", "read"}}), 403, "forbidden");

  HttpResult shares = call(alice, "GET", wf + "/shares");
  ASSERT_EQ(shares.status, 200) << shares.body;
  EXPECT_EQ(shares.json()["owner"], alice.id);
  EXPECT_EQ(shares.json()["shares"], Json::array({{{"userId", bob.id}, {"access", "edit"}}}));

  ASSERT_EQ(call(alice, "DELETE", share).status, 204);
  expect_problem(call(bob, "GET", wf), 404, "not-found");
  expect_problem(call(alice, "DELETE", share), 404, "not-found");
  // Sharing with nobody, or at a level that does not exist, is refused.
  expect_problem(call(alice, "PUT", wf + "/shares/no-such-user", {{"access", "read"}}), 422, "validation");
  expect_problem(call(alice, "PUT", share, {{"access", "owner"}}), 422, "validation");
  expect_problem(call(alice, "PUT", wf + "/shares/" + alice.id, {{"access", "read"}}), 422, "validation");

  // Credentials share the same way; the secret stays hidden from the user it is shared with.
  const std::string cred = kCredentials + "/" + of_alice.credential;
  ASSERT_EQ(call(alice, "PUT", cred + "/shares/" + bob.id, {{"access", "read"}}).status, 200);
  HttpResult seen = call(bob, "GET", cred);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.body.find("secret-of-"), std::string::npos);
  expect_problem(call(bob, "PATCH", cred, {{"name", "mine"}}), 403, "forbidden");
  ASSERT_EQ(call(alice, "DELETE", cred + "/shares/" + bob.id).status, 204);
  expect_problem(call(bob, "GET", cred), 404, "not-found");

  // Every change of a share is in the audit log.
  HttpResult audit = server->get("/api/v1/audit?objectId=" + of_alice.workflow + "&limit=100", server->as_admin());
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::multiset<std::string> actions;
  const Json events = audit.json();
  for (const auto& e : events["items"]) actions.insert(e["action"].get<std::string>());
  EXPECT_EQ(actions.count("workflow.share"), 3u) << audit.body;
  EXPECT_EQ(actions.count("workflow.unshare"), 1u) << audit.body;
  EXPECT_EQ(actions.count("workflow.update"), 1u) << audit.body;
  EXPECT_EQ(actions.count("workflow.create"), 1u) << audit.body;
}

TEST_F(Access, ApiKeyScopesNarrowAKeyAndCannotWidenIt) {
  HttpResult made = call(alice, "POST", "/api/v1/api-keys", {{"name", "read-only"}, {"scopes", {"workflow.read"}}});
  ASSERT_EQ(made.status, 201) << made.body;
  const Headers key = {{"X-API-Key", made.json()["key"].get<std::string>()}};
  EXPECT_EQ(server->get(kWorkflows + "/" + of_alice.workflow, key).status, 200);
  HttpResult write = server->send_json("POST", kWorkflows, small_workflow("scoped"), key);
  expect_problem(write, 403, "forbidden");
  EXPECT_NE(write.json().value("detail", "").find("scopes"), std::string::npos) << write.body;
  expect_problem(server->get(kCredentials, key), 403, "forbidden");

  // A viewer cannot mint a key that writes; a scope that is no permission is refused.
  expect_problem(call(vera, "POST", "/api/v1/api-keys", {{"name", "w"}, {"scopes", {"workflow.write"}}}), 403,
                 "forbidden");
  expect_problem(call(alice, "POST", "/api/v1/api-keys", {{"name", "w"}, {"scopes", {"workflows:everything"}}}),
                 422, "validation");
}

TEST_F(Access, FieldsACallerMayNotSetAreRefused) {
  Json owned = small_workflow("owned by someone else");
  owned["owner"] = bob.id;
  expect_problem(call(alice, "POST", kWorkflows, owned), 422, "validation");
  expect_problem(call(alice, "PATCH", kWorkflows + "/" + of_alice.workflow, {{"owner", bob.id}}), 422, "validation");
  expect_problem(call(alice, "POST", kCredentials,
                      {{"name", "x"}, {"type", "weft.httpHeaderAuth"}, {"owner", bob.id},
                       {"data", {{"name", "X-A"}, {"value", "v"}}}}),
                 422, "validation");
  expect_problem(send(*server, "POST", "/api/v1/users",
                      {{"id", "chosen"}, {"email", "id@example.com"}, {"name", "n"}, {"role", "viewer"}, {"password", "long-enough-pass"}},
                      server->as_admin()),
                 422, "validation");
}

TEST_F(Access, NodesOfAWorkflowGoActiveOnlyWithCredentialsItsOwnerMayUse) {
  // Bob's webhook naming alice's credential cannot go active; once alice shares it at run, it can.
  Json hook = {{"name", "hook"},
               {"nodes", {{{"id", "h"}, {"type", "weft.webhook"}, {"typeVersion", 1},
                           {"parameters", {{"path", "bob-hook"}, {"auth", "header"}, {"credential", of_alice.credential}}}}}},
               {"edges", Json::array()}};
  HttpResult w = call(bob, "POST", kWorkflows, hook);
  ASSERT_EQ(w.status, 201) << w.body;
  const std::string id = w.json()["id"];
  HttpResult refused = call(bob, "POST", kWorkflows + "/" + id + "/activate");
  expect_problem(refused, 422, "validation");
  EXPECT_NE(refused.body.find("node 'h'"), std::string::npos) << refused.body;
  ASSERT_EQ(call(alice, "PUT", kCredentials + "/" + of_alice.credential + "/shares/" + bob.id, {{"access", "run"}}).status,
            200);
  HttpResult active = call(bob, "POST", kWorkflows + "/" + id + "/activate");
  EXPECT_EQ(active.status, 200) << active.body;
  ASSERT_EQ(call(bob, "POST", kWorkflows + "/" + id + "/deactivate").status, 200);
  ASSERT_EQ(call(alice, "DELETE", kCredentials + "/" + of_alice.credential + "/shares/" + bob.id).status, 204);
}

// A role change and a revoked key count on the next request: `backend` is sqlite or dual.
void RevocationCountsAtOnce(const std::string& backend) {
  WeftServer s({.env = {{"WEFT_RATE_LIMITS", "false"}, {"WEFT_STORAGE_BACKEND", backend}}});
  Caller carol = sign_up(s, "carol", "editor");
  HttpResult key = send(s, "POST", "/api/v1/api-keys", {{"name", "k"}}, carol.auth());
  ASSERT_EQ(key.status, 201) << key.body;
  const Headers carol_key = {{"X-API-Key", key.json()["key"].get<std::string>()}};
  ASSERT_EQ(send(s, "POST", kWorkflows, small_workflow("before"), carol_key).status, 201);

  HttpResult user = s.get("/api/v1/users/" + carol.id, s.as_admin());
  ASSERT_EQ(user.status, 200);
  HttpResult demoted = send(s, "PATCH", "/api/v1/users/" + carol.id, {{"role", "viewer"}}, s.as_admin());
  ASSERT_EQ(demoted.status, 200) << demoted.body;
  expect_problem(send(s, "POST", kWorkflows, small_workflow("after"), carol_key), 403, "forbidden");
  expect_problem(send(s, "POST", kWorkflows, small_workflow("after"), carol.auth()), 403, "forbidden");
  EXPECT_EQ(s.get(kWorkflows, carol_key).status, 200);

  ASSERT_EQ(s.request("DELETE", "/api/v1/api-keys/" + key.json()["id"].get<std::string>(), "", carol.auth()).status, 204);
  expect_problem(s.get(kWorkflows, carol_key), 401, "unauthorized");

  ASSERT_EQ(send(s, "PATCH", "/api/v1/users/" + carol.id, {{"disabled", true}}, s.as_admin()).status, 200);
  expect_problem(s.get(kWorkflows, carol.auth()), 401, "unauthorized");
  EXPECT_EQ(s.stop(), 0);
}

TEST(AccessRevocation, RoleChangesAndRevokedKeysCountAtOnceOnSqlite) { RevocationCountsAtOnce("sqlite"); }
TEST(AccessRevocation, RoleChangesAndRevokedKeysCountAtOnceThroughTheDualCache) { RevocationCountsAtOnce("dual"); }

}  // namespace
}  // namespace weft::test
