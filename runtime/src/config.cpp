#include <weft/runtime/config.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace weft {

namespace {

enum class Type { kString, kInt, kNumber, kBool, kStringList };

struct Key {
  const char* name;
  Type type;
  const char* env;  // environment variable, or nullptr
  Json fallback;
  bool secret = false;
};

// Every configuration key weft knows.
const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"plugins.directories", Type::kStringList, "WEFT_PLUGIN_PATH", Json::array()},
      {"plugins.required", Type::kStringList, nullptr, Json::array()},
      {"data", Type::kString, "WEFT_DATA", "data"},
      {"storage.backend", Type::kString, "WEFT_STORAGE_BACKEND", "sqlite"},
      {"storage.autoMigrate", Type::kBool, "WEFT_STORAGE_AUTO_MIGRATE", true},
      {"storage.sqlite.path", Type::kString, "WEFT_SQLITE_PATH", ""},
      {"storage.postgres.url", Type::kString, "WEFT_DATABASE_URL", "", true},
      {"storage.postgres.poolSize", Type::kInt, "WEFT_DATABASE_POOL_SIZE", 8},
      {"storage.postgres.connectTimeoutMs", Type::kInt, "WEFT_DATABASE_CONNECT_TIMEOUT_MS", 5000},
      {"storage.dual.database", Type::kString, "WEFT_DUAL_DATABASE", "sqlite"},
      {"storage.dual.mode", Type::kString, "WEFT_DUAL_MODE", "dual"},
      {"storage.dual.cacheEntries", Type::kInt, "WEFT_DUAL_CACHE_ENTRIES", 10000},
      // Which executions are recorded (a workflow's settings.saveExecutions overrides each).
      {"executions.save.onSuccess", Type::kBool, "WEFT_SAVE_ON_SUCCESS", true},
      {"executions.save.onError", Type::kBool, "WEFT_SAVE_ON_ERROR", true},
      {"executions.save.progress", Type::kBool, "WEFT_SAVE_PROGRESS", false},
      {"executions.save.data", Type::kBool, "WEFT_SAVE_DATA", true},
      // Pruning keeps the executions collection bounded: by age and by count (0 = no limit).
      {"executions.pruning.maxAgeHours", Type::kInt, "WEFT_PRUNE_MAX_AGE_HOURS", 336},
      {"executions.pruning.maxCount", Type::kInt, "WEFT_PRUNE_MAX_COUNT", 10000},
      // Also how often expired login sessions and audit events past audit.retentionDays go.
      {"executions.pruning.intervalSeconds", Type::kInt, "WEFT_PRUNE_INTERVAL_SECONDS", 300},
      // Audit events are kept this many days (0: forever).
      {"audit.retentionDays", Type::kInt, "WEFT_AUDIT_RETENTION_DAYS", 365},
      // The group-commit writer of execution records.
      {"executions.writer.queueSize", Type::kInt, "WEFT_WRITER_QUEUE_SIZE", 10000},
      {"executions.writer.batchSize", Type::kInt, "WEFT_WRITER_BATCH_SIZE", 500},
      // Executions running at once, and waiting for a slot (503 + Retry-After beyond).
      {"executions.maxConcurrent", Type::kInt, "WEFT_MAX_CONCURRENT_EXECUTIONS", 16},
      {"executions.queueSize", Type::kInt, "WEFT_EXECUTION_QUEUE_SIZE", 256},
      // Auth providers asked in turn on every non-public request (sdk/AUTH.md).
      {"auth.providers", Type::kStringList, "WEFT_AUTH_PROVIDERS", Json::array({"weft.api_key", "weft.jwt", "weft.password"})},
      // The admin user created on first start (with an API key printed once).
      {"auth.initialAdminEmail", Type::kString, "WEFT_ADMIN_EMAIL", "admin@localhost"},
      // Login sessions (weft.jwt): access tokens signed with HS256 (the secret itself, at least
      // 32 bytes, else the file holding it: "" = <data>/jwt.key, created 0600 on first start) or
      // RS256/ES256 (PEM key files); refresh tokens rotate on every use.
      {"auth.jwt.algorithm", Type::kString, "WEFT_JWT_ALGORITHM", "HS256"},
      {"auth.jwt.secret", Type::kString, "WEFT_JWT_SECRET", "", true},
      {"auth.jwt.secretFile", Type::kString, "WEFT_JWT_SECRET_FILE", ""},
      {"auth.jwt.privateKeyFile", Type::kString, "WEFT_JWT_PRIVATE_KEY_FILE", ""},
      {"auth.jwt.publicKeyFile", Type::kString, "WEFT_JWT_PUBLIC_KEY_FILE", ""},
      {"auth.jwt.issuer", Type::kString, "WEFT_JWT_ISSUER", "weft"},
      {"auth.jwt.audience", Type::kString, "WEFT_JWT_AUDIENCE", "weft-api"},
      {"auth.jwt.accessTokenTtlSeconds", Type::kInt, "WEFT_JWT_ACCESS_TTL_SECONDS", 900},
      {"auth.jwt.refreshTokenTtlSeconds", Type::kInt, "WEFT_JWT_REFRESH_TTL_SECONDS", 1209600},
      // Browser sign-in: login may set the __Host-weft-session cookie (with CSRF protection).
      {"auth.sessionCookie", Type::kBool, "WEFT_SESSION_COOKIE", false},
      // The credential vault's master key: the key itself (64 hex digits or base64 of 32 bytes),
      // else the file holding it ("" = <data>/master.key, created 0600 on first start).
      {"vault.masterKey", Type::kString, "WEFT_ENCRYPTION_KEY", "", true},
      {"vault.keyFile", Type::kString, "WEFT_VAULT_KEY_FILE", ""},
      // The HTTP server.
      {"server.host", Type::kString, "WEFT_HOST", "127.0.0.1"},
      {"server.port", Type::kInt, "WEFT_PORT", 8080},
      {"server.maxThreads", Type::kInt, "WEFT_SERVER_MAX_THREADS", 16},
      {"server.maxQueued", Type::kInt, "WEFT_SERVER_MAX_QUEUED", 64},
      {"server.maxBodyBytes", Type::kInt, "WEFT_MAX_BODY_BYTES", 1048576},
      {"server.maxHeaderFields", Type::kInt, "WEFT_MAX_HEADER_FIELDS", 100},
      {"server.maxHeaderBytes", Type::kInt, "WEFT_MAX_HEADER_BYTES", 8192},
      {"server.requestTimeoutMs", Type::kInt, "WEFT_REQUEST_TIMEOUT_MS", 30000},
      {"server.waitTimeoutMs", Type::kInt, "WEFT_WAIT_TIMEOUT_MS", 30000},
      {"server.shutdownGraceMs", Type::kInt, "WEFT_SHUTDOWN_GRACE_MS", 30000},
      // Strict-Transport-Security on every response: only behind a TLS-terminating proxy.
      {"server.hsts", Type::kBool, "WEFT_HSTS", false},
      // WebSocket /ws: the page origins whose session cookie may open one (none by default: a
      // cookie upgrade is refused; tokens and API keys need no origin), and its limits.
      {"server.allowedOrigins", Type::kStringList, "WEFT_ALLOWED_ORIGINS", Json::array()},
      // Proxies (addresses, CIDR blocks) whose X-Forwarded-For names the client; none by default.
      {"server.trustedProxies", Type::kStringList, "WEFT_TRUSTED_PROXIES", Json::array()},
      {"server.websocket.maxConnections", Type::kInt, "WEFT_WS_MAX_CONNECTIONS", 10000},
      {"server.websocket.maxQueuedBytes", Type::kInt, "WEFT_WS_MAX_QUEUED_BYTES", 1048576},
      {"server.websocket.maxMessageBytes", Type::kInt, "WEFT_WS_MAX_MESSAGE_BYTES", 65536},
      {"server.websocket.pingIntervalMs", Type::kInt, "WEFT_WS_PING_INTERVAL_MS", 30000},
      // How soon a revoked credential or an unshared workflow ends an open WebSocket's events.
      {"server.websocket.revalidateIntervalMs", Type::kInt, "WEFT_WS_REVALIDATE_INTERVAL_MS", 5000},
      // Token buckets per route group, per principal and per client address (burst 0: no limit).
      {"rateLimits.enabled", Type::kBool, "WEFT_RATE_LIMITS", true},
      {"rateLimits.maxTrackedKeys", Type::kInt, "WEFT_RATE_LIMIT_MAX_KEYS", 100000},
      {"rateLimits.default.perPrincipal.burst", Type::kInt, "WEFT_RATE_LIMIT_PRINCIPAL_BURST", 200},
      {"rateLimits.default.perPrincipal.perMinute", Type::kInt, "WEFT_RATE_LIMIT_PRINCIPAL_PER_MINUTE", 6000},
      {"rateLimits.default.perAddress.burst", Type::kInt, "WEFT_RATE_LIMIT_ADDRESS_BURST", 1000},
      {"rateLimits.default.perAddress.perMinute", Type::kInt, "WEFT_RATE_LIMIT_ADDRESS_PER_MINUTE", 30000},
      {"rateLimits.webhooks.perPrincipal.burst", Type::kInt, "WEFT_RATE_LIMIT_WEBHOOK_PRINCIPAL_BURST", 0},
      {"rateLimits.webhooks.perPrincipal.perMinute", Type::kInt, "WEFT_RATE_LIMIT_WEBHOOK_PRINCIPAL_PER_MINUTE", 0},
      {"rateLimits.webhooks.perAddress.burst", Type::kInt, "WEFT_RATE_LIMIT_WEBHOOK_ADDRESS_BURST", 200},
      {"rateLimits.webhooks.perAddress.perMinute", Type::kInt, "WEFT_RATE_LIMIT_WEBHOOK_ADDRESS_PER_MINUTE", 6000},
      {"rateLimits.auth.perPrincipal.burst", Type::kInt, "WEFT_RATE_LIMIT_AUTH_PRINCIPAL_BURST", 0},
      {"rateLimits.auth.perPrincipal.perMinute", Type::kInt, "WEFT_RATE_LIMIT_AUTH_PRINCIPAL_PER_MINUTE", 0},
      {"rateLimits.auth.perAddress.burst", Type::kInt, "WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", 10},
      {"rateLimits.auth.perAddress.perMinute", Type::kInt, "WEFT_RATE_LIMIT_AUTH_ADDRESS_PER_MINUTE", 60},
      // The server's log (server/src/logging): lines at or above the level, one JSON object (or,
      // "text", a human line) per line, to stderr, stdout or a file appended to.
      {"log.level", Type::kString, "WEFT_LOG_LEVEL", "info"},
      {"log.destination", Type::kString, "WEFT_LOG_DESTINATION", "stderr"},
      {"log.format", Type::kString, "WEFT_LOG_FORMAT", "json"},
      // OpenTelemetry traces, sent as OTLP/HTTP JSON to the collector at `endpoint` (empty: no
      // traces; an incoming traceparent is still passed on). `headers` ("name=value,..." like
      // OTEL_EXPORTER_OTLP_HEADERS) may hold a collector's key.
      {"tracing.endpoint", Type::kString, "WEFT_TRACING_ENDPOINT", ""},
      {"tracing.headers", Type::kString, "WEFT_TRACING_HEADERS", "", true},
      {"tracing.sampleRatio", Type::kNumber, "WEFT_TRACING_SAMPLE_RATIO", 1.0},
      {"tracing.serviceName", Type::kString, "WEFT_TRACING_SERVICE_NAME", "weft"},
      {"tracing.queueSize", Type::kInt, "WEFT_TRACING_QUEUE_SIZE", 2048},
      {"tracing.batchSize", Type::kInt, "WEFT_TRACING_BATCH_SIZE", 512},
      {"tracing.flushIntervalMs", Type::kInt, "WEFT_TRACING_FLUSH_INTERVAL_MS", 2000},
      {"tracing.exportTimeoutMs", Type::kInt, "WEFT_TRACING_EXPORT_TIMEOUT_MS", 10000},
  };
  return k;
}

const Key* find_key(std::string_view name) {
  for (const auto& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

const char* type_text(Type t) {
  switch (t) {
    case Type::kString: return "a string";
    case Type::kInt: return "an integer";
    case Type::kNumber: return "a number";
    case Type::kBool: return "true or false";
    case Type::kStringList: return "a list of strings";
  }
  return "?";
}

bool fits(const Json& v, Type t) {
  switch (t) {
    case Type::kString: return v.is_string();
    case Type::kInt: return v.is_number_integer();
    case Type::kNumber: return v.is_number();
    case Type::kBool: return v.is_boolean();
    case Type::kStringList:
      if (!v.is_array()) return false;
      for (const auto& e : v)
        if (!e.is_string()) return false;
      return true;
  }
  return false;
}

// Parses an environment value into the key's type.
std::optional<Json> parse_env(const std::string& text, Type t) {
  switch (t) {
    case Type::kString: return Json(text);
    case Type::kInt: {
      char* end = nullptr;
      long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end) return std::nullopt;
      return Json(static_cast<int64_t>(v));
    }
    case Type::kNumber: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end || !std::isfinite(v)) return std::nullopt;
      return Json(v);
    }
    case Type::kBool:
      if (text == "true" || text == "1") return Json(true);
      if (text == "false" || text == "0") return Json(false);
      return std::nullopt;
    case Type::kStringList: {
      Json list = Json::array();
      std::stringstream ss(text);
      for (std::string part; std::getline(ss, part, ':');)
        if (!part.empty()) list.push_back(part);
      return list;
    }
  }
  return std::nullopt;
}

// Flattens nested objects into dotted keys, stopping at declared keys.
void flatten(const Json& j, const std::string& prefix, std::vector<std::pair<std::string, Json>>& out) {
  for (const auto& [k, v] : j.items()) {
    std::string key = prefix.empty() ? k : prefix + "." + k;
    if (v.is_object() && !find_key(key)) flatten(v, key, out);
    else out.emplace_back(key, v);
  }
}

}  // namespace

std::string redact_url(std::string_view url) {
  size_t scheme = url.find("://");
  size_t at = url.rfind('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme) return std::string(url);
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Config::Config() : values_(Json::object()) {
  for (const auto& k : keys()) values_[k.name] = k.fallback;
}

Status Config::set(std::string_view name, const Json& value, std::string_view origin) {
  const Key* k = find_key(name);
  if (!k) return Status::invalid(std::string(origin) + ": unknown configuration key '" + std::string(name) + "'");
  if (!fits(value, k->type))
    return Status::invalid(std::string(origin) + ": " + std::string(name) + " must be " + type_text(k->type));
  values_[k->name] = value;
  return Status::ok();
}

Status Config::merge_file(const Json& doc, const std::string& file) {
  if (!doc.is_object()) return Status::invalid(file + ": the configuration must be a JSON object");
  std::vector<std::pair<std::string, Json>> flat;
  flatten(doc, "", flat);
  for (const auto& [key, value] : flat)
    if (Status st = set(key, value, file); !st) return st;
  return Status::ok();
}

Status Config::merge_environment() {
  for (const auto& k : keys()) {
    if (!k.env) continue;
    const char* v = std::getenv(k.env);
    if (!v) continue;
    auto parsed = parse_env(v, k.type);
    if (!parsed) return Status::invalid(std::string("environment variable ") + k.env + " must be " + type_text(k.type));
    values_[k.name] = *parsed;
  }
  return Status::ok();
}

Result<Config> Config::load(const std::optional<std::string>& file) {
  Config c;
  if (file) {
    std::ifstream in(*file);
    if (!in) return Status::not_found(*file + ": the configuration file cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    Json doc = Json::parse(ss.str(), nullptr, false);
    if (doc.is_discarded()) return Status::invalid(*file + ": not valid JSON");
    if (Status st = c.merge_file(doc, *file); !st) return st;
  }
  if (Status st = c.merge_environment(); !st) return st;
  return c;
}

Result<int64_t> Config::get_int_in(std::string_view key, int64_t low, int64_t high) const {
  const int64_t v = get_int(key);
  if (v < low || v > high)
    return Status::invalid(std::string(key) + " must be from " + std::to_string(low) + " to " + std::to_string(high) +
                           " (got " + std::to_string(v) + ")");
  return v;
}

const Json& Config::get(std::string_view key) const {
  static const Json kNull;
  auto it = values_.find(key);
  return it == values_.end() ? kNull : *it;
}

Json Config::to_json_redacted() const {
  Json out = values_;
  for (const auto& k : keys())
    if (k.secret && out[k.name].is_string() && !out[k.name].get<std::string>().empty()) {
      const std::string value = out[k.name].get<std::string>();
      // A URL keeps all but its password; any other secret (a key) is masked whole.
      out[k.name] = value.find("://") != std::string::npos ? redact_url(value) : std::string("***");
    }
  return out;
}

}  // namespace weft
