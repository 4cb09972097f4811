#include "http/server_options.hpp"

#include <algorithm>

namespace weft::http {

namespace {

Status ranged(const Config& config, const char* key, int64_t min, int64_t max, int64_t& out) {
  auto v = config.get_int_in(key, min, max);
  if (!v) return v.status();
  out = *v;
  return Status::ok();
}

}  // namespace

Result<ServerOptions> ServerOptions::from_config(const Config& config) {
  ServerOptions o;
  o.host = config.get_string("server.host");
  if (o.host.empty()) return Status::invalid("server.host must not be empty (e.g. 127.0.0.1 or 0.0.0.0)");
  int64_t port, threads, queued, body, fields, header, timeout, grace;
  for (const auto& st : {ranged(config, "server.port", 0, 65535, port),
                         ranged(config, "server.maxThreads", 1, 4096, threads),
                         ranged(config, "server.maxQueued", 1, 1000000, queued),
                         ranged(config, "server.maxBodyBytes", 1, int64_t(1) << 34, body),
                         ranged(config, "server.maxHeaderFields", 1, 10000, fields),
                         ranged(config, "server.maxHeaderBytes", 256, 1 << 20, header),
                         ranged(config, "server.requestTimeoutMs", 1, 3600000, timeout),
                         ranged(config, "server.shutdownGraceMs", 0, 3600000, grace)})
    if (!st) return st;
  o.port = static_cast<int>(port);
  o.max_threads = static_cast<int>(threads);
  o.max_queued = static_cast<int>(queued);
  o.max_body_bytes = static_cast<size_t>(body);
  o.max_header_fields = static_cast<int>(fields);
  o.max_header_bytes = static_cast<size_t>(header);
  o.request_timeout = std::chrono::milliseconds(timeout);
  o.keep_alive_timeout = std::min(o.request_timeout, std::chrono::milliseconds(15000));
  o.shutdown_grace = std::chrono::milliseconds(grace);
  auto limits = RateLimitOptions::from_config(config);
  if (!limits) return limits.status();
  o.rate_limits = std::move(*limits);
  std::vector<std::string> proxies;
  for (const auto& p : config.get("server.trustedProxies")) proxies.push_back(p.get<std::string>());
  auto trusted = TrustedProxies::parse(proxies);
  if (!trusted) return trusted.status();
  o.trusted_proxies = std::move(*trusted);
  return o;
}

}  // namespace weft::http
