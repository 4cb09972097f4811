// weft.schedule: the schedule trigger node.
#include "plugin_test_support.hpp"

#include <regex>

namespace weft::plugin_tests {
namespace {

weft_status run_schedule(NodeCall& call) {
  return plugin("weft_schedule").run("weft.schedule", 1, call);
}

TEST(ScheduleTrigger, DescribesItself) {
  expect_plugin("weft_schedule", "weft-schedule", "weft.schedule",
                {{}, {"main"}, true, {"mode", "cron", "timezone", "intervalSeconds"}});
  EXPECT_EQ(parameter("weft_schedule", "mode")["default"], "cron");
  EXPECT_EQ(parameter("weft_schedule", "mode")["options"], Json::parse(R"(["cron", "interval"])"));
  EXPECT_EQ(parameter("weft_schedule", "timezone")["default"], "UTC");
  EXPECT_EQ(parameter("weft_schedule", "cron")["type"], "string");
  EXPECT_EQ(parameter("weft_schedule", "intervalSeconds")["type"], "number");
}

TEST(ScheduleTrigger, ForwardsTheTickItems) {
  NodeCall call;
  call.params = {{"cron", "0 */5 * * * *"}, {"timezone", "Europe/Berlin"}};
  call.inputs = {items(R"([{"timestamp": "2024-03-31T01:00:00.004Z",
                            "scheduledAt": "2024-03-31T01:00:00.000Z",
                            "timezone": "Europe/Berlin"}])")};
  ASSERT_EQ(run_schedule(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json(call.inputs[0]));
}

TEST(ScheduleTrigger, EmitsOneItemForNowWhenStartedByHand) {
  NodeCall call;
  call.params = {{"mode", "interval"}, {"intervalSeconds", 60}, {"timezone", "Asia/Tokyo"}};
  ASSERT_EQ(run_schedule(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  ASSERT_EQ(call.outputs[0].size(), 1u);
  const Json& item = call.outputs[0][0];
  ASSERT_TRUE(item.is_object());
  std::regex iso(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  ASSERT_TRUE(item["timestamp"].is_string());
  EXPECT_TRUE(std::regex_match(item["timestamp"].get<std::string>(), iso)) << item.dump();
  EXPECT_EQ(item["scheduledAt"], item["timestamp"]);
  EXPECT_EQ(item["timezone"], "Asia/Tokyo");
  EXPECT_EQ(item.size(), 3u);
}

TEST(ScheduleTrigger, DefaultsToUtc) {
  NodeCall call;
  call.params = {{"cron", "@daily"}};
  ASSERT_EQ(run_schedule(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(call.outputs[0][0]["timezone"], "UTC");
}

TEST(ScheduleTrigger, AcceptsEveryDocumentedSetting) {
  for (Json params : {Json{{"cron", "* * * * *"}},
                      Json{{"mode", "cron"}, {"cron", "0 0 9 * * MON-FRI"}, {"timezone", "UTC"}},
                      Json{{"mode", "interval"}, {"intervalSeconds", 1}},
                      Json{{"mode", "interval"}, {"intervalSeconds", 315360000}},
                      Json{{"mode", "interval"}, {"intervalSeconds", 5}, {"cron", 7}}}) {
    NodeCall call;
    call.params = params;
    EXPECT_EQ(run_schedule(call), WEFT_OK) << params.dump() << ": " << call.error_message;
  }
}

struct ScheduleError {
  Json params;
  std::string message;
};

class ScheduleTriggerRejects : public ::testing::TestWithParam<ScheduleError> {};

TEST_P(ScheduleTriggerRejects, BadParameters) {
  NodeCall call;
  call.params = GetParam().params;
  call.inputs = {items(R"([{"timestamp": "x"}])")};
  EXPECT_EQ(run_schedule(call), WEFT_ERR_INVALID);
  EXPECT_EQ(call.error_message, GetParam().message);
  EXPECT_TRUE(call.outputs.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScheduleTriggerRejects,
    ::testing::Values(
        ScheduleError{Json::object(), "parameter 'cron' is required when mode is 'cron'"},
        ScheduleError{{{"mode", "hourly"}},
                      "parameter 'mode' must be one of cron, interval; got 'hourly'"},
        ScheduleError{{{"cron", 5}}, "parameter 'cron' must be a string, got number"},
        ScheduleError{{{"cron", " "}}, "parameter 'cron': cron expression is empty"},
        ScheduleError{{{"cron", "* * * * *"}, {"timezone", ""}},
                      "parameter 'timezone' must not be empty"},
        ScheduleError{{{"cron", "* * * * *"}, {"timezone", Json::array()}},
                      "parameter 'timezone' must be a string, got array"},
        ScheduleError{{{"mode", "interval"}},
                      "parameter 'intervalSeconds' is required when mode is 'interval'"},
        ScheduleError{{{"mode", "interval"}, {"intervalSeconds", 0}},
                      "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, "
                      "got 0"},
        ScheduleError{{{"mode", "interval"}, {"intervalSeconds", 2.5}},
                      "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, "
                      "got 2.5"},
        ScheduleError{{{"mode", "interval"}, {"intervalSeconds", "60"}},
                      "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, "
                      "got string"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

}  // namespace
}  // namespace weft::plugin_tests
