// Schedules through the real binary: an active workflow with a weft.schedule trigger runs on
// its own, a deactivated one stops, and a bad schedule refuses activation.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace weft::test {
namespace {

Json scheduled_workflow(const Json& schedule_parameters) {
  return {{"name", "every second"},
          {"nodes",
           {{{"id", "tick"}, {"type", "weft.schedule"}, {"typeVersion", 1}, {"parameters", schedule_parameters}},
            {{"id", "mark"},
             {"type", "weft.set"},
             {"typeVersion", 1},
             {"parameters",
              {{"fields", Json::array({{{"name", "seen"}, {"value", "{{ $json.scheduledAt }}"}}})}}}}}},
          {"edges", {{{"from", "tick"}, {"to", "mark"}}}}};
}

// The executions of `workflow` started by its schedule.
Json scheduled_runs(WeftServer& server, const std::string& workflow) {
  HttpResult r = server.get("/api/v1/executions?workflowId=" + workflow + "&limit=1000", server.as_admin());
  EXPECT_EQ(r.status, 200) << r.body;
  const Json page = r.json();
  Json runs = Json::array();
  for (const auto& e : page["items"])
    if (e.value("mode", "") == "schedule") runs.push_back(e);
  return runs;
}

TEST(Schedules, AnActiveWorkflowRunsOnItsScheduleUntilDeactivated) {
  WeftServer server;
  HttpResult created = server.post_json("/api/v1/workflows",
                                        scheduled_workflow({{"mode", "interval"}, {"intervalSeconds", 1}}),
                                        server.as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  ASSERT_EQ(server.post_json("/api/v1/workflows/" + id + "/activate", Json::object(), server.as_admin()).status, 200);

  Json runs = Json::array();
  for (int i = 0; i < 300 && runs.size() < 2; ++i) {  // generous: up to 30 s for two ticks
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    runs = scheduled_runs(server, id);
  }
  ASSERT_GE(runs.size(), 2u) << "the schedule did not run the workflow";
  // Each tick's execution is audited, started by the system.
  const std::string first = runs[0]["id"];
  HttpResult audit = server.get("/api/v1/audit?action=execution.start&objectId=" + first, server.as_admin());
  ASSERT_EQ(audit.status, 200) << audit.body;
  const Json events = audit.json()["items"];
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["actorKind"], "system");
  EXPECT_EQ(events[0]["detail"]["mode"], "schedule");
  EXPECT_EQ(events[0]["detail"]["workflowId"], id);

  ASSERT_EQ(server.post_json("/api/v1/workflows/" + id + "/deactivate", Json::object(), server.as_admin()).status,
            200);
  // Anything already submitted may still finish; after that the count must stay put.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const size_t after_deactivation = scheduled_runs(server, id).size();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(scheduled_runs(server, id).size(), after_deactivation) << "a deactivated workflow kept running";
  EXPECT_EQ(server.stop(), 0);
}

TEST(Schedules, ABadScheduleRefusesActivationNamingTheNode) {
  WeftServer server;
  HttpResult created = server.post_json("/api/v1/workflows",
                                        scheduled_workflow({{"mode", "cron"}, {"cron", "0 0 25 * * *"}}),
                                        server.as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  HttpResult refused = server.post_json("/api/v1/workflows/" + id + "/activate", Json::object(), server.as_admin());
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("tick"), std::string::npos) << refused.body;
  EXPECT_EQ(server.get("/api/v1/workflows/" + id, server.as_admin()).json()["active"], false);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace weft::test
