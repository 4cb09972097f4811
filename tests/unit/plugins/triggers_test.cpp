// weft.manual and weft.webhook: the trigger nodes.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

weft_status run_manual(NodeCall& call) { return plugin("weft_manual").run("weft.manual", 1, call); }
weft_status run_webhook(NodeCall& call) {
  return plugin("weft_webhook").run("weft.webhook", 1, call);
}

TEST(ManualTrigger, DescribesItself) {
  expect_plugin("weft_manual", "weft-manual", "weft.manual", {{}, {"main"}, true, {}});
}

TEST(ManualTrigger, ForwardsTheTriggerItems) {
  NodeCall call;
  call.inputs = {items(R"([{"a": 1}, {"b": [2]}])")};
  ASSERT_EQ(run_manual(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"a": 1}, {"b": [2]}])"));
}

TEST(ManualTrigger, EmitsOneEmptyItemWithoutTriggerItems) {
  NodeCall call;
  ASSERT_EQ(run_manual(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse("[{}]"));
}

TEST(WebhookTrigger, DescribesItself) {
  expect_plugin("weft_webhook", "weft-webhook", "weft.webhook",
                {{}, {"main"}, true, {"path", "method", "responseMode", "auth", "credential"}});
  EXPECT_EQ(parameter("weft_webhook", "path")["required"], true);
  EXPECT_EQ(parameter("weft_webhook", "method")["default"], "POST");
  EXPECT_EQ(parameter("weft_webhook", "method")["options"],
            Json::parse(R"(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])"));
  EXPECT_EQ(parameter("weft_webhook", "responseMode")["default"], "onReceived");
  EXPECT_EQ(parameter("weft_webhook", "responseMode")["options"],
            Json::parse(R"(["onReceived", "lastNode", "responseNode"])"));
  EXPECT_EQ(parameter("weft_webhook", "auth")["default"], "none");
  EXPECT_EQ(parameter("weft_webhook", "auth")["options"],
            Json::parse(R"(["none", "header", "basic"])"));
}

TEST(WebhookTrigger, ForwardsTheRequestItem) {
  NodeCall call;
  call.params = {{"path", "orders/new"}};
  call.inputs = {items(R"([{"body": {"id": 7}, "headers": {}}])")};
  ASSERT_EQ(run_webhook(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"body": {"id": 7}, "headers": {}}])"));
}

TEST(WebhookTrigger, EmitsOneEmptyItemWithoutTriggerItems) {
  NodeCall call;
  call.params = {{"path", "ping"}};
  ASSERT_EQ(run_webhook(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(Json(call.outputs[0]), Json::parse("[{}]"));
}

TEST(WebhookTrigger, AcceptsEveryDocumentedSetting) {
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}) {
    for (const char* mode : {"onReceived", "lastNode", "responseNode"}) {
      NodeCall call;
      call.params = {{"path", "/hooks/a-b_c.d:e"},
                     {"method", method},
                     {"responseMode", mode},
                     {"auth", "basic"},
                     {"credential", "c1"}};
      EXPECT_EQ(run_webhook(call), WEFT_OK) << method << " " << mode << ": " << call.error_message;
    }
  }
  NodeCall call;
  call.params = {{"path", "x"}, {"auth", "header"}, {"credential", "c2"}};
  EXPECT_EQ(run_webhook(call), WEFT_OK) << call.error_message;
}

struct WebhookError {
  Json params;
  std::string message;
};

class WebhookTriggerRejects : public ::testing::TestWithParam<WebhookError> {};

TEST_P(WebhookTriggerRejects, BadParameters) {
  NodeCall call;
  call.params = GetParam().params;
  EXPECT_EQ(run_webhook(call), WEFT_ERR_INVALID);
  EXPECT_EQ(call.error_message, GetParam().message);
  EXPECT_TRUE(call.outputs.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WebhookTriggerRejects,
    ::testing::Values(
        WebhookError{Json::object(), "parameter 'path' is required"},
        WebhookError{{{"path", 5}}, "parameter 'path' must be a string, got number"},
        WebhookError{{{"path", "a b"}},
                     "parameter 'path' may hold only letters, digits and - _ . / :"},
        WebhookError{{{"path", "a?b=1"}},
                     "parameter 'path' may hold only letters, digits and - _ . / :"},
        WebhookError{{{"path", "/"}}, "parameter 'path' must not be empty"},
        WebhookError{{{"path", "x"}, {"method", "FETCH"}},
                     "parameter 'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD; "
                     "got 'FETCH'"},
        WebhookError{{{"path", "x"}, {"method", "post"}},
                     "parameter 'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD; "
                     "got 'post'"},
        WebhookError{{{"path", "x"}, {"responseMode", "later"}},
                     "parameter 'responseMode' must be one of onReceived, lastNode, "
                     "responseNode; got 'later'"},
        WebhookError{{{"path", "x"}, {"responseMode", 1}},
                     "parameter 'responseMode' must be one of onReceived, lastNode, "
                     "responseNode; got number"},
        WebhookError{{{"path", "x"}, {"auth", "jwt"}},
                     "parameter 'auth' must be one of none, header, basic; got 'jwt'"},
        WebhookError{{{"path", "x"}, {"auth", "header"}},
                     "parameter 'credential' is required when auth is 'header'"},
        WebhookError{{{"path", "x"}, {"auth", "basic"}, {"credential", ""}},
                     "parameter 'credential' is required when auth is 'basic'"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

}  // namespace
}  // namespace weft::plugin_tests
