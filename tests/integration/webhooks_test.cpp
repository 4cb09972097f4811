// /webhook/<path> through the real binary: trigger items from JSON, form and text bodies,
// the three response modes, path parameters, 404/405, conflicts on activation, header-secret
// and basic auth through credentials, and the same on PostgreSQL.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";

Json webhook_node(Json parameters) {
  return {{"id", "hook"}, {"type", "weft.webhook"}, {"typeVersion", 1}, {"parameters", std::move(parameters)}};
}

// A workflow: a webhook, then a weft.respond that answers with the trigger item as it came.
Json echo_workflow(const std::string& path, const std::string& method = "POST", Json extra = Json::object()) {
  Json hook = {{"path", path}, {"method", method}, {"responseMode", "responseNode"}};
  hook.update(extra);
  return {{"name", "echo " + path},
          {"nodes",
           {webhook_node(hook),
            {{"id", "answer"},
             {"type", "weft.respond"},
             {"typeVersion", 1},
             {"parameters", {{"status", 200}, {"body", "{{ $json }}"}}}}}},
          {"edges", {{{"from", "hook"}, {"to", "answer"}}}}};
}

// Creates and activates `doc`; returns the workflow id.
std::string activate(WeftServer& server, const Json& doc) {
  HttpResult created = server.send_json("POST", kWorkflows, doc, server.as_admin());
  EXPECT_EQ(created.status, 201) << created.body;
  std::string id = created.json().value("id", "");
  HttpResult on = server.request("POST", kWorkflows + "/" + id + "/activate", "", server.as_admin());
  EXPECT_EQ(on.status, 200) << on.body;
  return id;
}

HttpResult call(WeftServer& server, const std::string& method, const std::string& path, const std::string& body,
                const std::string& content_type, Headers headers = {}) {
  if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
  return server.request(method, path, body, headers);
}

std::string basic(const std::string& user, const std::string& password) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder << user << ":" << password;
  encoder.close();
  return "Basic " + out.str();
}

class Webhooks : public SharedServerTest {};

TEST_F(Webhooks, OrderTriageAnswersWithItsLastNode) {
  activate(*server, example_workflow("order-triage"));
  // What `curl -d '{"price":30,"qty":5}'` sends: JSON labelled as a form.
  HttpResult big = call(*server, "POST", "/webhook/orders", R"({"price":30,"qty":5})",
                        "application/x-www-form-urlencoded");
  ASSERT_EQ(big.status, 200) << big.body;
  EXPECT_EQ(big.json(), Json({{"price", 30}, {"qty", 5}, {"total", 150}, {"tier", "big"}}));
  HttpResult small = call(*server, "POST", "/webhook/orders", R"({"price":3,"qty":5})", "application/json");
  ASSERT_EQ(small.status, 200) << small.body;
  EXPECT_EQ(small.json()["tier"], "small");

  // Each call is a recorded execution of mode "webhook".
  HttpResult list = server->get("/api/v1/executions?status=success", server->as_admin());
  ASSERT_EQ(list.status, 200) << list.body;
  const Json page = list.json();
  ASSERT_EQ(page["items"].size(), 2u) << list.body;
  for (const auto& e : page["items"]) EXPECT_EQ(e["mode"], "webhook");
}

// The README's walk-through, with curl itself: its -d sends the JSON labelled as a form.
TEST(WebhookReadme, TheCurlCallAnswersTierBig) {
  WeftServer server;
  activate(server, example_workflow("order-triage"));
  TempDir scratch;
  Process curl(WEFT_CURL, {"-sS", "-X", "POST", server.url() + "/webhook/orders", "-d", R"({"price":30,"qty":5})"}, {},
               scratch.path());
  ASSERT_EQ(curl.wait(std::chrono::seconds(60)), 0) << curl.stderr_text();
  const Json answer = Json::parse(curl.stdout_text());
  EXPECT_EQ(answer["tier"], "big") << curl.stdout_text();
  EXPECT_EQ(answer["total"], 150) << curl.stdout_text();
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
}

TEST_F(Webhooks, OnReceivedAnswers202AndTheItemHoldsTheRequest) {
  Json doc = {{"name", "at once"},
              {"nodes", {webhook_node({{"path", "events/in"}}),
                         {{"id", "keep"}, {"type", "weft.noop"}, {"typeVersion", 1}, {"parameters", Json::object()}}}},
              {"edges", {{{"from", "hook"}, {"to", "keep"}}}}};
  activate(*server, doc);
  HttpResult r = call(*server, "POST", "/webhook/events/in?source=shop&tag=a&tag=b", R"({"kind":"order"})",
                      "application/json", {{"X-Trace-Me", "yes"}, {"Authorization", "Bearer not-for-the-item"}});
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string id = r.json().value("executionId", "");
  ASSERT_FALSE(id.empty()) << r.body;
  EXPECT_EQ(r.header("Location"), "/api/v1/executions/" + id);

  Json e = poll_execution(*server, id, {"success", "error", "cancelled", "interrupted"});
  EXPECT_EQ(e["status"], "success") << e.dump();
  EXPECT_EQ(e["mode"], "webhook");
  ASSERT_EQ(e["input"].size(), 1u) << e.dump();
  const Json& item = e["input"][0];
  EXPECT_EQ(item["kind"], "order");
  EXPECT_EQ(item["webhook"]["method"], "POST");
  EXPECT_EQ(item["webhook"]["path"], "events/in");
  EXPECT_EQ(item["webhook"]["query"]["source"], "shop");
  EXPECT_EQ(item["webhook"]["query"]["tag"], Json::array({"a", "b"}));
  EXPECT_EQ(item["webhook"]["headers"]["x-trace-me"], "yes");
  EXPECT_FALSE(item["webhook"]["headers"].contains("authorization")) << item.dump();
  EXPECT_EQ(e.dump().find("not-for-the-item"), std::string::npos);

  // The start is audited: an anonymous caller, known by its address and request id.
  HttpResult audit = server->get("/api/v1/audit?action=execution.start&objectId=" + id, server->as_admin());
  ASSERT_EQ(audit.status, 200) << audit.body;
  const Json events = audit.json()["items"];
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["actorKind"], "anonymous") << events.dump();
  EXPECT_EQ(events[0]["detail"]["mode"], "webhook");
  EXPECT_EQ(events[0]["requestId"], r.header("X-Request-Id"));
  EXPECT_FALSE(events[0].value("address", "").empty()) << events.dump();
}

TEST_F(Webhooks, BodiesAsJsonFormAndText) {
  activate(*server, echo_workflow("echo"));
  HttpResult form = call(*server, "POST", "/webhook/echo", "name=Ada+L&x=1&x=2&empty=", "application/x-www-form-urlencoded");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_EQ(form.json()["name"], "Ada L");
  EXPECT_EQ(form.json()["x"], Json::array({"1", "2"}));
  EXPECT_EQ(form.json()["empty"], "");

  HttpResult text = call(*server, "POST", "/webhook/echo", "hello\nworld", "text/plain; charset=utf-8");
  ASSERT_EQ(text.status, 200) << text.body;
  EXPECT_EQ(text.json()["body"], "hello\nworld");

  HttpResult array = call(*server, "POST", "/webhook/echo", "[1,2,3]", "application/json");
  ASSERT_EQ(array.status, 200) << array.body;
  EXPECT_EQ(array.json()["body"], Json::array({1, 2, 3}));

  HttpResult untyped = call(*server, "POST", "/webhook/echo", R"({"sent":"bare"})", "");
  ASSERT_EQ(untyped.status, 200) << untyped.body;
  EXPECT_EQ(untyped.json()["sent"], "bare");
  HttpResult empty_object = call(*server, "POST", "/webhook/echo", "{}", "application/x-www-form-urlencoded");
  ASSERT_EQ(empty_object.status, 200) << empty_object.body;
  EXPECT_EQ(empty_object.json().size(), 1u) << empty_object.body;  // "webhook" only

  HttpResult none = call(*server, "POST", "/webhook/echo", "", "");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json()["webhook"]["method"], "POST");

  expect_problem(call(*server, "POST", "/webhook/echo", R"({"a":)", "application/json"), 400, "bad-request");
  expect_problem(call(*server, "POST", "/webhook/echo", "\x01\x02", "application/octet-stream"), 415,
                 "unsupported-media-type");
  expect_problem(call(*server, "POST", "/webhook/echo", "\xff\xfe", "text/plain"), 400, "bad-request");
  expect_problem(call(*server, "POST", "/webhook/echo", R"({"webhook":1})", "application/json"), 400, "bad-request");
}

TEST_F(Webhooks, RespondNodeSetsStatusHeadersAndBody) {
  Json doc = {{"name", "respond"},
              {"nodes",
               {webhook_node({{"path", "parcels/:id"}, {"method", "PUT"}, {"responseMode", "responseNode"}}),
                {{"id", "answer"},
                 {"type", "weft.respond"},
                 {"typeVersion", 1},
                 {"parameters",
                  {{"status", 201},
                   {"headers", {{"X-Order", "{{ $json.webhook.params.id }}"}, {"Content-Length", "1"}}},
                   {"body", {{"saved", "{{ $json.webhook.params.id }}"}, {"qty", "{{ $json.qty }}"}}}}}}}},
              {"edges", {{{"from", "hook"}, {"to", "answer"}}}}};
  activate(*server, doc);
  HttpResult r = call(*server, "PUT", "/webhook/parcels/A-17", R"({"qty":2})", "application/json");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("X-Order"), "A-17");
  EXPECT_EQ(r.json(), Json({{"saved", "A-17"}, {"qty", 2}}));  // Content-Length stays the server's
  // A path parameter matches exactly one segment.
  expect_problem(call(*server, "PUT", "/webhook/parcels/A-17/extra", "{}", "application/json"), 404, "not-found");
  expect_problem(call(*server, "PUT", "/webhook/parcels", "{}", "application/json"), 404, "not-found");
}

TEST_F(Webhooks, UnknownPathIs404AndAnotherMethodIs405) {
  activate(*server, echo_workflow("only-get", "GET"));
  expect_problem(server->get("/webhook/nobody-here"), 404, "not-found");
  HttpResult post = call(*server, "POST", "/webhook/only-get", "{}", "application/json");
  expect_problem(post, 405, "method-not-allowed");
  EXPECT_EQ(post.header("Allow"), "GET");
  HttpResult get = server->get("/webhook/only-get?q=1");
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(get.json()["webhook"]["query"]["q"], "1");
  HttpResult head = server->request("HEAD", "/webhook/only-get");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(Webhooks, TwoActiveWorkflowsCannotClaimOnePathAndMethod) {
  std::string first = activate(*server, echo_workflow("shared"));
  HttpResult created = server->send_json("POST", kWorkflows, echo_workflow("shared"), server->as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string second = created.json()["id"];
  HttpResult refused = server->request("POST", kWorkflows + "/" + second + "/activate", "", server->as_admin());
  expect_problem(refused, 409, "conflict");
  EXPECT_NE(refused.json()["detail"].get<std::string>().find(first), std::string::npos) << refused.body;
  EXPECT_EQ(server->get(kWorkflows + "/" + second, server->as_admin()).json()["active"], false);
  // A parameter's name does not make another path: ":a" and ":b" collide.
  activate(*server, echo_workflow("items/:a"));
  HttpResult clash = server->send_json("POST", kWorkflows, echo_workflow("items/:b"), server->as_admin());
  expect_problem(server->request("POST", kWorkflows + "/" + clash.json()["id"].get<std::string>() + "/activate", "",
                                 server->as_admin()),
                 409, "conflict");
  // Another method on the same path is free.
  activate(*server, echo_workflow("shared", "PUT"));
  // Once the first lets go, the second takes the path.
  ASSERT_EQ(server->request("POST", kWorkflows + "/" + first + "/deactivate", "", server->as_admin()).status, 200);
  ASSERT_EQ(server->request("POST", kWorkflows + "/" + second + "/activate", "", server->as_admin()).status, 200);
  EXPECT_EQ(call(*server, "POST", "/webhook/shared", "{}", "application/json").status, 200);
}

TEST_F(Webhooks, DeactivatingDeletingAndSavingMoveThePath) {
  std::string id = activate(*server, echo_workflow("moving"));
  ASSERT_EQ(call(*server, "POST", "/webhook/moving", "{}", "application/json").status, 200);
  // Saving the active workflow with another path serves the new one only.
  HttpResult saved = server->send_json("PATCH", kWorkflows + "/" + id,
                                       {{"nodes", echo_workflow("moved")["nodes"]}}, server->as_admin());
  ASSERT_EQ(saved.status, 200) << saved.body;
  expect_problem(call(*server, "POST", "/webhook/moving", "{}", "application/json"), 404, "not-found");
  ASSERT_EQ(call(*server, "POST", "/webhook/moved", "{}", "application/json").status, 200);
  // A save refused for a stale If-Match leaves the served version as it was.
  HttpResult stale = server->send_json("PATCH", kWorkflows + "/" + id, {{"nodes", echo_workflow("elsewhere")["nodes"]}},
                                       server->as_admin({{"If-Match", "\"1\""}}));
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(call(*server, "POST", "/webhook/moved", "{}", "application/json").status, 200);
  expect_problem(call(*server, "POST", "/webhook/elsewhere", "{}", "application/json"), 404, "not-found");

  ASSERT_EQ(server->request("POST", kWorkflows + "/" + id + "/deactivate", "", server->as_admin()).status, 200);
  expect_problem(call(*server, "POST", "/webhook/moved", "{}", "application/json"), 404, "not-found");
  ASSERT_EQ(server->request("POST", kWorkflows + "/" + id + "/activate", "", server->as_admin()).status, 200);
  ASSERT_EQ(call(*server, "POST", "/webhook/moved", "{}", "application/json").status, 200);
  ASSERT_EQ(server->request("DELETE", kWorkflows + "/" + id, "", server->as_admin()).status, 204);
  expect_problem(call(*server, "POST", "/webhook/moved", "{}", "application/json"), 404, "not-found");
}

TEST_F(Webhooks, MalformedWebhookNodesAreRefusedAtActivation) {
  // A missing credential is refused earlier, when the workflow is saved (its parameter is
  // "requiredWhen" auth is header or basic).
  Json missing = {{"name", "bad"}, {"nodes", {webhook_node({{"path", "x"}, {"auth", "header"}})}}, {"edges", Json::array()}};
  HttpResult refused = server->send_json("POST", kWorkflows, missing, server->as_admin());
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("\"node\":\"hook\""), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("parameters.credential"), std::string::npos) << refused.body;
  for (const Json& params : {Json{{"path", "{{ $json.p }}"}},
                             Json{{"path", "x"}, {"auth", "basic"}, {"credential", "no-such-credential"}}}) {
    Json doc = {{"name", "bad"}, {"nodes", {webhook_node(params)}}, {"edges", Json::array()}};
    HttpResult created = server->send_json("POST", kWorkflows, doc, server->as_admin());
    ASSERT_EQ(created.status, 201) << created.body;
    HttpResult on = server->request("POST", kWorkflows + "/" + created.json()["id"].get<std::string>() + "/activate",
                                    "", server->as_admin());
    EXPECT_EQ(on.status, 422) << params.dump() << ": " << on.body;
    EXPECT_NE(on.body.find("hook"), std::string::npos) << on.body;  // names the node
  }
}

TEST_F(Webhooks, AFailedExecutionAnswers500WithItsIdOnly) {
  Json doc = {{"name", "fails"},
              {"nodes",
               {webhook_node({{"path", "fails"}, {"responseMode", "lastNode"}}),
                {{"id", "boom"}, {"type", "weft.fail"}, {"typeVersion", 1},
                 {"parameters", {{"message", "internal detail 7f3a"}}}}}},
              {"edges", {{{"from", "hook"}, {"to", "boom"}}}}};
  activate(*server, doc);
  HttpResult r = call(*server, "POST", "/webhook/fails", "{}", "application/json");
  expect_problem(r, 500, "execution-failed");
  EXPECT_EQ(r.body.find("7f3a"), std::string::npos) << r.body;
  const std::string id = r.json().value("executionId", "");
  ASSERT_FALSE(id.empty()) << r.body;
  Json e = poll_execution(*server, id, {"success", "error", "cancelled", "interrupted"});
  EXPECT_EQ(e["status"], "error");
  EXPECT_NE(e.dump().find("7f3a"), std::string::npos);  // the owner reads why over the API
}

TEST_F(Webhooks, HeaderSecretAndBasicAuthThroughCredentials) {
  HttpResult header_cred = server->send_json(
      "POST", "/api/v1/credentials",
      {{"name", "hook secret"}, {"type", "weft.httpHeaderAuth"}, {"data", {{"name", "X-Hook-Secret"}, {"value", "s3cr3t-h"}}}},
      server->as_admin());
  ASSERT_EQ(header_cred.status, 201) << header_cred.body;
  HttpResult basic_cred = server->send_json(
      "POST", "/api/v1/credentials",
      {{"name", "hook login"}, {"type", "weft.basicAuth"}, {"data", {{"user", "shop"}, {"password", "s3cr3t-b"}}}},
      server->as_admin());
  ASSERT_EQ(basic_cred.status, 201) << basic_cred.body;

  activate(*server, echo_workflow("guarded/header", "POST",
                                  {{"auth", "header"}, {"credential", header_cred.json()["id"]}}));
  activate(*server, echo_workflow("guarded/basic", "POST",
                                  {{"auth", "basic"}, {"credential", basic_cred.json()["id"]}}));
  // The wrong kind of credential is refused at activation.
  HttpResult wrong = server->send_json(
      "POST", kWorkflows,
      echo_workflow("guarded/wrong", "POST", {{"auth", "basic"}, {"credential", header_cred.json()["id"]}}),
      server->as_admin());
  EXPECT_EQ(server->request("POST", kWorkflows + "/" + wrong.json()["id"].get<std::string>() + "/activate", "",
                            server->as_admin())
                .status,
            422);

  expect_problem(call(*server, "POST", "/webhook/guarded/header", "{}", "application/json"), 401, "unauthorized");
  expect_problem(call(*server, "POST", "/webhook/guarded/header", "{}", "application/json", {{"X-Hook-Secret", "nope"}}),
                 401, "unauthorized");
  HttpResult in = call(*server, "POST", "/webhook/guarded/header", R"({"n":1})", "application/json",
                       {{"X-Hook-Secret", "s3cr3t-h"}});
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.json()["n"], 1);
  EXPECT_FALSE(in.json()["webhook"]["headers"].contains("x-hook-secret")) << in.body;

  HttpResult challenged = call(*server, "POST", "/webhook/guarded/basic", "{}", "application/json");
  expect_problem(challenged, 401, "unauthorized");
  EXPECT_EQ(challenged.header("WWW-Authenticate").rfind("Basic ", 0), 0u);
  expect_problem(call(*server, "POST", "/webhook/guarded/basic", "{}", "application/json",
                      {{"Authorization", basic("shop", "wrong")}}),
                 401, "unauthorized");
  HttpResult ok = call(*server, "POST", "/webhook/guarded/basic", "{}", "application/json",
                       {{"Authorization", basic("shop", "s3cr3t-b")}});
  EXPECT_EQ(ok.status, 200) << ok.body;

  // Neither secret is in any execution's data.
  HttpResult all = server->get("/api/v1/executions?limit=100", server->as_admin());
  ASSERT_EQ(all.status, 200);
  const Json page = all.json();
  for (const auto& e : page["items"]) {
    HttpResult one = server->get("/api/v1/executions/" + e["id"].get<std::string>(), server->as_admin());
    EXPECT_EQ(one.body.find("s3cr3t"), std::string::npos) << one.body;
  }
}

TEST(WebhookWaits, PastTheWaitTimeoutTheAnswerIs202WithTheExecutionId) {
  WeftServer server(ServeOptions{.env = {{"WEFT_WAIT_TIMEOUT_MS", "200"}}});
  Json doc = {{"name", "slow"},
              {"nodes", {webhook_node({{"path", "slow"}, {"responseMode", "lastNode"}}),
                         {{"id", "pause"}, {"type", "weft.wait"}, {"typeVersion", 1},
                          {"parameters", {{"amount", 60}, {"unit", "seconds"}}}}}},
              {"edges", {{{"from", "hook"}, {"to", "pause"}}}}};
  activate(server, doc);
  HttpResult r = call(server, "POST", "/webhook/slow", "{}", "application/json");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json()["status"], "running");
  const std::string id = r.json()["executionId"];
  EXPECT_EQ(server.request("POST", "/api/v1/executions/" + id + "/cancel", "", server.as_admin()).status, 202);
  EXPECT_EQ(poll_execution(server, id, {"success", "error", "cancelled", "interrupted"})["status"], "cancelled");
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
}

TEST(WebhookRestart, ActiveWebhooksAreServedAgainAfterARestart) {
  TempDir data;
  {
    WeftServer server(ServeOptions{.data_dir = data.path()});
    activate(server, example_workflow("order-triage"));
    ASSERT_EQ(server.stop(), 0) << server.process().stderr_text();
  }
  WeftServer again(ServeOptions{.data_dir = data.path()});
  HttpResult r = call(again, "POST", "/webhook/orders", R"({"price":30,"qty":5})", "application/json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["tier"], "big");
  EXPECT_EQ(again.stop(), 0) << again.process().stderr_text();
}

TEST(WebhookPostgres, TheResponseModesOnPostgres) {
  TempDir state;
  Process start("/bin/bash", {std::string(WEFT_PG_SCRIPTS_DIR) + "/start.sh", state.path()}, {}, "");
  ASSERT_EQ(start.wait(std::chrono::seconds(180)), 0) << start.stderr_text();
  std::string url;
  std::ifstream(state.path() + "/url") >> url;
  ASSERT_FALSE(url.empty());
  {
    WeftServer server({.env = {{"WEFT_STORAGE_BACKEND", "postgres"}, {"WEFT_DATABASE_URL", url}}});
    activate(server, example_workflow("order-triage"));
    activate(server, echo_workflow("echo"));
    HttpResult big = call(server, "POST", "/webhook/orders", R"({"price":30,"qty":5})", "application/json");
    ASSERT_EQ(big.status, 200) << big.body;
    EXPECT_EQ(big.json()["tier"], "big");
    HttpResult echo = call(server, "POST", "/webhook/echo?a=1", "k=v", "application/x-www-form-urlencoded");
    ASSERT_EQ(echo.status, 200) << echo.body;
    EXPECT_EQ(echo.json()["k"], "v");
    EXPECT_EQ(echo.json()["webhook"]["query"]["a"], "1");
    HttpResult clash = server.send_json("POST", kWorkflows, echo_workflow("echo"), server.as_admin());
    EXPECT_EQ(server.request("POST", kWorkflows + "/" + clash.json()["id"].get<std::string>() + "/activate", "",
                             server.as_admin())
                  .status,
              409);
    EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
  }
  Process stop("/bin/bash", {std::string(WEFT_PG_SCRIPTS_DIR) + "/stop.sh", state.path()}, {}, "");
  stop.wait(std::chrono::seconds(120));
}

}  // namespace
}  // namespace weft::test
