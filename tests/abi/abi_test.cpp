// The plugin loader against purpose-built fixtures: every refusal names the file, the cause
// and the fix, and never stops the other plugins from loading.
#include <weft/runtime/credential_source.hpp>
#include <weft/runtime/executor.hpp>
#include <weft/runtime/plan.hpp>
#include <weft/runtime/plugin_host.hpp>

#include <gtest/gtest.h>

#include <string>

namespace weft {
namespace {

const std::string kFixtures = WEFT_FIXTURE_DIR;
std::string fixture(const std::string& name) { return kFixtures + "/fixture_" + name + ".so"; }

std::string abi(int major, int minor) {
  return "ABI " + std::to_string(major) + "." + std::to_string(minor);
}

std::string refusal(const std::string& file) {
  PluginHost host;
  Status st = host.load_file(file);
  EXPECT_FALSE(st.is_ok()) << file << " was accepted";
  EXPECT_EQ(host.refused().size(), 1u);
  EXPECT_TRUE(host.plugins().empty());
  EXPECT_EQ(host.registry().size(), 0u);
  return st.message();
}

TEST(PluginLoader, LoadsAPluginWrittenInPlainC) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("good_c")).is_ok());
  ASSERT_EQ(host.plugins().size(), 1u);
  const PluginInfo& p = *host.plugins()[0];
  EXPECT_EQ(p.name, "fixture-good-c");
  EXPECT_EQ(p.version, "1.0.0");
  EXPECT_EQ(p.build_id, "fixture");
  EXPECT_EQ(p.abi_major, WEFT_ABI_MAJOR);
  EXPECT_EQ(p.node_types, std::vector<std::string>{"test.c_echo@1"});
  const NodeType* t = host.registry().find("test.c_echo", 1);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->description["displayName"], "C echo");
}

TEST(PluginLoader, LoadsAPluginBuiltForAnOlderMinor) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_0")).is_ok()) << host.refused().size();
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.plugins()[0]->abi_minor, 0);
  EXPECT_NE(host.registry().find("test.c_echo_abi_1_0", 1), nullptr);
}

TEST(PluginLoader, RegistersAnAuthProvider) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(std::string(WEFT_TEST_PLUGIN_DIR) + "/weft_api_key.so").is_ok());
  const AuthProviderType* p = host.auth_provider("weft.api_key");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->plugin->name, "weft-api-key");
  EXPECT_EQ(p->description["displayName"], "API keys");
  EXPECT_NE(p->provider.authenticate, nullptr);
  EXPECT_EQ(host.plugins()[0]->auth_providers, std::vector<std::string>{"weft.api_key"});
  EXPECT_EQ(host.auth_provider("weft.nothing"), nullptr);
}

TEST(PluginLoader, RefusesAnotherAbiMajor) {
  std::string why = refusal(fixture("other_major"));
  EXPECT_NE(why.find(fixture("other_major")), std::string::npos) << why;
  EXPECT_NE(why.find(abi(WEFT_ABI_MAJOR + 1, WEFT_ABI_MINOR)), std::string::npos) << why;
  EXPECT_NE(why.find("this host speaks " + abi(WEFT_ABI_MAJOR, WEFT_ABI_MINOR)), std::string::npos)
      << why;
  EXPECT_NE(why.find("rebuild the plugin"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesANewerAbiMinor) {
  std::string why = refusal(fixture("newer_minor"));
  EXPECT_NE(why.find(abi(WEFT_ABI_MAJOR, WEFT_ABI_MINOR + 1) + ", newer than this host's " +
                     abi(WEFT_ABI_MAJOR, WEFT_ABI_MINOR)),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("upgrade weft"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesAFileWithoutTheEntrySymbol) {
  std::string why = refusal(fixture("no_symbol"));
  EXPECT_NE(why.find("has no weft_plugin_v1 symbol"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesAShortManifest) {
  std::string why = refusal(fixture("short_struct"));
  EXPECT_NE(why.find("malformed manifest: 8 bytes"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesAFailingInitWithItsMessage) {
  std::string why = refusal(fixture("failing_init"));
  EXPECT_NE(why.find("init failed: the fixture's licence file is missing"), std::string::npos)
      << why;
}

TEST(PluginLoader, RefusesAThrowingInitWithoutCrashing) {
  std::string why = refusal(fixture("throwing_init"));
  EXPECT_NE(why.find("init failed: configuration table is corrupt"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesAnInvalidDescription) {
  std::string why = refusal(fixture("bad_description"));
  EXPECT_NE(why.find("test.c_echo@1: description field 'outputs'"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesAFileThatIsNotASharedObject) {
  std::string why = refusal(kFixtures + "/not_elf.so");
  EXPECT_NE(why.find("cannot be loaded"), std::string::npos) << why;
}

TEST(PluginLoader, RefusesADuplicateNodeTypeAndKeepsTheFirst) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(std::string(WEFT_TEST_PLUGIN_DIR) + "/weft_noop.so").is_ok());
  Status st = host.load_file(fixture("duplicate_type"));
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("node type weft.noop@1 is already registered by plugin weft-noop"),
            std::string::npos)
      << st.message();
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.registry().find("weft.noop", 1)->plugin->name, "weft-noop");
}

TEST(PluginLoader, OneBadFileDoesNotStopTheOthers) {
  PluginHost host;
  ASSERT_TRUE(host.load_directories({WEFT_TEST_PLUGIN_DIR, kFixtures}).is_ok());
  // Every fixture but the good one is refused; every shipped plugin loads.
  EXPECT_EQ(host.refused().size(), 11u);
  EXPECT_NE(host.registry().find("weft.set", 1), nullptr);
  EXPECT_NE(host.registry().find("weft.if", 1), nullptr);
  EXPECT_NE(host.registry().find("test.c_echo", 1), nullptr);
  for (const auto& r : host.refused()) EXPECT_EQ(r.reason.rfind(r.file + ": ", 0), 0u) << r.reason;
}

TEST(PluginLoader, RequireNamesTheMissingPlugin) {
  PluginHost host;
  ASSERT_TRUE(host.load_directories({kFixtures}).is_ok());
  EXPECT_TRUE(host.require({"fixture-good-c"}).is_ok());
  Status st = host.require({"fixture-good-c", "fixture-other-major"});
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("required plugin fixture-other-major is not loaded"),
            std::string::npos)
      << st.message();
}

TEST(PluginLoader, AMissingFolderIsAnError) {
  PluginHost host;
  Status st = host.load_directories({kFixtures + "/does-not-exist"});
  EXPECT_EQ(st.code(), Code::kNotFound);
}

TEST(PluginLoader, CPluginRunsThroughTheExecutor) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("good_c")).is_ok());
  Json doc = {{"id", "c"},
              {"nodes", {{{"id", "echo"}, {"type", "test.c_echo"}, {"typeVersion", 1}}}}};
  ValidationReport report;
  auto plan = plan_workflow(doc, host.registry(), report);
  ASSERT_TRUE(plan) << report.to_text();
  Executor executor({});
  ExecutionRequest req;
  req.input = {make_item({{"n", 1}})};
  ExecutionResult r = executor.run(*plan, std::move(req));
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  ASSERT_EQ(r.result.size(), 1u);
  const Items& items = r.result[0].second;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(*items[0], (Json{{"n", 1}}));
  EXPECT_EQ(*items[1], (Json{{"plugin", "c"}}));
}

// -- ABI 1.2: credential types and a node's credentials ------------------------------------

TEST(PluginLoader, RegistersACredentialTypeDeclaredByAnAbi12Plugin) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_2")).is_ok()) << host.refused().size();
  EXPECT_EQ(host.plugins()[0]->abi_minor, 2);
  EXPECT_EQ(host.plugins()[0]->credential_types, std::vector<std::string>{"test.token"});
  const CredentialTypeSpec* t = host.credential_type("test.token");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->display_name, "Test token");
  EXPECT_EQ(t->plugin->name, "fixture-abi-1-2");
  ASSERT_EQ(t->fields.size(), 2u);
  EXPECT_FALSE(t->fields[0].secret);
  EXPECT_EQ(t->fields[0].format, "httpHeaderName");
  ASSERT_NE(t->fields[0].check, nullptr);
  EXPECT_EQ(t->fields[0].check("X-Token"), nullptr);
  EXPECT_NE(t->fields[0].check("bad name"), nullptr);
  EXPECT_TRUE(t->fields[1].secret);
  EXPECT_TRUE(t->fields[1].required);
  const NodeType* node = host.registry().find("test.c_cred", 1);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->parameter("credential")->credential_types, std::vector<std::string>{"test.token"});
}

TEST(PluginLoader, ShippedHttpRequestDeclaresTheTwoHttpCredentialTypes) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(std::string(WEFT_TEST_PLUGIN_DIR) + "/weft_http_request.so").is_ok());
  const CredentialTypeSpec* header = host.credential_type("weft.httpHeaderAuth");
  const CredentialTypeSpec* basic = host.credential_type("weft.basicAuth");
  ASSERT_NE(header, nullptr);
  ASSERT_NE(basic, nullptr);
  EXPECT_TRUE(header->field("value")->secret);
  EXPECT_FALSE(header->field("name")->secret);
  EXPECT_TRUE(basic->field("password")->secret);
  EXPECT_NE(basic->field("user")->check("a:b"), nullptr);
}

TEST(PluginLoader, RefusesAMalformedCredentialTypeNamingPluginAndType) {
  std::string why = refusal(fixture("bad_credential_type"));
  EXPECT_NE(why.find("plugin fixture-bad-credential-type: credential type test.blob: fields[0].type "
                     "must be string, boolean or integer"),
            std::string::npos)
      << why;
}

TEST(PluginLoader, RefusesADuplicateCredentialTypeAndKeepsTheFirst) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(std::string(WEFT_TEST_PLUGIN_DIR) + "/weft_http_request.so").is_ok());
  Status st = host.load_file(fixture("duplicate_credential_type"));
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("plugin fixture-duplicate-credential-type: credential type "
                              "weft.httpHeaderAuth is already declared by plugin weft-http-request"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(host.credential_type("weft.httpHeaderAuth")->plugin->name, "weft-http-request");
  EXPECT_EQ(host.credential_types().size(), 2u);
}

// A CredentialSource that answers from a map and records what it was asked.
class FakeCredentialSource final : public CredentialSource {
 public:
  Result<NodeCredential> open_for_node(const NodeCredentialRequest& q) const override {
    asked.push_back(q);
    if (q.credential_id == "denied")
      return Status(Code::kNode, "access denied to credential denied");
    if (q.credential_id != "t1") return Status::not_found("no credential " + q.credential_id);
    NodeCredential c;
    c.id = "t1";
    c.type = type;
    c.data = {{"header", "X-Token"}, {"token", "tok-s3cr3t"}};
    return c;
  }
  std::string type = "test.token";
  mutable std::vector<NodeCredentialRequest> asked;
};

struct CredRun {
  ExecutionResult result;
  std::string error;  // of node "reader"
};

CredRun run_reader(const PluginHost& host, const Json& parameters,
                   std::shared_ptr<const CredentialSource> source) {
  Json doc = {{"id", "wf-1"},
              {"nodes", {{{"id", "reader"}, {"type", "test.c_cred"}, {"typeVersion", 1},
                          {"parameters", parameters}}}}};
  ValidationReport report;
  auto plan = plan_workflow(doc, host.registry(), report);
  EXPECT_TRUE(plan) << report.to_text();
  Executor executor({});
  ExecutionRequest req;
  req.id = "ex-1";
  req.workflow_owner = "user-7";
  req.credentials = std::move(source);
  CredRun out;
  out.result = executor.run(*plan, std::move(req));
  for (const auto& run : out.result.runs)
    if (run.node_id == "reader" && run.error) out.error = run.error->message();
  return out;
}

TEST(NodeCallCredentials, ANodeReadsItsCredentialThroughTheSource) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_2")).is_ok());
  auto source = std::make_shared<FakeCredentialSource>();
  CredRun r = run_reader(host, {{"credential", "t1"}}, source);
  ASSERT_EQ(r.result.status, ExecutionStatus::kSucceeded) << r.error;
  ASSERT_EQ(r.result.result.size(), 1u);
  EXPECT_EQ(*r.result.result[0].second.at(0), (Json{{"type", "test.token"}, {"fields", 2}}));
  ASSERT_EQ(source->asked.size(), 1u);
  const NodeCredentialRequest& q = source->asked[0];
  EXPECT_EQ(q.execution_id, "ex-1");
  EXPECT_EQ(q.workflow_id, "wf-1");
  EXPECT_EQ(q.workflow_owner, "user-7");
  EXPECT_EQ(q.node_id, "reader");
  EXPECT_EQ(q.node_type, "test.c_cred@1");
  EXPECT_EQ(q.parameter, "credential");
  EXPECT_EQ(q.credential_id, "t1");
  EXPECT_EQ(q.allowed_types, std::vector<std::string>{"test.token"});
}

TEST(NodeCallCredentials, ARefusalNamesNodeAndParameter) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_2")).is_ok());
  CredRun r = run_reader(host, {{"credential", "denied"}}, std::make_shared<FakeCredentialSource>());
  EXPECT_EQ(r.result.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "node reader: parameter 'credential': access denied to credential denied");
}

TEST(NodeCallCredentials, ATypeTheParameterDoesNotTakeIsRefusedEvenIfTheSourceAnswers) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_2")).is_ok());
  auto source = std::make_shared<FakeCredentialSource>();
  source->type = "weft.basicAuth";
  CredRun r = run_reader(host, {{"credential", "t1"}}, source);
  EXPECT_EQ(r.result.status, ExecutionStatus::kFailed);
  EXPECT_NE(r.error.find("node reader: parameter 'credential': credential t1 is a weft.basicAuth"),
            std::string::npos)
      << r.error;
  EXPECT_EQ(r.error.find("s3cr3t"), std::string::npos);
}

TEST(NodeCallCredentials, WithoutASourceTheErrorSaysSo) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_2")).is_ok());
  CredRun r = run_reader(host, {{"credential", "t1"}}, nullptr);
  EXPECT_EQ(r.result.status, ExecutionStatus::kFailed);
  EXPECT_NE(r.error.find("node reader: parameter 'credential': credentials are not available here"),
            std::string::npos)
      << r.error;
}

TEST(NodeCallCredentials, TheCredentialParameterMustBeALiteralId) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(fixture("abi_1_2")).is_ok());
  Json doc = {{"id", "wf-1"},
              {"nodes", {{{"id", "reader"}, {"type", "test.c_cred"}, {"typeVersion", 1},
                          {"parameters", {{"credential", "{{ $json.id }}"}}}}}}};
  ValidationReport report;
  EXPECT_FALSE(plan_workflow(doc, host.registry(), report));
  EXPECT_NE(report.to_text().find("parameter 'credential' must be a literal credential id"), std::string::npos)
      << report.to_text();
}

}  // namespace
}  // namespace weft
