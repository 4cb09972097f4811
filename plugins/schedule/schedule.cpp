// weft.schedule: the trigger of executions started on a schedule — a cron expression in an
// IANA time zone, or a fixed interval. The server validates the parameters when the workflow
// is activated (with the runtime's cron parser and tz database, which a plugin cannot use),
// keeps the schedule, and at each tick starts an execution whose trigger item describes the
// tick; the node checks what it can and passes the trigger items on.
#include <weft/sdk.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace {

constexpr int64_t kMaxIntervalSeconds = 315360000;  // 10 years, as the runtime's Trigger

// "2024-03-31T01:00:00.000Z", the format of the trigger items the server builds.
std::string format_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = floor<milliseconds>(t);
  auto day = floor<days>(ms);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{ms - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

// Checks the schedule definition (mode, cron, timezone, intervalSeconds) as far as a plugin
// can — the types and ranges; the server checks the cron syntax and the zone — then forwards
// the trigger items, or emits one item for "now" when there are none (a run started by hand).
class ScheduleTrigger : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    std::string mode = ctx.param_enum("mode", -1, {"cron", "interval"}, "cron");
    std::string zone = timezone(ctx);
    if (mode == "cron") {
      check_cron(ctx);
    } else {
      check_interval(ctx);
    }

    size_t count = ctx.input_count(0);
    if (count == 0) {
      std::string now = format_utc(std::chrono::system_clock::now());
      weft::OwnedValue item = ctx.object();
      item.set("timestamp", now);
      item.set("scheduledAt", now);
      item.set("timezone", zone);
      ctx.emit(0, std::move(item));
    }
    for (size_t i = 0; i < count; ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }

 private:
  static std::string timezone(weft::Context& ctx) {
    weft::Value tz = ctx.param("timezone");
    if (!tz.exists() || tz.is_null()) return "UTC";
    if (!tz.is_string())
      throw weft::param_error("timezone", -1,
                              "must be a string, got " + std::string(weft::type_name(tz)));
    if (tz.as_string().empty()) throw weft::param_error("timezone", -1, "must not be empty");
    return std::string(tz.as_string());
  }

  static void check_cron(weft::Context& ctx) {
    weft::Value cron = ctx.param("cron");
    if (!cron.exists() || cron.is_null())
      throw weft::param_error("cron", -1, "is required when mode is 'cron'");
    if (!cron.is_string())
      throw weft::param_error("cron", -1,
                              "must be a string, got " + std::string(weft::type_name(cron)));
    if (cron.as_string().find_first_not_of(" \t") == std::string_view::npos)
      throw weft::Error(WEFT_ERR_INVALID, "parameter 'cron': cron expression is empty");
  }

  static void check_interval(weft::Context& ctx) {
    weft::Value seconds = ctx.param("intervalSeconds");
    if (!seconds.exists() || seconds.is_null())
      throw weft::param_error("intervalSeconds", -1, "is required when mode is 'interval'");
    std::string range =
        "must be a whole number from 1 to " + std::to_string(kMaxIntervalSeconds) + ", got ";
    if (!seconds.is_int()) {
      std::string got = seconds.is_number() ? std::string(ctx.to_json(seconds))
                                            : std::string(weft::type_name(seconds));
      throw weft::param_error("intervalSeconds", -1, range + got);
    }
    int64_t n = seconds.as_int();
    if (n < 1 || n > kMaxIntervalSeconds)
      throw weft::param_error("intervalSeconds", -1, range + std::to_string(n));
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Schedule",
  "description": "Starts an execution on a schedule: a cron expression (with seconds) in an IANA time zone, or every N seconds. Each run's trigger item is {timestamp, scheduledAt, timezone}.",
  "inputs": [],
  "outputs": ["main"],
  "trigger": true,
  "parameters": [
    {"name": "mode", "type": "string", "required": false, "default": "cron",
     "options": ["cron", "interval"],
     "description": "cron: run when the cron expression matches; interval: run every intervalSeconds."},
    {"name": "cron", "type": "string", "required": false,
     "description": "Required in cron mode. 'sec min hour day-of-month month day-of-week' or the usual five fields; *, lists, ranges, steps, JAN-DEC, SUN-SAT, ?, L, @hourly/@daily/@weekly/@monthly/@yearly. E.g. '0 */15 9-17 * * MON-FRI'."},
    {"name": "timezone", "type": "string", "required": false, "default": "UTC",
     "description": "IANA time zone the cron expression is read in, e.g. 'Europe/Berlin'."},
    {"name": "intervalSeconds", "type": "number", "required": false,
     "description": "Required in interval mode: seconds between runs, a whole number from 1 to 315360000. Runs stay on the grid of the activation time."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-schedule", "1.0.0") {
  registry.add_node<ScheduleTrigger>("weft.schedule", 1, kDescription);
}
