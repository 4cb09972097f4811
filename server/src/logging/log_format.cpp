#include "logging/log_format.hpp"

#include "logging/secret_scrubber.hpp"

#include <cstdio>
#include <ctime>

namespace weft::logging {

namespace {

using Json = nlohmann::json;

// JSON text of `value` on one line; invalid UTF-8 is replaced rather than thrown on, since a
// log line must never take the server down.
std::string dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string quoted(const std::string& text) { return dump(Json(text)); }

// A JSON-string dump minus its quotes: the text with control characters escaped.
std::string escaped(const std::string& text) {
  std::string q = quoted(text);
  return q.substr(1, q.size() - 2);
}

bool bare_ok(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c == '"' || c == '=' || c == 0x7f || c >= 0x80) return false;
  return true;
}

std::string text_value(const Json& v) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    return bare_ok(s) ? s : quoted(s);
  }
  return dump(v);
}

}  // namespace

std::string format_time(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {  // before 1970: floor, not truncate
    millis += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buffer[128];  // room for any int the fields could hold, so no truncation
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buffer;
}

std::string format_json_line(const LogRecord& r) {
  std::string line = "{\"time\":" + quoted(format_time(r.time));
  line += ",\"level\":" + quoted(std::string(level_name(r.level)));
  line += ",\"logger\":" + quoted(r.logger);
  line += ",\"message\":" + quoted(r.message);
  if (!r.context.request_id.empty()) line += ",\"requestId\":" + quoted(r.context.request_id);
  if (!r.context.trace_id.empty()) line += ",\"traceId\":" + quoted(r.context.trace_id);
  if (!r.context.span_id.empty()) line += ",\"spanId\":" + quoted(r.context.span_id);
  line += ",\"fields\":" + (r.fields.is_object() ? dump(scrub_fields(r.fields)) : std::string("{}"));
  line += "}\n";
  return line;
}

std::string format_text_line(const LogRecord& r) {
  std::string level(level_name(r.level));
  for (char& c : level) c = static_cast<char>(c - 'a' + 'A');
  level.resize(5, ' ');
  std::string line = format_time(r.time) + " " + level + " " + escaped(r.logger) + ": " + escaped(r.message);
  auto pair = [&](const std::string& key, const Json& value) { line += " " + escaped(key) + "=" + text_value(value); };
  if (!r.context.request_id.empty()) pair("requestId", r.context.request_id);
  if (!r.context.trace_id.empty()) pair("traceId", r.context.trace_id);
  if (!r.context.span_id.empty()) pair("spanId", r.context.span_id);
  if (r.fields.is_object()) {
    const Json scrubbed = scrub_fields(r.fields);
    for (const auto& [key, value] : scrubbed.items()) pair(key, value);
  }
  line += "\n";
  return line;
}

std::string format_line(const LogRecord& record, Format format) {
  return format == Format::kJson ? format_json_line(record) : format_text_line(record);
}

}  // namespace weft::logging
