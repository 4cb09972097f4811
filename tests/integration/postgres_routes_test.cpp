// Every HTTP route of `weft serve` on PostgreSQL, over real sockets. Starting a cluster takes
// seconds, so one test starts one throwaway cluster (tests/contract/pg) and one server, walks
// every route group through its success and error paths, asks every route without a key (401),
// checks against `weft serve --print-routes` that the walk left no route out, then restarts the
// server on the same database and finds what was written before (a workflow, an execution, a
// key). The SQLite suites (workflows_test.cpp, executions_test.cpp, auth_test.cpp, ...) test
// each route in depth; this one proves the same surface works on the production backend.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";
const std::string kExecutions = "/api/v1/executions";
const std::string kApiKeys = "/api/v1/api-keys";

// Routes the walk leaves out, by path prefix, with the reason.
const std::vector<std::pair<std::string, std::string>> kNotWalked = {};

// Routes that cannot succeed on PostgreSQL, with the reason; the walk expects their error.
const std::map<std::string, std::string> kNoSuccessOnPostgres = {
    {"PUT /api/v1/admin/storage/mode", "only the dual backend has modes: postgres answers 409"},
};

// Routes with no error path but 401 (no parameter, no body, no query to get wrong).
const std::set<std::string> kNoErrorPath = {
    "GET /health", "GET /ready", "GET /metrics", "GET /api/v1/openapi.json", "GET /api/v1/node-types", "GET /api/v1/plugins",
    "GET /api/v1/credential-types",
    // Its 403 needs a non-admin user, and no route creates users yet.
    "GET /api/v1/admin/storage",
    // Any authenticated caller may ask who it is.
    "GET /api/v1/auth/me",
};

struct Route {
  std::string method;
  std::string path;  // the template, e.g. /api/v1/workflows/{id}
  bool is_public = false;
  std::string key() const { return method + " " + path; }
};

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  std::string s;
  while (std::getline(in, s, '/'))
    if (!s.empty()) out.push_back(s);
  return out;
}

bool excluded(const Route& r) {
  for (const auto& [prefix, why] : kNotWalked)
    if (r.path.rfind(prefix, 0) == 0) return true;
  return false;
}

// `weft serve --print-routes`: "METHOD TEMPLATE operationId [public]" a line.
std::vector<Route> printed_routes() {
  ProcessResult p = run_weft({"serve", "--print-routes"});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  std::vector<Route> routes;
  std::stringstream lines(p.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::stringstream words(line);
    Route r;
    std::string operation, flag;
    words >> r.method >> r.path >> operation >> flag;
    if (r.path.empty()) continue;
    r.is_public = flag == "public";
    routes.push_back(r);
  }
  return routes;
}

// Sends requests and records, per route template, the statuses it answered.
class Walk {
 public:
  Walk(WeftServer& server, std::vector<Route> routes) : s_(&server), routes_(std::move(routes)) {}
  // A request as the admin; a non-null `body` is sent as JSON.
  HttpResult admin(const std::string& method, const std::string& target, const Json& body = nullptr,
                   Headers headers = {}) {
    return send(method, target, body, s_->as_admin(std::move(headers)));
  }
  HttpResult with_key(const std::string& key, const std::string& method, const std::string& target,
                      const Json& body = nullptr) {
    return send(method, target, body, {{"X-API-Key", key}});
  }
  HttpResult anonymous(const std::string& method, const std::string& target, const Json& body = nullptr) {
    return send(method, target, body, {});
  }
  HttpResult with_headers(const std::string& method, const std::string& target, const Json& body, Headers headers) {
    return send(method, target, body, std::move(headers));
  }

  // Records a status answered outside send() (a WebSocket handshake on a raw connection).
  void record(const std::string& route_key, int status) { seen_[route_key].insert(status); }
  WeftServer& server() { return *s_; }

  // The statuses recorded for "METHOD TEMPLATE".
  const std::set<int>& statuses(const std::string& route_key) { return seen_[route_key]; }
  const std::vector<Route>& routes() const { return routes_; }

 private:
  HttpResult send(const std::string& method, const std::string& target, const Json& body, Headers headers) {
    HttpResult r;
    if (body.is_null()) {
      r = s_->request(method, target, "", headers);
    } else {
      headers.emplace_back("Content-Type", "application/json");
      r = s_->request(method, target, body.dump(), headers);
    }
    if (const Route* route = match(method, target)) seen_[route->key()].insert(r.status);
    return r;
  }

  // The route `target` (query ignored) reaches: literal segments must be equal, {param}s take any
  // segment; of several, the one with the most literal segments wins (as in the router).
  const Route* match(const std::string& method, const std::string& target) const {
    std::vector<std::string> got = segments(target.substr(0, target.find('?')));
    const Route* best = nullptr;
    int best_literals = -1;
    for (const auto& r : routes_) {
      if (r.method != method) continue;
      std::vector<std::string> want = segments(r.path);
      // A last "{name...}" takes one segment or more.
      const bool rest = !want.empty() && want.back().size() > 4 &&
                        want.back().compare(want.back().size() - 4, 4, "...}") == 0;
      if (rest ? got.size() < want.size() : want.size() != got.size()) continue;
      int literals = 0;
      bool ok = true;
      for (size_t i = 0; i < want.size() && ok; ++i) {
        if (want[i].front() == '{') continue;
        ok = want[i] == got[i];
        ++literals;
      }
      if (ok && literals > best_literals) {
        best = &r;
        best_literals = literals;
      }
    }
    return best;
  }

  WeftServer* s_;
  std::vector<Route> routes_;
  std::map<std::string, std::set<int>> seen_;
};

// manual -> set (y = x * 2, tag = `tag`).
Json doubling(const std::string& name, const std::string& tag) {
  return {{"name", name},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "s"}, {"type", "weft.set"}, {"typeVersion", 1},
                      {"parameters", {{"fields", {{{"name", "y"}, {"value", "{{ $json.x * 2 }}"}},
                                                  {{"name", "tag"}, {"value", tag}}}}}}}}},
          {"edges", {{{"from", "m"}, {"to", "s"}}}}};
}

// manual -> wait (`seconds`).
Json waiting(const std::string& name, double seconds) {
  return {{"name", name},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "w"}, {"type", "weft.wait"}, {"typeVersion", 1},
                      {"parameters", {{"amount", seconds}, {"unit", "seconds"}}}}}},
          {"edges", {{{"from", "m"}, {"to", "w"}}}}};
}

const std::set<std::string> kFinished = {"success", "error", "cancelled", "interrupted"};

// Polls GET /executions/{id} until its status is one of `wanted` (or 60 s pass).
Json poll(Walk& w, const std::string& id, const std::set<std::string>& wanted) {
  Json last;
  for (int i = 0; i < 600; ++i) {
    HttpResult r = w.admin("GET", kExecutions + "/" + id);
    if (r.status == 200) {
      last = r.json();
      if (wanted.count(last["status"].get<std::string>())) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "execution " << id << " never reached the wanted status; last: " << last.dump();
  return last;
}

// Every item of a paged listing, following nextCursor with `limit` per page; fails on a repeat.
std::vector<Json> list_all(Walk& w, const std::string& path, const std::string& query, int limit) {
  std::vector<Json> all;
  std::set<std::string> ids;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    std::string target = path + "?limit=" + std::to_string(limit) + query;
    if (!cursor.empty()) target += "&cursor=" + cursor;
    HttpResult r = w.admin("GET", target);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    if (r.status != 200) break;
    const Json body = r.json();
    EXPECT_LE(body["items"].size(), static_cast<size_t>(limit)) << target;
    for (const auto& item : body["items"]) {
      // Items are told apart by id; versions, which have none, by version number.
      const std::string identity = item.contains("id") ? item["id"].dump() : item.value("version", Json()).dump();
      EXPECT_TRUE(ids.insert(identity).second) << "repeated " << identity << " in " << path;
      all.push_back(item);
    }
    if (body["nextCursor"].is_null()) break;
    cursor = body["nextCursor"];
  }
  return all;
}

// What the walk wrote, looked for again after the restart.
struct Kept {
  std::string workflow_id;
  Json workflow;
  std::string execution_id;
  Json execution;
  std::string key;          // an API key still valid
  std::string revoked_key;  // an API key revoked before the restart
};

void walk_system_and_catalog(Walk& w) {
  HttpResult health = w.anonymous("GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json()["status"], "ok");

  HttpResult ready = w.anonymous("GET", "/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()["status"], "ready");
  EXPECT_EQ(ready.json()["checks"]["storage"]["backend"], "postgres") << ready.body;
  EXPECT_EQ(ready.json()["checks"]["storage"]["status"], "ok") << ready.body;
  EXPECT_EQ(ready.body.find("weft_test"), std::string::npos) << "the database URL is not public";

  // Prometheus metrics need no key, and the store's calls are labelled with its backend.
  HttpResult metrics = w.anonymous("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_NE(metrics.body.find("weft_storage_operations_total{backend=\"postgres\""), std::string::npos)
      << metrics.body.substr(0, 2000);
  EXPECT_EQ(metrics.body.find("weft_test"), std::string::npos) << "the database URL is not public";

  // The OpenAPI document matches the route table.
  HttpResult openapi = w.anonymous("GET", "/api/v1/openapi.json");
  ASSERT_EQ(openapi.status, 200) << openapi.body;
  const Json doc = openapi.json();
  for (const auto& r : w.routes()) {
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string path = openapi_path(r.path);
    EXPECT_TRUE(doc["paths"].contains(path) && doc["paths"][path].contains(method))
        << r.key() << " is not in the OpenAPI document";
  }

  HttpResult types = w.admin("GET", "/api/v1/node-types");
  ASSERT_EQ(types.status, 200) << types.body;
  std::set<std::string> names;
  const Json listed = types.json();
  for (const auto& t : listed["items"]) names.insert(t["name"].get<std::string>());
  for (const std::string t : {"weft.manual", "weft.set", "weft.wait", "weft.if", "weft.switch"})
    EXPECT_TRUE(names.count(t)) << t << " missing from " << types.body.substr(0, 400);

  HttpResult plugins = w.admin("GET", "/api/v1/plugins");
  ASSERT_EQ(plugins.status, 200) << plugins.body;
  const Json catalog = plugins.json();
  bool postgres_plugin = false;
  for (const auto& p : catalog["plugins"])
    for (const auto& b : p["storageBackends"]) postgres_plugin = postgres_plugin || b == "postgres";
  EXPECT_TRUE(postgres_plugin) << "no loaded plugin registers the postgres backend";
  EXPECT_TRUE(catalog["abi"].is_string());

  HttpResult credential_types = w.admin("GET", "/api/v1/credential-types");
  ASSERT_EQ(credential_types.status, 200) << credential_types.body;
  std::set<std::string> declared;
  const Json declarations = credential_types.json();
  for (const auto& t : declarations["items"]) declared.insert(t["name"].get<std::string>());
  EXPECT_EQ(declared, (std::set<std::string>{"weft.basicAuth", "weft.httpHeaderAuth"})) << credential_types.body;
}

void walk_workflows(Walk& w, const std::string& tag, Kept& kept) {
  // Create: 422 with the problems, then five workflows, two of them active.
  Json invalid = example_workflow("order-triage");
  invalid["nodes"][1]["type"] = "weft.no_such_type";
  HttpResult refused = w.admin("POST", kWorkflows, invalid);
  expect_problem(refused, 422, "validation");
  EXPECT_FALSE(refused.json()["errors"]["problems"].empty()) << refused.body;

  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    Json doc = example_workflow(i % 2 ? "route-by-country" : "order-triage");
    doc["name"] = tag + "-" + std::to_string(4 - i);  // created out of name order
    HttpResult r = w.admin("POST", kWorkflows, doc);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("ETag"), "\"1\"");
    const Json made = r.json();
    ids.push_back(made["id"]);
    EXPECT_EQ(r.header("Location"), kWorkflows + "/" + ids.back());
    EXPECT_EQ(made["nodes"], doc["nodes"]);
    EXPECT_EQ(made["version"], 1);
  }

  // Activate / deactivate (idempotent; no new version). One order-triage only: its webhook path
  // is taken once active.
  for (int i : {0, 1, 3}) {
    HttpResult on = w.admin("POST", kWorkflows + "/" + ids[i] + "/activate");
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_EQ(on.json()["active"], true);
    EXPECT_EQ(on.json()["version"], 1);
  }
  HttpResult off = w.admin("POST", kWorkflows + "/" + ids[3] + "/deactivate");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["active"], false);
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  expect_problem(w.admin("POST", kWorkflows + "/" + unknown + "/activate"), 404, "not-found");
  expect_problem(w.admin("POST", kWorkflows + "/" + unknown + "/deactivate"), 404, "not-found");

  // List: filters, sort, pagination without repeats.
  std::vector<Json> by_name = list_all(w, kWorkflows, "&sort=name&order=asc&name=" + tag + "-2", 2);
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_EQ(by_name[0]["id"], ids[2]);
  std::vector<Json> all;
  for (const auto& item : list_all(w, kWorkflows, "&sort=name", 2))
    if (item["name"].get<std::string>().rfind(tag + "-", 0) == 0) all.push_back(item);
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i]["name"], tag + "-" + std::to_string(i));
  std::set<std::string> active;
  for (const auto& item : list_all(w, kWorkflows, "&active=true", 1)) {
    EXPECT_EQ(item["active"], true);
    active.insert(item["id"].get<std::string>());
  }
  EXPECT_TRUE(active.count(ids[0]) && active.count(ids[1]));
  EXPECT_FALSE(active.count(ids[2]) || active.count(ids[3]));
  // A second order-triage cannot take the same webhook.
  expect_problem(w.admin("POST", kWorkflows + "/" + ids[2] + "/activate"), 409, "conflict");
  expect_problem(w.admin("GET", kWorkflows + "?sort=size"), 400, "bad-request");
  expect_problem(w.admin("GET", kWorkflows + "?cursor=not-a-cursor"), 400, "bad-request");

  // Get, replace with If-Match, patch, versions.
  const std::string id = ids[0];
  HttpResult got = w.admin("GET", kWorkflows + "/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.header("ETag"), "\"1\"");
  expect_problem(w.admin("GET", kWorkflows + "/" + unknown), 404, "not-found");

  Json v2 = example_workflow("order-triage");
  v2["name"] = tag + "-0 v2";
  HttpResult put = w.admin("PUT", kWorkflows + "/" + id, v2, {{"If-Match", "\"1\""}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["version"], 2);
  EXPECT_EQ(put.json()["active"], true) << "a new version of an active workflow stays active";
  HttpResult stale = w.admin("PUT", kWorkflows + "/" + id, v2, {{"If-Match", "\"1\""}});
  expect_problem(stale, 412, "precondition-failed");
  EXPECT_EQ(stale.json()["currentVersion"], 2);
  expect_problem(w.admin("PUT", kWorkflows + "/" + unknown, v2), 404, "not-found");

  HttpResult patched = w.admin("PATCH", kWorkflows + "/" + id, {{"name", tag + "-0 v3"}}, {{"If-Match", "\"2\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.header("ETag"), "\"3\"");
  EXPECT_EQ(patched.json()["nodes"], v2["nodes"]);
  expect_problem(w.admin("PATCH", kWorkflows + "/" + id, {{"owner", "someone-else"}}), 422, "validation");
  expect_problem(w.admin("PATCH", kWorkflows + "/" + unknown, {{"name", "x"}}), 404, "not-found");

  std::vector<Json> versions = list_all(w, kWorkflows + "/" + id + "/versions", "", 1);
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0]["version"], 3);  // newest first
  EXPECT_EQ(versions[2]["version"], 1);
  HttpResult first = w.admin("GET", kWorkflows + "/" + id + "/versions/1");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["definition"]["name"], tag + "-4");
  EXPECT_EQ(first.json()["workflowId"], id);
  expect_problem(w.admin("GET", kWorkflows + "/" + id + "/versions/9"), 404, "not-found");
  expect_problem(w.admin("GET", kWorkflows + "/" + id + "/versions/first"), 400, "bad-request");
  expect_problem(w.admin("GET", kWorkflows + "/" + unknown + "/versions"), 404, "not-found");

  // Delete: a stale If-Match is 412, then 204, then the workflow and its versions are gone.
  const std::string doomed = ids[1];
  expect_problem(w.admin("DELETE", kWorkflows + "/" + doomed, nullptr, {{"If-Match", "\"7\""}}), 412,
                 "precondition-failed");
  HttpResult deleted = w.admin("DELETE", kWorkflows + "/" + doomed);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  expect_problem(w.admin("GET", kWorkflows + "/" + doomed), 404, "not-found");
  expect_problem(w.admin("GET", kWorkflows + "/" + doomed + "/versions"), 404, "not-found");
  expect_problem(w.admin("DELETE", kWorkflows + "/" + doomed), 404, "not-found");

  kept.workflow_id = id;
  kept.workflow = w.admin("GET", kWorkflows + "/" + id).json();
}

void walk_executions(Walk& w, const std::string& tag, Kept& kept) {
  HttpResult created = w.admin("POST", kWorkflows, doubling(tag + "-double", "v1"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string wf = created.json()["id"];

  // Run: 202 with a Location, then the execution finishes.
  HttpResult accepted = w.admin("POST", kWorkflows + "/" + wf + "/run", {{"items", {{{"x", 3}}}}});
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string first = accepted.json()["executionId"];
  EXPECT_EQ(accepted.header("Location"), kExecutions + "/" + first);
  Json done = poll(w, first, kFinished);
  EXPECT_EQ(done["status"], "success") << done.dump();
  EXPECT_EQ(done["result"]["s"][0]["y"], 6) << done.dump();

  // Run ?wait=true: the finished execution with its node runs, equal to what GET answers.
  std::vector<std::string> ids = {first};
  for (int x = 1; x <= 3; ++x) {
    HttpResult r = w.admin("POST", kWorkflows + "/" + wf + "/run?wait=true", {{"items", {{{"x", x}}, {{"x", 10}}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Json e = r.json();
    EXPECT_EQ(e["status"], "success");
    EXPECT_EQ(e["workflowVersion"], 1);
    ASSERT_EQ(e["nodes"].size(), 2u) << e.dump();
    EXPECT_EQ(e["nodes"][1]["id"], "s");
    EXPECT_EQ(e["nodes"][1]["output"][0][0]["y"], 2 * x) << e.dump();
    ids.push_back(e["id"]);
  }
  HttpResult one = w.admin("GET", kExecutions + "/" + ids[1]);
  ASSERT_EQ(one.status, 200) << one.body;
  const Json recorded = one.json();
  EXPECT_EQ(recorded["workflowId"], wf);
  ASSERT_EQ(recorded["nodes"].size(), 2u) << one.body;
  EXPECT_EQ(recorded["nodes"][0]["id"], "m");
  EXPECT_EQ(recorded["nodes"][1]["output"][0][1]["y"], 20) << one.body;
  expect_problem(w.admin("GET", kExecutions + "/no-such-execution"), 404, "not-found");

  // Bad runs.
  expect_problem(w.admin("POST", kWorkflows + "/" + wf + "/run", {{"items", 3}}), 400, "bad-request");
  expect_problem(w.admin("POST", kWorkflows + "/" + wf + "/run?wait=maybe", Json::object()), 400, "bad-request");
  expect_problem(w.admin("POST", kWorkflows + "/no-such-workflow/run", Json::object()), 404, "not-found");

  // List by workflow and by status, newest first, paginated.
  std::vector<Json> listed = list_all(w, kExecutions, "&workflowId=" + wf, 3);
  ASSERT_EQ(listed.size(), 4u);
  std::set<std::string> listed_ids;
  for (size_t i = 0; i < listed.size(); ++i) {
    listed_ids.insert(listed[i]["id"].get<std::string>());
    EXPECT_EQ(listed[i]["workflowId"], wf);
    if (i > 0) {
      EXPECT_LE(listed[i]["startedAt"].get<int64_t>(), listed[i - 1]["startedAt"].get<int64_t>());
    }
  }
  EXPECT_EQ(listed_ids, std::set<std::string>(ids.begin(), ids.end()));
  EXPECT_EQ(list_all(w, kExecutions, "&workflowId=" + wf + "&status=success", 1).size(), 4u);
  EXPECT_TRUE(list_all(w, kExecutions, "&workflowId=" + wf + "&status=error", 5).empty());
  expect_problem(w.admin("GET", kExecutions + "?status=done"), 400, "bad-request");
  expect_problem(w.admin("GET", kExecutions + "?limit=0"), 400, "bad-request");

  // Cancel a long weft.wait: deleting it while it runs is 409; cancel 202; a second cancel 409.
  HttpResult slow = w.admin("POST", kWorkflows, waiting(tag + "-wait", 600));
  ASSERT_EQ(slow.status, 201) << slow.body;
  HttpResult started = w.admin("POST", kWorkflows + "/" + slow.json()["id"].get<std::string>() + "/run");
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string waiting_id = started.json()["executionId"];
  poll(w, waiting_id, {"running"});
  expect_problem(w.admin("DELETE", kExecutions + "/" + waiting_id), 409, "conflict");
  expect_problem(w.admin("POST", kExecutions + "/" + waiting_id + "/retry", Json::object()), 409, "conflict");
  HttpResult cancel = w.admin("POST", kExecutions + "/" + waiting_id + "/cancel");
  EXPECT_EQ(cancel.status, 202) << cancel.body;
  EXPECT_EQ(poll(w, waiting_id, kFinished)["status"], "cancelled");
  expect_problem(w.admin("POST", kExecutions + "/" + waiting_id + "/cancel"), 409, "conflict");
  expect_problem(w.admin("POST", kExecutions + "/no-such-execution/cancel"), 404, "not-found");

  // Retry on the pinned version (the default) and on the current one.
  HttpResult v2 = w.admin("PUT", kWorkflows + "/" + wf, doubling(tag + "-double", "v2"));
  ASSERT_EQ(v2.status, 200) << v2.body;
  HttpResult pinned = w.admin("POST", kExecutions + "/" + first + "/retry?wait=true", Json::object());
  ASSERT_EQ(pinned.status, 200) << pinned.body;
  EXPECT_EQ(pinned.json()["retryOf"], first);
  EXPECT_EQ(pinned.json()["workflowVersion"], 1);
  EXPECT_EQ(pinned.json()["result"]["s"][0]["tag"], "v1") << pinned.body;
  HttpResult current = w.admin("POST", kExecutions + "/" + first + "/retry?wait=true", {{"version", "current"}});
  ASSERT_EQ(current.status, 200) << current.body;
  EXPECT_EQ(current.json()["workflowVersion"], 2);
  EXPECT_EQ(current.json()["result"]["s"][0]["tag"], "v2") << current.body;
  EXPECT_EQ(current.json()["result"]["s"][0]["y"], 6) << "the same input, replayed";
  HttpResult later = w.admin("POST", kExecutions + "/" + first + "/retry", Json::object());
  ASSERT_EQ(later.status, 202) << later.body;
  EXPECT_EQ(poll(w, later.json()["executionId"], kFinished)["status"], "success");
  expect_problem(w.admin("POST", kExecutions + "/" + first + "/retry", {{"version", "latest"}}), 400, "bad-request");
  expect_problem(w.admin("POST", kExecutions + "/no-such-execution/retry", Json::object()), 404, "not-found");

  // Delete a finished execution.
  HttpResult removed = w.admin("DELETE", kExecutions + "/" + ids[3]);
  EXPECT_EQ(removed.status, 204) << removed.body;
  expect_problem(w.admin("GET", kExecutions + "/" + ids[3]), 404, "not-found");
  expect_problem(w.admin("DELETE", kExecutions + "/" + ids[3]), 404, "not-found");

  kept.execution_id = ids[1];
  kept.execution = recorded;
}

void walk_api_keys(Walk& w, const std::string& tag, Kept& kept) {
  HttpResult created = w.admin("POST", kApiKeys, {{"name", tag + " revoked"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const Json k = created.json();
  const std::string key = k["key"];
  const std::string id = k["id"];
  EXPECT_EQ(k["prefix"], key.substr(0, 13));
  EXPECT_EQ(created.header("Location"), kApiKeys + "/" + id);
  HttpResult second = w.admin("POST", kApiKeys, {{"name", tag + " kept"}, {"scopes", {"workflow.read"}}});
  ASSERT_EQ(second.status, 201) << second.body;
  kept.key = second.json()["key"];

  // Listed by prefix, never with the key or its hash; paginated.
  std::map<std::string, Json> by_id;
  for (const auto& item : list_all(w, kApiKeys, "", 1)) by_id[item["id"].get<std::string>()] = item;
  ASSERT_TRUE(by_id.count(id));
  EXPECT_EQ(by_id[id]["prefix"], k["prefix"]);
  for (const auto& [_, item] : by_id) {
    EXPECT_FALSE(item.contains("key")) << item.dump();
    EXPECT_FALSE(item.contains("hash")) << item.dump();
  }
  HttpResult one = w.admin("GET", kApiKeys + "/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_FALSE(one.json().contains("key"));
  EXPECT_EQ(one.body.find(key), std::string::npos);
  expect_problem(w.admin("GET", kApiKeys + "/no-such-key"), 404, "not-found");
  expect_problem(w.admin("GET", kApiKeys + "?limit=0"), 400, "bad-request");
  expect_problem(w.admin("POST", kApiKeys, Json::object()), 422, "validation");
  expect_problem(w.admin("POST", kApiKeys, {{"name", "x"}, {"userId", "someone"}}), 422, "validation");

  // The key works until it is revoked, then answers 401 at once.
  EXPECT_EQ(w.with_key(key, "GET", "/api/v1/node-types").status, 200);
  HttpResult revoked = w.admin("DELETE", kApiKeys + "/" + id);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  expect_problem(w.with_key(key, "GET", "/api/v1/node-types"), 401, "unauthorized");
  EXPECT_TRUE(w.admin("GET", kApiKeys + "/" + id).json()["revokedAt"].is_number_integer());
  expect_problem(w.admin("DELETE", kApiKeys + "/no-such-key"), 404, "not-found");
  kept.revoked_key = key;
}

void walk_credentials(Walk& w, const std::string& tag) {
  const std::string base = "/api/v1/credentials";
  HttpResult created = w.admin("POST", base,
                               {{"name", tag + " header"},
                                {"type", "weft.httpHeaderAuth"},
                                {"data", {{"name", "X-Walk"}, {"value", "pg-walk-secret"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  HttpResult one = w.admin("GET", base + "/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["data"], Json({{"name", "X-Walk"}}));
  EXPECT_EQ(one.body.find("pg-walk-secret"), std::string::npos);
  HttpResult list = w.admin("GET", base + "?type=weft.httpHeaderAuth");
  ASSERT_EQ(list.status, 200) << list.body;
  HttpResult renamed = w.admin("PATCH", base + "/" + id, {{"name", tag + " renamed"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["name"], tag + " renamed");
  expect_problem(w.admin("POST", base, {{"name", "x"}, {"type", "weft.nope"}, {"data", Json::object()}}), 422,
                 "validation");
  expect_problem(w.admin("GET", base + "?limit=0"), 400, "bad-request");
  expect_problem(w.admin("GET", base + "/no-such-credential"), 404, "not-found");
  expect_problem(w.admin("PATCH", base + "/" + id, {{"type", "weft.basicAuth"}}), 422, "validation");
  expect_problem(w.admin("DELETE", base + "/no-such-credential"), 404, "not-found");
  EXPECT_EQ(w.admin("DELETE", base + "/" + id).status, 204);
}

void walk_users(Walk& w, const std::string& tag) {
  const std::string base = "/api/v1/users";
  HttpResult created = w.admin("POST", base,
                               {{"email", tag + "@example.com"}, {"name", "Walker"}, {"role", "viewer"},
                                {"password", "pg walk password"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  EXPECT_EQ(created.body.find("argon2"), std::string::npos);
  expect_problem(w.admin("POST", base, {{"email", tag + "@EXAMPLE.com"}, {"name", "Twin"}, {"role", "viewer"},
                                        {"password", "pg walk password"}}),
                 409, "conflict");
  HttpResult list = w.admin("GET", base + "?role=viewer");
  ASSERT_EQ(list.status, 200) << list.body;
  expect_problem(w.admin("GET", base + "?limit=0"), 400, "bad-request");
  HttpResult one = w.admin("GET", base + "/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  expect_problem(w.admin("GET", base + "/no-such-user"), 404, "not-found");
  HttpResult promoted = w.admin("PATCH", base + "/" + id, {{"role", "editor"}}, {{"If-Match", one.header("ETag")}});
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(promoted.json()["role"], "editor");
  expect_problem(w.admin("PATCH", base + "/" + id, {{"role", "owner"}}), 422, "validation");
  expect_problem(w.admin("DELETE", base + "/no-such-user"), 404, "not-found");
  EXPECT_EQ(w.admin("DELETE", base + "/" + id).status, 204);
}

// Sign-in: login, me with the access token, refresh (a rotated token answers 401), logout (the
// token stops working at once).
void walk_auth(Walk& w, const std::string& tag) {
  const std::string email = tag + "-signin@example.com", password = "pg walk password";
  HttpResult user = w.admin("POST", "/api/v1/users",
                            {{"email", email}, {"name", "Signer"}, {"role", "viewer"}, {"password", password}});
  ASSERT_EQ(user.status, 201) << user.body;
  expect_problem(w.anonymous("POST", "/api/v1/auth/login", {{"email", email}, {"password", "not the password"}}), 401,
                 "unauthorized");
  expect_problem(w.anonymous("POST", "/api/v1/auth/login", {{"email", email}}), 422, "validation");
  HttpResult login = w.anonymous("POST", "/api/v1/auth/login", {{"email", email}, {"password", password}});
  ASSERT_EQ(login.status, 200) << login.body;
  const Json first = login.json();

  HttpResult refreshed = w.anonymous("POST", "/api/v1/auth/refresh", {{"refreshToken", first["refreshToken"]}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const Json next = refreshed.json();
  expect_problem(w.anonymous("POST", "/api/v1/auth/refresh", {{"refreshToken", 7}}), 422, "validation");

  const Headers bearer = {{"Authorization", "Bearer " + next["accessToken"].get<std::string>()}};
  HttpResult me = w.with_headers("GET", "/api/v1/auth/me", nullptr, bearer);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["email"], email);
  EXPECT_EQ(me.json()["kind"], "user");
  EXPECT_TRUE(me.json()["sessionId"].is_string()) << me.body;

  // An API key has no session to end; a session ends at once.
  expect_problem(w.admin("POST", "/api/v1/auth/logout"), 422, "validation");
  HttpResult out = w.with_headers("POST", "/api/v1/auth/logout", nullptr, bearer);
  EXPECT_EQ(out.status, 204) << out.body;
  expect_problem(w.with_headers("GET", "/api/v1/auth/me", nullptr, bearer), 401, "unauthorized");
  // Reusing the first (rotated) refresh token: 401.
  expect_problem(w.anonymous("POST", "/api/v1/auth/refresh", {{"refreshToken", first["refreshToken"]}}), 401,
                 "unauthorized");
}

// One workflow with a webhook per method: each answers at once (202) on PostgreSQL.
void walk_webhooks(Walk& w, const std::string& tag) {
  Json nodes = Json::array();
  for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
    nodes.push_back({{"id", std::string("hook-") + method},
                     {"type", "weft.webhook"},
                     {"typeVersion", 1},
                     {"parameters", {{"path", tag + "/in"}, {"method", method}}}});
  HttpResult created = w.admin("POST", kWorkflows, {{"name", tag + " hooks"}, {"nodes", nodes}, {"edges", Json::array()}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  ASSERT_EQ(w.admin("POST", kWorkflows + "/" + id + "/activate").status, 200);
  for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) {
    SCOPED_TRACE(method);
    Json body = std::string(method) == "GET" || std::string(method) == "HEAD" || std::string(method) == "DELETE"
                    ? Json(nullptr)
                    : Json{{"n", 1}};
    HttpResult r = w.anonymous(method, "/webhook/" + tag + "/in", body);
    EXPECT_EQ(r.status, 202) << r.body;
    expect_problem(w.anonymous(method, "/webhook/" + tag + "/nobody", body), 404, "not-found");
  }
}

// Sharing a workflow and a credential with another user, then the audit log that recorded it.
void walk_shares_and_audit(Walk& w, const std::string& tag) {
  HttpResult user = w.admin("POST", "/api/v1/users",
                            {{"email", tag + "-share@example.com"}, {"name", "Sharer"}, {"role", "viewer"},
                             {"password", "pg walk password"}});
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string user_id = user.json()["id"];
  HttpResult wf = w.admin("POST", kWorkflows, doubling(tag + "-shared", "s"));
  ASSERT_EQ(wf.status, 201) << wf.body;
  HttpResult cred = w.admin("POST", "/api/v1/credentials",
                            {{"name", tag + " shared"}, {"type", "weft.basicAuth"},
                             {"data", {{"user", "u"}, {"password", "pg-walk-shared-secret"}}}});
  ASSERT_EQ(cred.status, 201) << cred.body;
  for (const std::string& base : {kWorkflows + "/" + wf.json()["id"].get<std::string>(),
                                  "/api/v1/credentials/" + cred.json()["id"].get<std::string>()}) {
    SCOPED_TRACE(base);
    HttpResult shared = w.admin("PUT", base + "/shares/" + user_id, {{"access", "read"}});
    ASSERT_EQ(shared.status, 200) << shared.body;
    HttpResult listed = w.admin("GET", base + "/shares");
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.json()["shares"], Json::array({{{"userId", user_id}, {"access", "read"}}}));
    expect_problem(w.admin("PUT", base + "/shares/" + user_id, {{"access", "all"}}), 422, "validation");
    expect_problem(w.admin("GET", base + "x/shares"), 404, "not-found");
    EXPECT_EQ(w.admin("DELETE", base + "/shares/" + user_id).status, 204);
    expect_problem(w.admin("DELETE", base + "/shares/" + user_id), 404, "not-found");
  }
  HttpResult audit = w.admin("GET", "/api/v1/audit?action=workflow.share&objectId=" + wf.json()["id"].get<std::string>());
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_EQ(audit.json()["items"].size(), 1u) << audit.body;
  EXPECT_EQ(audit.json()["items"][0]["detail"]["userId"], user_id);
  EXPECT_EQ(audit.body.find("pg-walk-shared-secret"), std::string::npos);
  expect_problem(w.admin("GET", "/api/v1/audit?limit=0"), 400, "bad-request");
}

void walk_admin_storage(Walk& w) {
  HttpResult report = w.admin("GET", "/api/v1/admin/storage");
  ASSERT_EQ(report.status, 200) << report.body;
  const Json r = report.json();
  EXPECT_EQ(r["backend"], "postgres");
  EXPECT_EQ(r["durable"], true);
  EXPECT_TRUE(r["stats"].is_object()) << report.body;
  EXPECT_GE(r["schema"]["latest"], 1) << report.body;
  EXPECT_EQ(report.body.find("weft_test"), std::string::npos) << "no connection details";

  // Only dual has modes.
  HttpResult mode = w.admin("PUT", "/api/v1/admin/storage/mode", {{"mode", "dual"}});
  expect_problem(mode, 409, "conflict");
  EXPECT_NE(mode.json()["detail"].get<std::string>().find("postgres"), std::string::npos) << mode.body;
}

// GET /ws: a real RFC 6455 handshake as the admin switches protocols (101); a plain GET is
// refused (400).
void walk_websocket(Walk& w) {
  expect_problem(w.admin("GET", "/ws"), 400, "bad-request");
  RawConnection ws(w.server().port());
  ASSERT_TRUE(ws.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      "X-API-Key: " + w.server().admin_key() + "\r\n\r\n"));
  HttpResult r = ws.read_response();
  ASSERT_EQ(r.status, 101) << r.error << r.body;
  EXPECT_EQ(r.header("Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");  // RFC 6455's example
  w.record("GET /ws", r.status);
}

// Every route but the public ones answers 401 without a key, and with an unknown key.
void walk_without_keys(Walk& w) {
  for (const auto& r : w.routes()) {
    if (excluded(r)) continue;
    std::string target = r.path;
    for (size_t open; (open = target.find('{')) != std::string::npos;)
      target.replace(open, target.find('}', open) - open + 1, "x");
    SCOPED_TRACE(r.key() + " as " + target);
    Json body = r.method == "GET" || r.method == "DELETE" ? Json(nullptr) : Json::object();
    HttpResult anonymous = w.anonymous(r.method, target, body);
    if (r.is_public) {
      EXPECT_NE(anonymous.status, 401) << anonymous.body;
      continue;
    }
    expect_problem(anonymous, 401, "unauthorized");
    expect_problem(w.with_key("weft_" + std::string(43, 'Q'), r.method, target, body), 401, "unauthorized");
  }
}

// After the walk: each route not left out answered a success (2xx), each protected one a 401,
// and each with something to get wrong a client error other than 401.
void expect_every_route_walked(Walk& w) {
  int walked = 0;
  for (const auto& r : w.routes()) {
    if (excluded(r)) continue;
    ++walked;
    const std::set<int>& seen = w.statuses(r.key());
    std::string statuses;
    for (int s : seen) statuses += " " + std::to_string(s);
    SCOPED_TRACE(r.key() + " answered:" + statuses);
    bool success = false, client_error = false;
    for (int s : seen) {
      success = success || (s >= 200 && s < 300) || (s == 101 && r.path == "/ws");  // 101: the upgrade
      client_error = client_error || (s >= 400 && s < 500 && s != 401);
    }
    EXPECT_TRUE(success || kNoSuccessOnPostgres.count(r.key())) << "no success path walked";
    EXPECT_TRUE(r.is_public || seen.count(401)) << "never asked without a key";
    EXPECT_TRUE(client_error || kNoErrorPath.count(r.key())) << "no error path walked";
  }
  EXPECT_GE(walked, 27) << "--print-routes listed fewer routes than this walk knows";
}

TEST(PostgresRoutes, EveryRouteOnOneServerThenARestartKeepsWhatWasWritten) {
  const std::vector<Route> routes = printed_routes();
  ASSERT_FALSE(routes.empty());
  ThrowawayPostgres pg(WEFT_PG_SCRIPTS_DIR);
  TempDir data;
  // A fresh name per run, so that a shared server (WEFT_TEST_PG_URL) holding older rows does not
  // disturb the counts.
  const std::string tag = "pg-walk-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  Kept kept;
  {
    auto env = pg.serve_env();
    env["WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST"] = "100";  // the walk signs in more often than a person
    WeftServer server({.data_dir = data.path(), .env = env});
    Walk w(server, routes);
    ASSERT_NO_FATAL_FAILURE(walk_system_and_catalog(w));
    ASSERT_NO_FATAL_FAILURE(walk_workflows(w, tag, kept));
    ASSERT_NO_FATAL_FAILURE(walk_executions(w, tag, kept));
    ASSERT_NO_FATAL_FAILURE(walk_api_keys(w, tag, kept));
    ASSERT_NO_FATAL_FAILURE(walk_credentials(w, tag));
    ASSERT_NO_FATAL_FAILURE(walk_webhooks(w, tag));
    ASSERT_NO_FATAL_FAILURE(walk_users(w, tag));
    ASSERT_NO_FATAL_FAILURE(walk_auth(w, tag));
    ASSERT_NO_FATAL_FAILURE(walk_shares_and_audit(w, tag));
    ASSERT_NO_FATAL_FAILURE(walk_admin_storage(w));
    ASSERT_NO_FATAL_FAILURE(walk_websocket(w));
    walk_without_keys(w);
    expect_every_route_walked(w);
    EXPECT_EQ(server.process().stderr_text().find(pg.url()), std::string::npos) << "the URL holds a password";
    ASSERT_EQ(server.stop(), 0) << server.process().stderr_text();
  }

  // A new process on the same database finds the admin (its key from the first start still
  // works), the workflow with its versions, the execution and the keys.
  WeftServer again({.data_dir = data.path(), .env = pg.serve_env()});
  EXPECT_EQ(again.process().stdout_text().find("first start"), std::string::npos)
      << "the admin user was found in the database";
  EXPECT_EQ(again.get("/ready").json()["checks"]["storage"]["backend"], "postgres");
  HttpResult workflow = again.get(kWorkflows + "/" + kept.workflow_id, again.as_admin());
  ASSERT_EQ(workflow.status, 200) << workflow.body;
  EXPECT_EQ(workflow.json(), kept.workflow);
  HttpResult versions = again.get(kWorkflows + "/" + kept.workflow_id + "/versions", again.as_admin());
  ASSERT_EQ(versions.status, 200) << versions.body;
  EXPECT_EQ(versions.json()["items"].size(), 3u);
  HttpResult execution = again.get(kExecutions + "/" + kept.execution_id, again.as_admin());
  ASSERT_EQ(execution.status, 200) << execution.body;
  EXPECT_EQ(execution.json(), kept.execution);
  EXPECT_EQ(again.get("/api/v1/node-types", {{"X-API-Key", kept.key}}).status, 200);
  EXPECT_EQ(again.get("/api/v1/node-types", {{"X-API-Key", kept.revoked_key}}).status, 401);
  EXPECT_EQ(again.stop(), 0) << again.process().stderr_text();
}

}  // namespace
}  // namespace weft::test
