// /api/v1/workflows over real sockets: create, list (filters, sort, pagination), get, replace,
// merge patch, delete, versions, If-Match, activation, validation problems, on SQLite and once
// on a throwaway PostgreSQL (tests/contract/pg).
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <filesystem>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";

// A client of the workflow routes as the admin.
class Client {
 public:
  explicit Client(WeftServer& server) : s_(server) {}
  HttpResult create(const Json& doc) { return s_.send_json("POST", kWorkflows, doc, s_.as_admin()); }
  HttpResult get(const std::string& path) { return s_.get(path, s_.as_admin()); }
  HttpResult put(const std::string& id, const Json& doc, Headers h = {}) {
    return s_.send_json("PUT", kWorkflows + "/" + id, doc, s_.as_admin(h));
  }
  HttpResult patch(const std::string& id, const Json& doc, Headers h = {}) {
    return s_.send_json("PATCH", kWorkflows + "/" + id, doc, s_.as_admin(h));
  }
  HttpResult del(const std::string& id, Headers h = {}) {
    return s_.request("DELETE", kWorkflows + "/" + id, "", s_.as_admin(h));
  }
  HttpResult post(const std::string& path) { return s_.request("POST", path, "", s_.as_admin()); }
  // Creates `doc` and returns the workflow; fails the test when it is not 201.
  Json must_create(const Json& doc) {
    HttpResult r = create(doc);
    EXPECT_EQ(r.status, 201) << r.body << r.error;
    return r.json();
  }

 private:
  WeftServer& s_;
};

class Workflows : public SharedServerTest {
 protected:
  Client client() { return Client(*server); }
};

TEST_F(Workflows, EveryRouteAnswers401WithoutAKey) {
  Json doc = example_workflow("order-triage");
  std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", kWorkflows},           {"GET", kWorkflows},
      {"GET", kWorkflows + "/x"},     {"PUT", kWorkflows + "/x"},
      {"PATCH", kWorkflows + "/x"},   {"DELETE", kWorkflows + "/x"},
      {"GET", kWorkflows + "/x/versions"}, {"GET", kWorkflows + "/x/versions/1"},
      {"POST", kWorkflows + "/x/activate"}, {"POST", kWorkflows + "/x/deactivate"}};
  for (const auto& [method, path] : routes) {
    HttpResult r = server->send_json(method, path, doc);
    SCOPED_TRACE(method + " " + path);
    expect_problem(r, 401, "unauthorized");
  }
  HttpResult wrong = server->get(kWorkflows, {{"X-API-Key", "weft_not-a-real-key"}});
  expect_problem(wrong, 401, "unauthorized");
}

TEST_F(Workflows, CreateAnswers201WithServerFieldsAndGetReturnsIt) {
  Client c = client();
  for (const std::string name : {"order-triage", "route-by-country", "fetch-and-summarize"}) {
    SCOPED_TRACE(name);
    Json doc = example_workflow(name);
    HttpResult r = c.create(doc);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("ETag"), "\"1\"");
    Json w = r.json();
    ASSERT_TRUE(w["id"].is_string());
    std::string id = w["id"];
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(r.header("Location"), kWorkflows + "/" + id);
    EXPECT_EQ(w["name"], doc["name"]);
    EXPECT_EQ(w["version"], 1);
    EXPECT_EQ(w["active"], false);
    EXPECT_TRUE(w["owner"].is_string() && !w["owner"].get<std::string>().empty());
    EXPECT_TRUE(w["createdAt"].is_number_integer());
    EXPECT_EQ(w["createdAt"], w["updatedAt"]);
    EXPECT_EQ(w["nodes"], doc["nodes"]);
    EXPECT_EQ(w["edges"], doc["edges"]);

    HttpResult g = c.get(kWorkflows + "/" + id);
    ASSERT_EQ(g.status, 200) << g.body;
    EXPECT_EQ(g.header("ETag"), "\"1\"");
    EXPECT_EQ(g.json(), w);
  }
}

TEST_F(Workflows, InvalidDocumentIs422WithEveryProblemNamingNodeAndPath) {
  Client c = client();
  Json doc = example_workflow("order-triage");
  doc["nodes"][1]["type"] = "weft.no_such_type";                    // node "total"
  doc["nodes"][2]["parameters"]["condition"] = "{{ $json.total > }}";  // node "check"
  HttpResult r = c.create(doc);
  expect_problem(r, 422, "validation");
  Json errors = r.json()["errors"];
  EXPECT_EQ(errors["valid"], false);
  ASSERT_TRUE(errors["problems"].is_array());
  ASSERT_GE(errors["problems"].size(), 2u) << r.body;
  std::set<std::string> nodes, paths;
  for (const auto& p : errors["problems"]) {
    nodes.insert(p.value("node", ""));
    paths.insert(p.value("path", ""));
    EXPECT_FALSE(p.value("message", "").empty());
  }
  EXPECT_TRUE(nodes.count("total")) << r.body;
  EXPECT_TRUE(nodes.count("check")) << r.body;
  EXPECT_TRUE(paths.count("nodes[1].type")) << r.body;
  bool condition_path = false;
  for (const auto& p : paths) condition_path |= p.rfind("nodes[2].parameters.condition", 0) == 0;
  EXPECT_TRUE(condition_path) << r.body;

  Json nameless = example_workflow("order-triage");
  nameless.erase("name");
  HttpResult n = c.create(nameless);
  expect_problem(n, 422, "validation");
  EXPECT_EQ(n.json()["errors"]["problems"][0]["path"], "name") << n.body;

  HttpResult not_object = c.create(Json::array({1, 2}));
  expect_problem(not_object, 422, "validation");
}

TEST_F(Workflows, ServerOwnedFieldsInTheBodyAre422NamingThem) {
  Client c = client();
  Json doc = example_workflow("order-triage");
  doc["id"] = "mine";
  doc["active"] = true;
  HttpResult r = c.create(doc);
  expect_problem(r, 422, "validation");
  std::string detail = r.json()["detail"];
  EXPECT_NE(detail.find("id"), std::string::npos) << detail;
  EXPECT_NE(detail.find("active"), std::string::npos) << detail;
  EXPECT_EQ(r.json()["errors"]["problems"].size(), 2u) << r.body;

  for (const std::string field : {"version", "owner", "createdAt", "updatedAt"}) {
    Json d = example_workflow("order-triage");
    d[field] = 7;
    HttpResult f = c.create(d);
    expect_problem(f, 422, "validation");
    EXPECT_EQ(f.json()["errors"]["problems"][0]["path"], field) << f.body;
  }

  // A GET body PUT back as it is (server fields unchanged) is a replace; changing one is not.
  Json w = c.must_create(example_workflow("order-triage"));
  std::string id = w["id"];
  HttpResult same = c.put(id, w);
  EXPECT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.json()["version"], 2);
  Json changed = same.json();
  changed["owner"] = "someone-else";
  HttpResult refused = c.put(id, changed);
  expect_problem(refused, 422, "validation");
  EXPECT_EQ(refused.json()["errors"]["problems"][0]["path"], "owner");
  HttpResult patched = c.patch(id, {{"active", true}});
  expect_problem(patched, 422, "validation");
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["version"], 2);  // nothing saved
}

TEST_F(Workflows, ReplaceSavesVersion2AndKeepsVersion1) {
  Client c = client();
  Json v1 = c.must_create(example_workflow("order-triage"));
  std::string id = v1["id"];
  Json doc = example_workflow("order-triage");
  doc["name"] = "Order triage, v2";
  doc["nodes"][3]["parameters"]["fields"][0]["value"] = "huge";
  HttpResult r = c.put(id, doc);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("ETag"), "\"2\"");
  Json v2 = r.json();
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["name"], "Order triage, v2");
  EXPECT_EQ(v2["createdAt"], v1["createdAt"]);
  EXPECT_GE(v2["updatedAt"].get<int64_t>(), v1["updatedAt"].get<int64_t>());
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json(), v2);

  HttpResult list = c.get(kWorkflows + "/" + id + "/versions");
  ASSERT_EQ(list.status, 200) << list.body;
  Json items = list.json()["items"];
  ASSERT_EQ(items.size(), 2u) << list.body;
  EXPECT_EQ(items[0]["version"], 2);  // newest first
  EXPECT_EQ(items[1]["version"], 1);
  EXPECT_TRUE(list.json()["nextCursor"].is_null());

  HttpResult one = c.get(kWorkflows + "/" + id + "/versions/1");
  ASSERT_EQ(one.status, 200) << one.body;
  Json old = one.json();
  EXPECT_EQ(old["workflowId"], id);
  EXPECT_EQ(old["version"], 1);
  EXPECT_EQ(old["definition"]["name"], "Order triage");
  EXPECT_EQ(old["definition"]["nodes"][3]["parameters"]["fields"][0]["value"], "big");
  EXPECT_EQ(old["author"], v1["owner"]);
  EXPECT_EQ(c.get(kWorkflows + "/" + id + "/versions/2").json()["definition"]["name"], "Order triage, v2");

  // Paginated: one per page, no repeats.
  HttpResult p1 = c.get(kWorkflows + "/" + id + "/versions?limit=1");
  ASSERT_EQ(p1.status, 200) << p1.body;
  ASSERT_EQ(p1.json()["items"].size(), 1u);
  ASSERT_TRUE(p1.json()["nextCursor"].is_string());
  HttpResult p2 = c.get(kWorkflows + "/" + id + "/versions?limit=1&cursor=" +
                        p1.json()["nextCursor"].get<std::string>());
  ASSERT_EQ(p2.status, 200) << p2.body;
  ASSERT_EQ(p2.json()["items"].size(), 1u);
  EXPECT_EQ(p2.json()["items"][0]["version"], 1);

  expect_problem(c.get(kWorkflows + "/" + id + "/versions/3"), 404, "not-found");
  expect_problem(c.get(kWorkflows + "/" + id + "/versions/first"), 400, "bad-request");

  // An invalid replace saves nothing.
  Json bad = doc;
  bad["edges"].push_back({{"from", "check"}, {"to", "nowhere"}});
  HttpResult invalid = c.put(id, bad);
  expect_problem(invalid, 422, "validation");
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["version"], 2);
}

TEST_F(Workflows, IfMatchStaleIs412AndCurrentApplies) {
  Client c = client();
  Json w = c.must_create(example_workflow("route-by-country"));
  std::string id = w["id"];
  Json doc = example_workflow("route-by-country");
  ASSERT_EQ(c.put(id, doc, {{"If-Match", "\"1\""}}).status, 200);  // -> version 2

  HttpResult stale = c.put(id, doc, {{"If-Match", "\"1\""}});
  expect_problem(stale, 412, "precondition-failed");
  EXPECT_EQ(stale.json()["currentVersion"], 2);
  expect_problem(c.patch(id, {{"name", "x"}}, {{"If-Match", "\"1\""}}), 412, "precondition-failed");
  expect_problem(c.del(id, {{"If-Match", "\"1\""}}), 412, "precondition-failed");
  expect_problem(c.put(id, doc, {{"If-Match", "two"}}), 400, "bad-request");

  HttpResult right = c.put(id, doc, {{"If-Match", "\"2\""}});
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(right.json()["version"], 3);
  HttpResult patched = c.patch(id, {{"name", "renamed"}}, {{"If-Match", "\"3\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.header("ETag"), "\"4\"");
  HttpResult gone = c.del(id, {{"If-Match", "\"4\""}});
  EXPECT_EQ(gone.status, 204) << gone.body;
}

TEST_F(Workflows, PatchIsAJsonMergePatchOfTheDefinition) {
  Client c = client();
  Json w = c.must_create(example_workflow("order-triage"));
  std::string id = w["id"];
  HttpResult r = c.patch(id, {{"name", "Patched"}, {"settings", {{"timezone", "UTC"}, {"note", "n"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json p = r.json();
  EXPECT_EQ(p["version"], 2);
  EXPECT_EQ(p["name"], "Patched");
  EXPECT_EQ(p["settings"], Json({{"timezone", "UTC"}, {"note", "n"}}));
  EXPECT_EQ(p["nodes"], w["nodes"]);  // untouched members stay
  EXPECT_EQ(p["edges"], w["edges"]);

  // null removes a member; an object merges into the one there; the merge-patch media type works.
  HttpResult r2 = server->request("PATCH", kWorkflows + "/" + id,
                                  Json({{"settings", {{"note", nullptr}}}}).dump(),
                                  server->as_admin({{"Content-Type", "application/merge-patch+json"}}));
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(r2.json()["settings"], Json({{"timezone", "UTC"}}));
  EXPECT_EQ(r2.json()["version"], 3);

  // Arrays are replaced whole (RFC 7396) and the result is validated like a PUT.
  HttpResult broken = c.patch(id, {{"edges", Json::array({{{"from", "orders"}, {"to", "ghost"}}})}});
  expect_problem(broken, 422, "validation");
  EXPECT_FALSE(broken.json()["errors"]["problems"].empty());
  HttpResult emptied = c.patch(id, {{"nodes", nullptr}});
  expect_problem(emptied, 422, "validation");
  EXPECT_EQ(emptied.json()["errors"]["problems"][0]["path"], "nodes") << emptied.body;
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["version"], 3);
}

TEST_F(Workflows, UnknownIdIs404ProblemOnEveryRoute) {
  Client c = client();
  const std::string id = "0123456789abcdef0123456789abcdef";
  Json doc = example_workflow("order-triage");
  expect_problem(c.get(kWorkflows + "/" + id), 404, "not-found");
  expect_problem(c.put(id, doc), 404, "not-found");
  expect_problem(c.patch(id, {{"name", "x"}}), 404, "not-found");
  expect_problem(c.del(id), 404, "not-found");
  expect_problem(c.get(kWorkflows + "/" + id + "/versions"), 404, "not-found");
  expect_problem(c.get(kWorkflows + "/" + id + "/versions/1"), 404, "not-found");
  expect_problem(c.post(kWorkflows + "/" + id + "/activate"), 404, "not-found");
  expect_problem(c.post(kWorkflows + "/" + id + "/deactivate"), 404, "not-found");
}

TEST_F(Workflows, DeleteAnswers204ThenTheWorkflowIsGone) {
  Client c = client();
  Json w = c.must_create(example_workflow("order-triage"));
  std::string id = w["id"];
  ASSERT_EQ(c.put(id, example_workflow("order-triage")).status, 200);
  HttpResult d = c.del(id);
  EXPECT_EQ(d.status, 204) << d.body;
  EXPECT_TRUE(d.body.empty());
  expect_problem(c.get(kWorkflows + "/" + id), 404, "not-found");
  expect_problem(c.get(kWorkflows + "/" + id + "/versions/1"), 404, "not-found");
  expect_problem(c.get(kWorkflows + "/" + id + "/versions"), 404, "not-found");
  expect_problem(c.del(id), 404, "not-found");
}

TEST_F(Workflows, ActivateAndDeactivate) {
  Client c = client();
  Json w = c.must_create(example_workflow("order-triage"));
  std::string id = w["id"];
  HttpResult on = c.post(kWorkflows + "/" + id + "/activate");
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(on.json()["active"], true);
  EXPECT_EQ(on.json()["version"], 1);  // activation saves no new version
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["active"], true);
  EXPECT_EQ(c.post(kWorkflows + "/" + id + "/activate").status, 200);  // idempotent

  // A new version of an active workflow stays active.
  HttpResult replaced = c.put(id, example_workflow("order-triage"));
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.json()["active"], true);

  HttpResult off = c.post(kWorkflows + "/" + id + "/deactivate");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["active"], false);
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["active"], false);
}

TEST_F(Workflows, OpenApiDocumentsTheRoutes) {
  HttpResult r = server->get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  Json doc = r.json();
  std::map<std::string, std::vector<std::string>> expected = {
      {"/api/v1/workflows", {"get", "post"}},
      {"/api/v1/workflows/{id}", {"get", "put", "patch", "delete"}},
      {"/api/v1/workflows/{id}/versions", {"get"}},
      {"/api/v1/workflows/{id}/versions/{version}", {"get"}},
      {"/api/v1/workflows/{id}/activate", {"post"}},
      {"/api/v1/workflows/{id}/deactivate", {"post"}}};
  for (const auto& [path, methods] : expected)
    for (const auto& m : methods) EXPECT_TRUE(doc["paths"][path].contains(m)) << m << " " << path;
  for (const std::string schema : {"Workflow", "WorkflowDefinition", "WorkflowPatch", "WorkflowVersion"})
    EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
  EXPECT_EQ(doc["paths"]["/api/v1/workflows"]["post"]["operationId"], "createWorkflow");
}

TEST_F(Workflows, ConcurrentReplacesWithoutIfMatchLoseNoUpdate) {
  Client c = client();
  Json w = c.must_create(example_workflow("order-triage"));
  std::string id = w["id"];
  constexpr int kWriters = 8;
  std::vector<int> status(kWriters, 0);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i)
    writers.emplace_back([&, i] {
      Json doc = example_workflow("order-triage");
      doc["name"] = "writer " + std::to_string(i);
      status[i] = server->send_json("PUT", kWorkflows + "/" + id, doc, server->as_admin()).status;
    });
  for (auto& t : writers) t.join();
  int saved = 0;
  for (int s : status) {
    EXPECT_TRUE(s == 200 || s == 409) << s;
    saved += s == 200;
  }
  EXPECT_GE(saved, 1);
  // Every 200 is a version of its own: none was overwritten by another.
  HttpResult versions = c.get(kWorkflows + "/" + id + "/versions");
  ASSERT_EQ(versions.status, 200) << versions.body;
  EXPECT_EQ(versions.json()["items"].size(), static_cast<size_t>(saved + 1));
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["version"], saved + 1);
}

TEST(WorkflowActivation, ActivatingAVersionThatNoLongerValidatesIs422) {
  TempDir data;
  std::string id;
  {
    WeftServer first({.data_dir = data.path()});
    Client c(first);
    Json w = c.must_create(example_workflow("route-by-country"));  // uses weft.switch
    id = w["id"];
    ASSERT_EQ(first.stop(), 0);
  }
  // The same store, served without the plugin of weft.switch.
  TempDir plugins;
  for (const auto& f : std::filesystem::directory_iterator(WEFT_DEFAULT_PLUGIN_DIR))
    if (f.path().filename() != "weft_switch.so")
      std::filesystem::create_symlink(f.path(), plugins / f.path().filename().string());
  WeftServer second({.data_dir = data.path(), .extra_args = {"--plugins", plugins.path()}});
  Client c(second);
  HttpResult r = c.post(kWorkflows + "/" + id + "/activate");
  expect_problem(r, 422, "validation");
  bool named = false;
  Json problems = r.json()["errors"]["problems"];
  for (const auto& p : problems) named = named || p.value("node", "") == "route";
  EXPECT_TRUE(named) << r.body;
  EXPECT_EQ(c.get(kWorkflows + "/" + id).json()["active"], false);
  EXPECT_EQ(second.stop(), 0) << second.process().stderr_text();
}

// Every id of a paged listing of `query`, in order; fails on a repeat.
std::vector<Json> list_all(Client& c, const std::string& query, int limit) {
  std::vector<Json> all;
  std::set<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    std::string path = kWorkflows + "?limit=" + std::to_string(limit) + query;
    if (!cursor.empty()) path += "&cursor=" + cursor;
    HttpResult r = c.get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    if (r.status != 200) break;
    Json body = r.json();
    EXPECT_LE(body["items"].size(), static_cast<size_t>(limit));
    for (const auto& w : body["items"]) {
      EXPECT_TRUE(seen.insert(w["id"].get<std::string>()).second) << "repeated " << w["id"];
      all.push_back(w);
    }
    if (body["nextCursor"].is_null()) break;
    cursor = body["nextCursor"];
  }
  return all;
}

// The list test needs a server of its own: it counts every workflow there is.
void list_filter_sort_paginate(WeftServer& server) {
  Client c(server);
  std::set<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    Json doc = example_workflow(i % 2 ? "order-triage" : "route-by-country");
    char name[32];
    std::snprintf(name, sizeof name, "wf-%02d", (i * 7) % 30);  // created out of name order
    doc["name"] = name;
    // Each order-triage its own webhook path: two active ones cannot share one.
    for (auto& node : doc["nodes"])
      if (node["type"] == "weft.webhook") node["parameters"]["path"] = std::string("orders-") + name;
    Json w = c.must_create(doc);
    ids.insert(w["id"].get<std::string>());
    if (i % 3 == 0) {
      ASSERT_EQ(c.post(kWorkflows + "/" + w["id"].get<std::string>() + "/activate").status, 200);
    }
  }
  ASSERT_EQ(ids.size(), 30u);

  std::vector<Json> all = list_all(c, "", 7);
  ASSERT_EQ(all.size(), 30u);
  std::set<std::string> listed;
  for (const auto& w : all) listed.insert(w["id"].get<std::string>());
  EXPECT_EQ(listed, ids);
  for (size_t i = 1; i < all.size(); ++i)  // default: updatedAt, newest first
    EXPECT_GE(all[i - 1]["updatedAt"].get<int64_t>(), all[i]["updatedAt"].get<int64_t>());

  std::vector<Json> by_name = list_all(c, "&sort=name", 4);
  ASSERT_EQ(by_name.size(), 30u);
  for (size_t i = 0; i < by_name.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "wf-%02zu", i);
    EXPECT_EQ(by_name[i]["name"], name);
  }
  std::vector<Json> by_name_desc = list_all(c, "&sort=name&order=desc", 11);
  ASSERT_EQ(by_name_desc.size(), 30u);
  EXPECT_EQ(by_name_desc.front()["name"], "wf-29");
  EXPECT_EQ(by_name_desc.back()["name"], "wf-00");
  std::vector<Json> oldest_first = list_all(c, "&sort=updatedAt&order=asc", 30);
  ASSERT_EQ(oldest_first.size(), 30u);
  for (size_t i = 1; i < oldest_first.size(); ++i)
    EXPECT_LE(oldest_first[i - 1]["updatedAt"].get<int64_t>(), oldest_first[i]["updatedAt"].get<int64_t>());

  std::vector<Json> active = list_all(c, "&active=true", 3);
  EXPECT_EQ(active.size(), 10u);
  for (const auto& w : active) EXPECT_EQ(w["active"], true);
  std::vector<Json> inactive = list_all(c, "&active=false&sort=name", 50);
  EXPECT_EQ(inactive.size(), 20u);
  for (const auto& w : inactive) EXPECT_EQ(w["active"], false);

  std::vector<Json> named = list_all(c, "&name=wf-07", 50);
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0]["name"], "wf-07");
  EXPECT_TRUE(list_all(c, "&name=nobody", 50).empty());

  expect_problem(c.get(kWorkflows + "?sort=size"), 400, "bad-request");
  expect_problem(c.get(kWorkflows + "?order=up"), 400, "bad-request");
  expect_problem(c.get(kWorkflows + "?active=maybe"), 400, "bad-request");
  expect_problem(c.get(kWorkflows + "?limit=0"), 400, "bad-request");
  expect_problem(c.get(kWorkflows + "?limit=1001"), 400, "bad-request");
  expect_problem(c.get(kWorkflows + "?cursor=not-a-cursor"), 400, "bad-request");
}

TEST(WorkflowList, FiltersSortsAndPagesThirtyWorkflowsWithoutRepeats) {
  WeftServer server;
  list_filter_sort_paginate(server);
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
}

TEST(WorkflowList, TheSameRoutesOnPostgres) {
  ThrowawayPostgres pg(WEFT_PG_SCRIPTS_DIR);
  {
    WeftServer server({.env = pg.serve_env()});
    ASSERT_EQ(server.get("/ready").json()["checks"]["storage"]["backend"], "postgres");
    list_filter_sort_paginate(server);

    Client c(server);
    Json w = c.must_create(example_workflow("order-triage"));
    std::string id = w["id"];
    ASSERT_EQ(c.put(id, example_workflow("order-triage"), {{"If-Match", "\"1\""}}).status, 200);
    expect_problem(c.put(id, example_workflow("order-triage"), {{"If-Match", "\"1\""}}), 412, "precondition-failed");
    HttpResult p = c.patch(id, {{"name", "on pg"}});
    ASSERT_EQ(p.status, 200) << p.body;
    EXPECT_EQ(p.json()["version"], 3);
    HttpResult versions = c.get(kWorkflows + "/" + id + "/versions");
    ASSERT_EQ(versions.status, 200) << versions.body;
    EXPECT_EQ(versions.json()["items"].size(), 3u);
    EXPECT_EQ(c.get(kWorkflows + "/" + id + "/versions/1").json()["definition"]["name"], "Order triage");
    EXPECT_EQ(c.del(id).status, 204);
    expect_problem(c.get(kWorkflows + "/" + id), 404, "not-found");
    EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
  }
}

}  // namespace
}  // namespace weft::test
