#include "logging/access_log.hpp"

#include "logging/logger.hpp"

namespace weft::logging {

namespace {

// A path cut to kMaxPathChars, never inside a UTF-8 sequence, and stripped of a query should a
// caller pass one anyway.
std::string safe_path(std::string path) {
  if (size_t q = path.find('?'); q != std::string::npos) path.resize(q);
  if (path.size() <= kMaxPathChars) return path;
  size_t cut = kMaxPathChars;
  while (cut > 0 && (static_cast<unsigned char>(path[cut]) & 0xC0) == 0x80) --cut;
  path.resize(cut);
  return path + "...";
}

}  // namespace

LogRecord access_record(const AccessEntry& e) {
  LogRecord r;
  r.time = std::chrono::system_clock::now();
  r.level = Level::kInfo;
  r.logger = "access";
  r.context = current_context();
  r.context.request_id = e.request_id;
  const std::string where = e.route.empty() ? safe_path(e.path) : e.route;
  const std::string method = e.method.empty() ? std::string("-") : e.method;
  r.message = method + " " + (where.empty() ? std::string("-") : where) + " " + std::to_string(e.status);
  nlohmann::json& f = r.fields;
  f["method"] = method;
  if (e.route.empty()) f["path"] = where;
  else f["route"] = e.route;
  f["status"] = e.status;
  const double ms = std::chrono::duration<double, std::milli>(e.duration).count();
  f["durationMs"] = static_cast<double>(static_cast<int64_t>(ms * 1000.0)) / 1000.0;  // microsecond precision
  f["bytes"] = e.bytes_sent;
  if (!e.principal_id.empty()) f["principalId"] = e.principal_id;
  f["remoteAddress"] = e.remote_address;
  return r;
}

void log_access(const AccessEntry& entry) {
  if (!enabled(Level::kInfo)) return;
  write(access_record(entry));
}

}  // namespace weft::logging
