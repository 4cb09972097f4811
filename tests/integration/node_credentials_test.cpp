// Credentials used by running nodes, through the real binary over real sockets: weft.http_request
// sends a weft.httpHeaderAuth header or HTTP basic auth to a local server this test runs, and
// the secret reaches that server only: not the execution record, not the server's log output.
// Every read is in the audit log (credential.read, actor kind "node"). A workflow of another
// user that names the credential fails at run, naming the node and saying access is denied,
// and sends nothing, until the owner shares the credential at `run`.
#include "recording_server.hpp"
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";
const std::string kCredentials = "/api/v1/credentials";
const std::string kHeaderSecret = "hdr-planted-s3cr3t-5e1f";
const std::string kBasicPassword = "basic-planted-pw-77aa";
// base64("ada:" + kBasicPassword): what the Authorization header carries.
const std::string kBasicEncoded = "YWRhOmJhc2ljLXBsYW50ZWQtcHctNzdhYQ==";

struct Caller {
  std::string id;
  std::string token;
  Headers auth(Headers more = {}) const {
    more.emplace_back("Authorization", "Bearer " + token);
    return more;
  }
};

class NodeCredentials : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new WeftServer({.env = {{"WEFT_RATE_LIMITS", "false"}}});
    alice = new Caller(sign_up("alice"));
    bob = new Caller(sign_up("bob"));
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server->stop(), 0) << server->process().stderr_text();
    delete server;
    delete alice;
    delete bob;
  }

  static Caller sign_up(const std::string& name) {
    const std::string email = name + "@example.com";
    const std::string password = "pw-" + name + "-correct-horse";
    HttpResult made = server->send_json(
        "POST", "/api/v1/users", {{"email", email}, {"name", name}, {"role", "editor"}, {"password", password}},
        server->as_admin());
    EXPECT_EQ(made.status, 201) << made.body;
    HttpResult login = server->post_json("/api/v1/auth/login", {{"email", email}, {"password", password}});
    EXPECT_EQ(login.status, 200) << login.body;
    return {made.json().value("id", ""), login.json().value("accessToken", "")};
  }

  static std::string create_credential(const Caller& c, const std::string& type, const Json& data) {
    HttpResult r = server->send_json("POST", kCredentials, {{"name", type + " cred"}, {"type", type}, {"data", data}},
                                     c.auth());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }

  // manual -> weft.http_request to `url` with `authentication` and `credential`.
  static Json calling(const std::string& url, const std::string& authentication, const std::string& credential) {
    Json params = {{"url", url}, {"authentication", authentication}};
    if (!credential.empty()) params["credential"] = credential;
    return {{"name", "calls " + url},
            {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                       {{"id", "call"}, {"type", "weft.http_request"}, {"typeVersion", 1}, {"parameters", params}}}},
            {"edges", {{{"from", "m"}, {"to", "call"}}}},
            {"settings", {{"saveExecutions", {{"data", true}}}}}};
  }

  static std::string create_workflow(const Caller& c, const Json& doc) {
    HttpResult r = server->send_json("POST", kWorkflows, doc, c.auth());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }

  // Runs and waits; the finished execution record.
  static Json run(const Caller& c, const std::string& workflow) {
    HttpResult r = server->send_json("POST", kWorkflows + "/" + workflow + "/run?wait=true", Json::object(), c.auth());
    EXPECT_EQ(r.status, 200) << r.body;
    Json e = r.json();
    HttpResult again = server->get("/api/v1/executions/" + e.value("id", ""), c.auth());
    EXPECT_EQ(again.status, 200) << again.body;
    return again.json();
  }

  // The audit events of action credential.read on `credential` (as the admin).
  static Json reads_of(const std::string& credential) {
    HttpResult r = server->get("/api/v1/audit?action=credential.read&objectId=" + credential, server->as_admin());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  static WeftServer* server;
  static Caller* alice;
  static Caller* bob;
};

WeftServer* NodeCredentials::server = nullptr;
Caller* NodeCredentials::alice = nullptr;
Caller* NodeCredentials::bob = nullptr;

TEST_F(NodeCredentials, HeaderAuthReachesTheServerOnlyAndIsAudited) {
  RecordingServer remote;
  const std::string cred =
      create_credential(*alice, "weft.httpHeaderAuth", {{"name", "X-Api-Key"}, {"value", kHeaderSecret}});
  const std::string wf = create_workflow(*alice, calling(remote.url("/header"), "header", cred));
  Json e = run(*alice, wf);
  EXPECT_EQ(e["status"], "success") << e.dump();
  ASSERT_EQ(remote.seen().size(), 1u);
  EXPECT_EQ(remote.seen()[0].header("X-Api-Key"), kHeaderSecret);
  EXPECT_EQ(e["result"]["call"][0]["body"]["ok"], true) << e.dump();  // the record holds data...
  EXPECT_EQ(e.dump().find(kHeaderSecret), std::string::npos) << e.dump();  // ...but not the secret

  Json reads = reads_of(cred);
  ASSERT_EQ(reads.size(), 1u) << reads.dump();
  EXPECT_EQ(reads[0]["actor"], alice->id);
  EXPECT_EQ(reads[0]["actorKind"], "node");
  EXPECT_EQ(reads[0]["outcome"], "success");
  EXPECT_EQ(reads[0]["objectType"], "credential");
  EXPECT_EQ(reads[0]["detail"]["workflowId"], wf);
  EXPECT_EQ(reads[0]["detail"]["executionId"], e["id"]);
  EXPECT_EQ(reads[0]["detail"]["nodeId"], "call");
  EXPECT_EQ(reads[0]["detail"]["nodeType"], "weft.http_request@1");
  EXPECT_EQ(reads.dump().find(kHeaderSecret), std::string::npos);

  const std::string log = server->process().stderr_text() + server->process().stdout_text();
  EXPECT_EQ(log.find(kHeaderSecret), std::string::npos);
}

TEST_F(NodeCredentials, BasicAuthReachesTheServerOnlyAndIsAudited) {
  RecordingServer remote;
  const std::string cred = create_credential(*alice, "weft.basicAuth", {{"user", "ada"}, {"password", kBasicPassword}});
  const std::string wf = create_workflow(*alice, calling(remote.url("/basic"), "basic", cred));
  Json e = run(*alice, wf);
  EXPECT_EQ(e["status"], "success") << e.dump();
  ASSERT_EQ(remote.seen().size(), 1u);
  EXPECT_EQ(remote.seen()[0].header("Authorization"), "Basic " + kBasicEncoded);
  EXPECT_EQ(e.dump().find(kBasicPassword), std::string::npos) << e.dump();
  EXPECT_EQ(e.dump().find(kBasicEncoded), std::string::npos) << e.dump();
  Json reads = reads_of(cred);
  ASSERT_EQ(reads.size(), 1u) << reads.dump();
  EXPECT_EQ(reads[0]["outcome"], "success");
  const std::string log = server->process().stderr_text() + server->process().stdout_text();
  EXPECT_EQ(log.find(kBasicPassword), std::string::npos);
  EXPECT_EQ(log.find(kBasicEncoded), std::string::npos);
}

TEST_F(NodeCredentials, AnotherUsersWorkflowIsDeniedUntilTheOwnerSharesAtRun) {
  RecordingServer remote;
  const std::string cred =
      create_credential(*alice, "weft.httpHeaderAuth", {{"name", "X-Api-Key"}, {"value", kHeaderSecret}});
  const std::string wf = create_workflow(*bob, calling(remote.url("/bob"), "header", cred));

  Json denied = run(*bob, wf);
  EXPECT_EQ(denied["status"], "error") << denied.dump();
  const std::string text = denied.dump();
  EXPECT_NE(text.find("node call"), std::string::npos) << text;
  EXPECT_NE(text.find("access denied"), std::string::npos) << text;
  EXPECT_EQ(text.find(kHeaderSecret), std::string::npos) << text;
  EXPECT_TRUE(remote.seen().empty()) << "the request must not be sent";
  Json reads = reads_of(cred);
  ASSERT_EQ(reads.size(), 1u) << reads.dump();
  EXPECT_EQ(reads[0]["actor"], bob->id);
  EXPECT_EQ(reads[0]["outcome"], "denied");

  HttpResult shared = server->send_json("PUT", kCredentials + "/" + cred + "/shares/" + bob->id, {{"access", "run"}},
                                        alice->auth());
  ASSERT_EQ(shared.status / 100, 2) << shared.body;
  Json allowed = run(*bob, wf);
  EXPECT_EQ(allowed["status"], "success") << allowed.dump();
  ASSERT_EQ(remote.seen().size(), 1u);
  EXPECT_EQ(remote.seen()[0].header("X-Api-Key"), kHeaderSecret);
  EXPECT_EQ(allowed.dump().find(kHeaderSecret), std::string::npos);
}

TEST_F(NodeCredentials, AMissingCredentialIsRefusedWhenTheWorkflowIsSaved) {
  HttpResult r = server->send_json("POST", kWorkflows, calling("http://127.0.0.1:9/x", "basic", ""), alice->auth());
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("\"node\":\"call\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("parameters.credential"), std::string::npos) << r.body;
  // An expression instead of an id is refused too: what a node may open is fixed at save.
  HttpResult expr = server->send_json("POST", kWorkflows, calling("http://127.0.0.1:9/x", "basic", "{{ $json.id }}"),
                                      alice->auth());
  EXPECT_EQ(expr.status, 422) << expr.body;
  EXPECT_NE(expr.body.find("literal credential id"), std::string::npos) << expr.body;
}

TEST_F(NodeCredentials, TheCredentialTypeCatalogShowsFieldsAndSecretFlags) {
  HttpResult r = server->get("/api/v1/credential-types", alice->auth());
  ASSERT_EQ(r.status, 200) << r.body;
  const Json items = r.json()["items"];
  ASSERT_EQ(items.size(), 2u) << r.body;
  EXPECT_EQ(items[0]["name"], "weft.basicAuth");
  EXPECT_EQ(items[1]["name"], "weft.httpHeaderAuth");
  EXPECT_EQ(items[1]["plugin"], "weft-http-request");
  EXPECT_EQ(items[1]["fields"][1]["name"], "value");
  EXPECT_EQ(items[1]["fields"][1]["secret"], true);
  EXPECT_EQ(server->get("/api/v1/credential-types").status, 401);
}

}  // namespace
}  // namespace weft::test
