// What makes a schedule tick — a cron expression in a time zone, or a fixed interval — and
// how a weft.schedule node's parameters become one.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/schedule/cron.hpp>
#include <weft/runtime/schedule/time_zone.hpp>
#include <weft/runtime/status.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace weft::schedule {

class Trigger {
 public:
  // The longest interval accepted (10 years).
  static constexpr std::chrono::seconds kMaxInterval{315360000};

  // Ticks whenever `cron` matches local time in `zone`.
  static Trigger cron(CronExpression cron, TimeZone zone = TimeZone());
  // Ticks at anchor + k * period for every integer k (anchored, so ticks never drift however
  // late a run starts). Without an anchor, the Scheduler anchors it at the moment it is added.
  // `zone` is only reported with the ticks. kInvalid unless 1 s <= period <= kMaxInterval.
  static Result<Trigger> interval(std::chrono::seconds period,
                                  std::optional<TimePoint> anchor = std::nullopt,
                                  TimeZone zone = TimeZone());

  bool is_cron() const { return cron_.has_value(); }
  // Precondition: is_cron().
  const CronExpression& cron_expression() const { return *cron_; }
  // Precondition: !is_cron().
  std::chrono::seconds period() const { return period_; }
  const std::optional<TimePoint>& anchor() const { return anchor_; }
  const TimeZone& zone() const { return zone_; }

  // A copy anchored at `t` when it is an interval without an anchor; otherwise a copy.
  Trigger anchored(TimePoint t) const;

  // The first tick strictly after `after`. kNotFound when a cron expression has none within
  // its search bound; kInvalid for an interval without an anchor.
  Result<TimePoint> next_after(TimePoint after) const;

  // "cron '*/5 * * * *' in Europe/Berlin" or "every 60 s".
  std::string describe() const;

 private:
  Trigger() = default;

  std::optional<CronExpression> cron_;
  std::chrono::seconds period_{0};
  std::optional<TimePoint> anchor_;
  TimeZone zone_;
};

// The trigger of a weft.schedule node from its parameters: "mode" ("cron", the default, or
// "interval"), "cron" (required in cron mode), "timezone" (IANA name, default "UTC"),
// "intervalSeconds" (a whole number from 1 to 315360000, required in interval mode). The
// server calls it when a workflow is saved or activated. Errors are kInvalid, one line naming
// the parameter: "parameter 'cron': cron field 'hour': 25 is out of range 0-23". Parameters
// holding {{ expressions }} are refused: a schedule is fixed when the workflow is activated.
Result<Trigger> trigger_from_node_parameters(const Json& params);

// One run of a trigger, as the Scheduler hands it to a callback.
struct Tick {
  // The tick this run stands for: the earliest one not yet run.
  TimePoint scheduled_at;
  // When the scheduler started the run (its clock).
  TimePoint fired_at;
  // Further ticks that came due before fired_at and were collapsed into this run (after a
  // pause, a long run, a clock jump); counted up to kMaxCountedMissed.
  uint64_t missed = 0;
  static constexpr uint64_t kMaxCountedMissed = 1000;
};

// The trigger item a weft.schedule node receives for `tick`:
// {"timestamp": fired_at, "scheduledAt": scheduled_at, "timezone": zone name}, times as
// ISO 8601 UTC ("2024-03-31T01:00:00.000Z").
Json tick_item(const Tick& tick, const Trigger& trigger);

}  // namespace weft::schedule
