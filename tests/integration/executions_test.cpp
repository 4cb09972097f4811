// POST /api/v1/workflows/{id}/run and /api/v1/executions over real sockets: run (202 and
// ?wait=true), list filters and pagination, cancel, retry (pinned and current version), delete,
// 404s, 401, a full queue (503 + Retry-After) and executions interrupted by a SIGTERM.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <string>
#include <thread>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";
const std::string kExecutions = "/api/v1/executions";

// manual -> set (y = x * 2, tag = `tag`).
Json doubling(const std::string& tag) {
  return {{"name", "double " + tag},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "s"}, {"type", "weft.set"}, {"typeVersion", 1},
                      {"parameters", {{"fields", {{{"name", "y"}, {"value", "{{ $json.x * 2 }}"}},
                                                  {{"name", "tag"}, {"value", tag}}}}}}}}},
          {"edges", {{{"from", "m"}, {"to", "s"}}}}};
}

// manual -> wait (`seconds`).
Json waiting(double seconds) {
  return {{"name", "wait"},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "w"}, {"type", "weft.wait"}, {"typeVersion", 1},
                      {"parameters", {{"amount", seconds}, {"unit", "seconds"}}}}}},
          {"edges", {{{"from", "m"}, {"to", "w"}}}}};
}

// A JSON request as the admin.
HttpResult send(WeftServer& server, const std::string& method, const std::string& path, const Json& body) {
  return server.send_json(method, path, body, server.as_admin());
}

std::string create(WeftServer& server, const Json& doc) {
  auto r = send(server, "POST", kWorkflows, doc);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json()["id"].get<std::string>();
}

// POST run; returns the response.
HttpResult run(WeftServer& server, const std::string& workflow, const Json& body = Json::object(),
               const std::string& query = "") {
  return send(server, "POST", kWorkflows + "/" + workflow + "/run" + query, body);
}

const std::set<std::string> kFinished = {"success", "error", "cancelled", "interrupted"};

void expect_problem(const HttpResult& r, int status) {
  EXPECT_EQ(r.status, status) << r.body << r.error;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json; charset=utf-8") << r.body;
}

using Executions = SharedServerTest;

TEST_F(Executions, RunAnswers202AndTheExecutionFinishes) {
  std::string wf = create(*server, doubling("a"));
  auto r = run(*server, wf, {{"items", {{{"x", 3}}}}});
  ASSERT_EQ(r.status, 202) << r.body;
  Json accepted = r.json();
  std::string id = accepted["executionId"];
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(r.header("Location"), kExecutions + "/" + id);
  Json e = poll_execution(*server, id, kFinished);
  EXPECT_EQ(e["status"], "success") << e.dump();
  EXPECT_EQ(e["workflowId"], wf);
  EXPECT_EQ(e["workflowVersion"], 1);
  EXPECT_EQ(e["mode"], "api");
  EXPECT_EQ(e["result"]["s"][0]["y"], 6) << e.dump();
}

TEST_F(Executions, RunWithWaitAnswersTheFinishedExecutionWithNodeRuns) {
  std::string wf = create(*server, doubling("b"));
  auto r = run(*server, wf, {{"items", {{{"x", 5}}, {{"x", 7}}}}}, "?wait=true");
  ASSERT_EQ(r.status, 200) << r.body;
  Json e = r.json();
  EXPECT_EQ(e["status"], "success");
  ASSERT_EQ(e["nodes"].size(), 2u) << e.dump();
  EXPECT_EQ(e["nodes"][0]["id"], "m");
  EXPECT_EQ(e["nodes"][1]["id"], "s");
  EXPECT_EQ(e["nodes"][1]["output"][0][1]["y"], 14) << e.dump();
  EXPECT_EQ(e["input"].size(), 2u);
  auto got = server->get(kExecutions + "/" + e["id"].get<std::string>(), server->as_admin());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["nodes"], e["nodes"]);

  // No body at all runs with one empty item; a failing node gives status error.
  auto failing = server->request("POST", kWorkflows + "/" + wf + "/run?wait=true", "", server->as_admin());
  ASSERT_EQ(failing.status, 200) << failing.body;
  EXPECT_EQ(failing.json()["status"], "error");
  EXPECT_EQ(failing.json()["error"]["node"], "s");
}

TEST_F(Executions, BadRunBodiesAre400) {
  std::string wf = create(*server, doubling("c"));
  expect_problem(run(*server, wf, {{"items", 3}}), 400);
  expect_problem(run(*server, wf, {{"items", {1}}}), 400);
  expect_problem(run(*server, wf, Json::array()), 400);
  expect_problem(run(*server, wf, Json::object(), "?wait=maybe"), 400);
}

TEST_F(Executions, ListFiltersNewestFirstAndPaginates) {
  std::string wf = create(*server, doubling("d"));
  std::vector<std::string> ids;
  for (int x = 0; x < 3; ++x) {
    auto r = run(*server, wf, {{"items", {{{"x", x}}}}}, "?wait=true");
    ASSERT_EQ(r.status, 200) << r.body;
    ids.push_back(r.json()["id"]);
  }
  auto first = server->get(kExecutions + "?workflowId=" + wf + "&limit=2", server->as_admin());
  ASSERT_EQ(first.status, 200) << first.body;
  Json page = first.json();
  ASSERT_EQ(page["items"].size(), 2u);
  ASSERT_TRUE(page["nextCursor"].is_string()) << page.dump();
  auto second = server->get(kExecutions + "?workflowId=" + wf + "&limit=2&cursor=" + page["nextCursor"].get<std::string>(),
                            server->as_admin());
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(second.json()["items"].size(), 1u);
  std::set<std::string> seen;
  int64_t previous = INT64_MAX;
  for (const auto& p : {page, second.json()})
    for (const auto& e : p["items"]) {
      seen.insert(e["id"].get<std::string>());
      EXPECT_LE(e["startedAt"].get<int64_t>(), previous);
      previous = e["startedAt"].get<int64_t>();
      EXPECT_EQ(e["workflowId"], wf);
    }
  EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));

  auto ok = server->get(kExecutions + "?workflowId=" + wf + "&status=success", server->as_admin());
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json()["items"].size(), 3u);
  auto errors = server->get(kExecutions + "?workflowId=" + wf + "&status=error", server->as_admin());
  ASSERT_EQ(errors.status, 200);
  EXPECT_EQ(errors.json()["items"].size(), 0u);
  auto before = server->get(kExecutions + "?workflowId=" + wf + "&startedBefore=1", server->as_admin());
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.json()["items"].size(), 0u);
  auto from = server->get(kExecutions + "?workflowId=" + wf + "&startedFrom=1", server->as_admin());
  ASSERT_EQ(from.status, 200);
  EXPECT_EQ(from.json()["items"].size(), 3u);
  expect_problem(server->get(kExecutions + "?status=done", server->as_admin()), 400);
  expect_problem(server->get(kExecutions + "?startedFrom=yesterday", server->as_admin()), 400);
}

TEST_F(Executions, CancelStopsARunningExecution) {
  std::string wf = create(*server, waiting(600));
  auto r = run(*server, wf);
  ASSERT_EQ(r.status, 202) << r.body;
  std::string id = r.json()["executionId"];
  poll_execution(*server, id, {"running"});
  // Deleting a running execution is refused.
  expect_problem(server->request("DELETE", kExecutions + "/" + id, "", server->as_admin()), 409);
  auto c = server->request("POST", kExecutions + "/" + id + "/cancel", "", server->as_admin());
  EXPECT_EQ(c.status, 202) << c.body;
  Json e = poll_execution(*server, id, kFinished);
  EXPECT_EQ(e["status"], "cancelled") << e.dump();
  expect_problem(server->request("POST", kExecutions + "/" + id + "/cancel", "", server->as_admin()), 409);
}

TEST_F(Executions, RetryRunsThePinnedOrTheCurrentVersion) {
  std::string wf = create(*server, doubling("v1"));
  auto r = run(*server, wf, {{"items", {{{"x", 1}}}}}, "?wait=true");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string original = r.json()["id"];
  auto put = send(*server, "PUT", kWorkflows + "/" + wf, doubling("v2"));
  ASSERT_EQ(put.status, 200) << put.body;

  auto pinned = send(*server, "POST", kExecutions + "/" + original + "/retry?wait=true", Json::object());
  ASSERT_EQ(pinned.status, 200) << pinned.body;
  Json p = pinned.json();
  EXPECT_EQ(p["mode"], "retry");
  EXPECT_EQ(p["retryOf"], original);
  EXPECT_EQ(p["workflowVersion"], 1);
  EXPECT_EQ(p["result"]["s"][0]["tag"], "v1") << p.dump();
  EXPECT_EQ(p["result"]["s"][0]["y"], 2);

  auto current = send(*server, "POST", kExecutions + "/" + original + "/retry?wait=true", {{"version", "current"}});
  ASSERT_EQ(current.status, 200) << current.body;
  Json c = current.json();
  EXPECT_EQ(c["retryOf"], original);
  EXPECT_EQ(c["workflowVersion"], 2);
  EXPECT_EQ(c["result"]["s"][0]["tag"], "v2") << c.dump();
  EXPECT_EQ(c["input"], r.json()["input"]);

  // Without wait: 202 with a Location.
  auto later = send(*server, "POST", kExecutions + "/" + original + "/retry", Json::object());
  ASSERT_EQ(later.status, 202) << later.body;
  EXPECT_EQ(poll_execution(*server, later.json()["executionId"], kFinished)["status"], "success");

  expect_problem(send(*server, "POST", kExecutions + "/" + original + "/retry", {{"version", "latest"}}), 400);
}

TEST_F(Executions, DeleteRemovesAFinishedExecution) {
  std::string wf = create(*server, doubling("e"));
  auto r = run(*server, wf, {{"items", {{{"x", 1}}}}}, "?wait=true");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string id = r.json()["id"];
  auto d = server->request("DELETE", kExecutions + "/" + id, "", server->as_admin());
  EXPECT_EQ(d.status, 204) << d.body;
  expect_problem(server->get(kExecutions + "/" + id, server->as_admin()), 404);
  expect_problem(server->request("DELETE", kExecutions + "/" + id, "", server->as_admin()), 404);
}

TEST_F(Executions, UnknownWorkflowsAndExecutionsAre404) {
  expect_problem(run(*server, "no-such-workflow"), 404);
  const std::string e = kExecutions + "/no-such-execution";
  expect_problem(server->get(e, server->as_admin()), 404);
  expect_problem(server->request("POST", e + "/cancel", "", server->as_admin()), 404);
  expect_problem(send(*server, "POST", e + "/retry", Json::object()), 404);
  expect_problem(server->request("DELETE", e, "", server->as_admin()), 404);
}

TEST_F(Executions, EveryRouteNeedsAKey) {
  std::string wf = create(*server, doubling("f"));
  EXPECT_EQ(server->post_json(kWorkflows + "/" + wf + "/run", Json::object()).status, 401);
  EXPECT_EQ(server->get(kExecutions).status, 401);
  EXPECT_EQ(server->get(kExecutions + "/x").status, 401);
  EXPECT_EQ(server->request("POST", kExecutions + "/x/cancel").status, 401);
  EXPECT_EQ(server->request("DELETE", kExecutions + "/x").status, 401);
}

TEST(ExecutionLimits, AFullQueueAnswers503WithRetryAfter) {
  ServeOptions options;
  options.env = {{"WEFT_MAX_CONCURRENT_EXECUTIONS", "1"}, {"WEFT_EXECUTION_QUEUE_SIZE", "1"}};
  WeftServer server(options);
  std::string wf = create(server, waiting(600));
  auto a = run(server, wf);
  ASSERT_EQ(a.status, 202) << a.body;
  std::string running = a.json()["executionId"];
  poll_execution(server, running, {"running"});
  auto b = run(server, wf);
  ASSERT_EQ(b.status, 202) << b.body;
  std::string queued = b.json()["executionId"];
  auto got = server.get(kExecutions + "/" + queued, server.as_admin());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["status"], "queued");
  auto c = run(server, wf);
  expect_problem(c, 503);
  EXPECT_FALSE(c.header("Retry-After").empty()) << c.body;

  // Cancelling the queued one records it without running it; then the running one.
  EXPECT_EQ(server.request("POST", kExecutions + "/" + queued + "/cancel", "", server.as_admin()).status, 202);
  EXPECT_EQ(poll_execution(server, queued, kFinished)["status"], "cancelled");
  EXPECT_EQ(server.request("POST", kExecutions + "/" + running + "/cancel", "", server.as_admin()).status, 202);
  EXPECT_EQ(poll_execution(server, running, kFinished)["status"], "cancelled");
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
}

TEST(ExecutionLimits, SigtermRecordsARunningExecutionAsInterrupted) {
  ServeOptions options;
  options.env = {{"WEFT_SHUTDOWN_GRACE_MS", "300"}};
  WeftServer first(options);
  std::string wf = create(first, waiting(600));
  auto r = run(first, wf);
  ASSERT_EQ(r.status, 202) << r.body;
  std::string id = r.json()["executionId"];
  poll_execution(first, id, {"running"});
  EXPECT_EQ(first.stop(), 0) << first.process().stderr_text();

  ServeOptions again;
  again.data_dir = first.data_dir();
  WeftServer second(again);
  auto got = second.get(kExecutions + "/" + id, second.as_admin());
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["status"], "interrupted") << got.body;
  EXPECT_FALSE(got.json()["finishedAt"].is_null());
  // Recorded by the stopping server itself, not found stale by the new one.
  EXPECT_EQ(got.json()["error"]["message"], "the server stopped while the execution was running") << got.body;
  EXPECT_EQ(second.stop(), 0);
}

TEST(ExecutionLimits, AnExecutionLeftRunningByAKilledServerIsInterruptedAtTheNextStart) {
  WeftServer first;
  std::string wf = create(first, waiting(600));
  auto r = run(first, wf);
  ASSERT_EQ(r.status, 202) << r.body;
  std::string id = r.json()["executionId"];
  poll_execution(first, id, {"running"});
  first.process().signal(SIGKILL);
  ASSERT_TRUE(first.process().wait(std::chrono::seconds(30)).has_value());

  ServeOptions again;
  again.data_dir = first.data_dir();
  WeftServer second(again);
  auto got = second.get(kExecutions + "/" + id, second.as_admin());
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["status"], "interrupted") << got.body;
  EXPECT_NE(got.json()["error"]["message"].get<std::string>().find("previous server process"), std::string::npos)
      << got.body;
  EXPECT_EQ(second.stop(), 0);
}

}  // namespace
}  // namespace weft::test
