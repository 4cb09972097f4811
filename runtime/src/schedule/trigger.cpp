#include <weft/runtime/schedule/trigger.hpp>

namespace weft::schedule {

Trigger Trigger::cron(CronExpression cron, TimeZone zone) {
  Trigger t;
  t.cron_ = std::move(cron);
  t.zone_ = std::move(zone);
  return t;
}

Result<Trigger> Trigger::interval(std::chrono::seconds period, std::optional<TimePoint> anchor,
                                  TimeZone zone) {
  if (period < std::chrono::seconds{1} || period > kMaxInterval)
    return Status::invalid("interval must be from 1 to " + std::to_string(kMaxInterval.count()) +
                           " seconds, got " + std::to_string(period.count()));
  Trigger t;
  t.period_ = period;
  t.anchor_ = anchor;
  t.zone_ = std::move(zone);
  return t;
}

Trigger Trigger::anchored(TimePoint t) const {
  Trigger copy = *this;
  if (!copy.cron_ && !copy.anchor_) copy.anchor_ = t;
  return copy;
}

Result<TimePoint> Trigger::next_after(TimePoint after) const {
  if (cron_) return cron_->next_after(after, zone_);
  if (!anchor_) return Status::invalid("interval trigger has no anchor");
  // The smallest anchor + k * period > after, for any integer k.
  auto period = std::chrono::duration_cast<TimePoint::duration>(period_);
  auto since = after - *anchor_;
  auto k = since / period;  // truncates toward zero
  if (since.count() >= 0 || since % period == TimePoint::duration::zero()) ++k;
  TimePoint next = *anchor_ + k * period;
  return next;
}

std::string Trigger::describe() const {
  if (cron_) return "cron '" + cron_->text() + "' in " + zone_.name();
  return "every " + std::to_string(period_.count()) + " s";
}

namespace {

bool holds_expression(const Json& v) {
  return v.is_string() && v.get_ref<const std::string&>().find("{{") != std::string::npos;
}

std::string type_of(const Json& v) {
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "boolean";
  return v.type_name();
}

Status param_error(const char* name, const std::string& problem) {
  return Status::invalid(std::string("parameter '") + name + "' " + problem);
}

}  // namespace

Result<Trigger> trigger_from_node_parameters(const Json& params) {
  static const Json kNone;
  if (!params.is_object() && !params.is_null())
    return Status::invalid("parameters must be an object, got " + type_of(params));
  auto get = [&](const char* name) -> const Json& {
    if (!params.is_object()) return kNone;
    auto it = params.find(name);
    return it == params.end() ? kNone : *it;
  };
  for (const char* name : {"mode", "cron", "timezone", "intervalSeconds"})
    if (holds_expression(get(name)))
      return param_error(name, "cannot hold an expression: a schedule is fixed when the "
                               "workflow is activated");

  const Json& mode = get("mode");
  std::string mode_name = "cron";
  if (!mode.is_null()) {
    if (!mode.is_string() || (mode != "cron" && mode != "interval"))
      return param_error("mode", "must be one of cron, interval; got " +
                                     (mode.is_string() ? "'" + mode.get<std::string>() + "'"
                                                       : type_of(mode)));
    mode_name = mode.get<std::string>();
  }

  TimeZone zone;
  const Json& tz = get("timezone");
  if (!tz.is_null()) {
    if (!tz.is_string()) return param_error("timezone", "must be a string, got " + type_of(tz));
    if (tz.get_ref<const std::string&>().empty()) return param_error("timezone", "must not be empty");
    Result<TimeZone> located = TimeZone::locate(tz.get_ref<const std::string&>());
    if (!located) return Status(located.status().code(), "parameter 'timezone': " +
                                                             located.status().message());
    zone = std::move(located).value();
  }

  if (mode_name == "cron") {
    const Json& text = get("cron");
    if (text.is_null()) return param_error("cron", "is required when mode is 'cron'");
    if (!text.is_string()) return param_error("cron", "must be a string, got " + type_of(text));
    Result<CronExpression> cron = CronExpression::parse(text.get_ref<const std::string&>());
    if (!cron) return Status::invalid("parameter 'cron': " + cron.status().message());
    return Trigger::cron(std::move(cron).value(), std::move(zone));
  }

  const Json& seconds = get("intervalSeconds");
  if (seconds.is_null())
    return param_error("intervalSeconds", "is required when mode is 'interval'");
  std::string range = "must be a whole number from 1 to " +
                      std::to_string(Trigger::kMaxInterval.count());
  if (!seconds.is_number_integer()) {
    std::string got = seconds.is_number() ? seconds.dump() : type_of(seconds);
    return param_error("intervalSeconds", range + ", got " + got);
  }
  int64_t n = seconds.is_number_unsigned() && seconds.get<uint64_t>() > uint64_t(INT64_MAX)
                  ? INT64_MAX
                  : seconds.get<int64_t>();
  if (n < 1 || n > Trigger::kMaxInterval.count())
    return param_error("intervalSeconds", range + ", got " + seconds.dump());
  return Trigger::interval(std::chrono::seconds{n}, std::nullopt, std::move(zone));
}

Json tick_item(const Tick& tick, const Trigger& trigger) {
  Json item = Json::object();
  item["timestamp"] = format_utc(tick.fired_at);
  item["scheduledAt"] = format_utc(tick.scheduled_at);
  item["timezone"] = trigger.zone().name();
  return item;
}

}  // namespace weft::schedule
