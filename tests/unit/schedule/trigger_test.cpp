// Triggers: interval anchoring, the weft.schedule node parameters (and that the plugin's own
// check says the same), and the trigger item.
#include "schedule_test_support.hpp"

#include <weft/runtime/schedule/trigger.hpp>
#include <weft/testing/fake_host.hpp>

#include <memory>

namespace weft::schedule::test {
namespace {

using std::chrono::seconds;

TEST(IntervalTrigger, TicksOnTheGridOfItsAnchor) {
  TimePoint t0 = at("2024-01-01T00:00:00Z");
  Result<Trigger> t = Trigger::interval(seconds{10}, t0);
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_FALSE(t->is_cron());
  EXPECT_EQ(t->period(), seconds{10});
  EXPECT_EQ(*t->next_after(t0), t0 + seconds{10});
  EXPECT_EQ(*t->next_after(t0 + seconds{3}), t0 + seconds{10});
  EXPECT_EQ(*t->next_after(t0 + std::chrono::milliseconds{9999}), t0 + seconds{10});
  EXPECT_EQ(*t->next_after(t0 + seconds{10}), t0 + seconds{20});
  EXPECT_EQ(*t->next_after(t0 + seconds{3600} + seconds{5}), t0 + seconds{3610});
  // Before the anchor too: every anchor + k * period.
  EXPECT_EQ(*t->next_after(t0 - seconds{25}), t0 - seconds{20});
  EXPECT_EQ(*t->next_after(t0 - seconds{20}), t0 - seconds{10});
  EXPECT_EQ(*t->next_after(t0 - std::chrono::milliseconds{19500}), t0 - seconds{10});
  EXPECT_EQ(*t->next_after(t0 - std::chrono::milliseconds{1}), t0);
  EXPECT_EQ(t->describe(), "every 10 s");
}

TEST(IntervalTrigger, IsAnchoredWhenAddedUnlessItHasAnAnchor) {
  TimePoint t0 = at("2024-01-01T00:00:00Z");
  Result<Trigger> loose = Trigger::interval(seconds{60});
  ASSERT_TRUE(loose);
  Result<TimePoint> none = loose->next_after(t0);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().message(), "interval trigger has no anchor");
  Trigger anchored = loose->anchored(t0 + seconds{7});
  EXPECT_EQ(*anchored.next_after(t0 + seconds{7}), t0 + seconds{67});
  // An anchor is never moved.
  EXPECT_EQ(*anchored.anchored(t0 + seconds{30}).anchor(), t0 + seconds{7});
}

TEST(IntervalTrigger, RefusesPeriodsOutOfRange) {
  for (int64_t s : {int64_t{0}, int64_t{-5}, int64_t{315360001}}) {
    Result<Trigger> t = Trigger::interval(seconds{s});
    ASSERT_FALSE(t);
    EXPECT_EQ(t.status().message(),
              "interval must be from 1 to 315360000 seconds, got " + std::to_string(s));
  }
  EXPECT_TRUE(Trigger::interval(seconds{1}));
  EXPECT_TRUE(Trigger::interval(Trigger::kMaxInterval));
}

TEST(CronTrigger, UsesItsZone) {
  Trigger t = Trigger::cron(*CronExpression::parse("0 30 2 * * *"), zone("Europe/Berlin"));
  EXPECT_TRUE(t.is_cron());
  EXPECT_EQ(iso(*t.next_after(at("2024-03-30T12:00:00Z"))), "2024-03-31T01:00:00Z");
  EXPECT_EQ(t.describe(), "cron '0 30 2 * * *' in Europe/Berlin");
  EXPECT_EQ(t.anchored(at("2024-01-01T00:00:00Z")).anchor(), std::nullopt);
}

TEST(ScheduleParameters, MakeTriggers) {
  Result<Trigger> t = trigger_from_node_parameters({{"cron", "0 * * * *"}});
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_TRUE(t->is_cron());
  EXPECT_EQ(t->zone().name(), "UTC");

  t = trigger_from_node_parameters(
      {{"mode", "cron"}, {"cron", "0 0 9 * * MON-FRI"}, {"timezone", "America/New_York"}});
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(t->zone().name(), "America/New_York");
  EXPECT_EQ(iso(*t->next_after(at("2024-03-08T15:00:00Z"))), "2024-03-11T13:00:00Z");

  t = trigger_from_node_parameters({{"mode", "interval"}, {"intervalSeconds", 90}});
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_FALSE(t->is_cron());
  EXPECT_EQ(t->period(), seconds{90});
  EXPECT_EQ(t->anchor(), std::nullopt);

  // In interval mode the cron text is not looked at; the zone is still checked and reported.
  t = trigger_from_node_parameters({{"mode", "interval"},
                                    {"intervalSeconds", 1},
                                    {"cron", "not cron"},
                                    {"timezone", "Asia/Tokyo"}});
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(t->zone().name(), "Asia/Tokyo");
  EXPECT_TRUE(trigger_from_node_parameters(
      {{"mode", "interval"}, {"intervalSeconds", Trigger::kMaxInterval.count()}}));
  EXPECT_TRUE(trigger_from_node_parameters({{"cron", "@daily"}, {"timezone", nullptr}}));
}

struct BadParameters {
  Json params;
  std::string message;
  bool plugin_checks;  // whether the plugin (without cron parser or tz database) sees it too
};

const std::vector<BadParameters>& bad_parameters() {
  static const std::vector<BadParameters> cases = {
      {Json::array(), "parameters must be an object, got array", false},
      {Json::object(), "parameter 'cron' is required when mode is 'cron'", true},
      {Json(nullptr), "parameter 'cron' is required when mode is 'cron'", true},
      {{{"mode", "daily"}}, "parameter 'mode' must be one of cron, interval; got 'daily'", true},
      {{{"mode", 1}}, "parameter 'mode' must be one of cron, interval; got number", true},
      {{{"cron", 5}}, "parameter 'cron' must be a string, got number", true},
      {{{"cron", ""}}, "parameter 'cron': cron expression is empty", true},
      {{{"cron", "  "}}, "parameter 'cron': cron expression is empty", true},
      {{{"cron", "0 25 * * *"}}, "parameter 'cron': cron field 'hour': 25 is out of range 0-23",
       false},
      {{{"cron", "0 0 30 2 *"}},
       "parameter 'cron': cron expression never fires: day-of-month '30' does not occur in "
       "month '2'",
       false},
      {{{"cron", "{{ $json.when }}"}},
       "parameter 'cron' cannot hold an expression: a schedule is fixed when the workflow is "
       "activated",
       false},
      {{{"cron", "* * * * *"}, {"timezone", "Mars/Base"}},
       "parameter 'timezone': unknown time zone 'Mars/Base' (expected an IANA name such as "
       "Europe/Berlin)",
       false},
      {{{"cron", "* * * * *"}, {"timezone", ""}}, "parameter 'timezone' must not be empty", true},
      {{{"cron", "* * * * *"}, {"timezone", 3}},
       "parameter 'timezone' must be a string, got number", true},
      {{{"mode", "interval"}}, "parameter 'intervalSeconds' is required when mode is 'interval'",
       true},
      {{{"mode", "interval"}, {"intervalSeconds", 0}},
       "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, got 0", true},
      {{{"mode", "interval"}, {"intervalSeconds", -5}},
       "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, got -5", true},
      {{{"mode", "interval"}, {"intervalSeconds", 315360001}},
       "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, got 315360001",
       true},
      {{{"mode", "interval"}, {"intervalSeconds", 1.5}},
       "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, got 1.5", true},
      {{{"mode", "interval"}, {"intervalSeconds", "60"}},
       "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, got string",
       true},
      {{{"mode", "interval"}, {"intervalSeconds", true}},
       "parameter 'intervalSeconds' must be a whole number from 1 to 315360000, got boolean",
       true},
      {{{"mode", "interval"}, {"intervalSeconds", "{{ 60 }}"}},
       "parameter 'intervalSeconds' cannot hold an expression: a schedule is fixed when the "
       "workflow is activated",
       false},
  };
  return cases;
}

TEST(ScheduleParameters, AreRefusedWithOneLineNamingTheParameter) {
  for (const BadParameters& c : bad_parameters()) {
    Result<Trigger> t = trigger_from_node_parameters(c.params);
    ASSERT_FALSE(t) << c.params.dump();
    EXPECT_EQ(t.status().code(), Code::kInvalid) << c.params.dump();
    EXPECT_EQ(t.status().message(), c.message) << c.params.dump();
  }
}

TEST(ScheduleParameters, ThePluginReportsWhatItCanCheckInTheSameWords) {
  weft::testing::FakeHost host =
      weft::testing::FakeHost::open(std::string(WEFT_TEST_PLUGIN_DIR) + "/weft_schedule.so");
  int compared = 0;
  for (const BadParameters& c : bad_parameters()) {
    weft::testing::NodeCall call;
    if (c.params.is_object()) call.params = c.params;
    weft_status st = host.run("weft.schedule", 1, call);
    if (c.plugin_checks) {
      EXPECT_EQ(st, WEFT_ERR_INVALID) << c.params.dump();
      EXPECT_EQ(call.error_message, c.message) << c.params.dump();
      ++compared;
    }
  }
  EXPECT_EQ(compared, 16);
}

TEST(TickItem, DescribesTheRun) {
  Trigger t = Trigger::cron(*CronExpression::parse("@hourly"), zone("Europe/Berlin"));
  Tick tick{at("2024-03-31T01:00:00Z"), at("2024-03-31T01:00:00.042Z"), 0};
  EXPECT_EQ(tick_item(tick, t).dump(),
            R"({"timestamp":"2024-03-31T01:00:00.042Z","scheduledAt":"2024-03-31T01:00:00.000Z",)"
            R"("timezone":"Europe/Berlin"})");
}

}  // namespace
}  // namespace weft::schedule::test
