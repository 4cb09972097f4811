#include "tracing/server_tracing.hpp"

#include "http/headers.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <unistd.h>

#include <cctype>

namespace weft::server {

namespace {

// The traces URL of `endpoint`, or an error naming tracing.endpoint.
Result<std::string> traces_url(const std::string& endpoint) {
  try {
    Poco::URI uri(endpoint);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
      return Status::invalid("tracing.endpoint must be an http:// or https:// URL with a host");
    if (!uri.getUserInfo().empty())
      return Status::invalid("tracing.endpoint must not carry credentials: put them in tracing.headers");
    if (uri.getPath().empty() || uri.getPath() == "/") uri.setPath("/v1/traces");
    return uri.toString();
  } catch (const Poco::Exception&) {
    return Status::invalid("tracing.endpoint is not a valid URL");
  }
}

bool is_token(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  return true;
}

// "name=value,name=value" (OTEL_EXPORTER_OTLP_HEADERS' form). Errors say which entry, never a
// value: these are a collector's keys.
Result<std::vector<std::pair<std::string, std::string>>> parse_headers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t index = 0;
  for (size_t start = 0; start <= text.size(); ++index) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string entry(http::trim_ows(std::string_view(text).substr(start, comma - start)));
    start = comma + 1;
    if (entry.empty()) continue;
    const size_t eq = entry.find('=');
    std::string name(http::trim_ows(std::string_view(entry).substr(0, eq)));
    if (eq == std::string::npos || !is_token(name))
      return Status::invalid("tracing.headers entry " + std::to_string(index + 1) + " must be name=value");
    std::string value(http::trim_ows(std::string_view(entry).substr(eq + 1)));
    for (unsigned char c : value)
      if (c < 0x20 || c == 0x7f)
        return Status::invalid("tracing.headers value of '" + name + "' has a control character");
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

}  // namespace

ServerTracing::~ServerTracing() {
  storage.reset();
  tracer.reset();
  exporter.reset();  // last: sends what is still queued
}

Result<std::unique_ptr<ServerTracing>> ServerTracing::from_config(const Config& config) {
  const double ratio = config.get_number("tracing.sampleRatio");
  if (!(ratio >= 0 && ratio <= 1))
    return Status::invalid("tracing.sampleRatio must be from 0 to 1, not " + std::to_string(ratio));
  auto out = std::make_unique<ServerTracing>();
  const std::string endpoint = config.get_string("tracing.endpoint");
  if (endpoint.empty()) {
    out->tracer = std::make_shared<const tracing::Tracer>();
    return out;
  }
  tracing::OtlpExporterOptions o;
  auto url = traces_url(endpoint);
  if (!url) return url.status();
  o.endpoint = *url;
  auto headers = parse_headers(config.get_string("tracing.headers"));
  if (!headers) return headers.status();
  o.headers = std::move(*headers);
  o.service_name = config.get_string("tracing.serviceName");
  if (o.service_name.empty()) return Status::invalid("tracing.serviceName must not be empty");
  o.instance_id = host_name();
  auto queue = config.get_int_in("tracing.queueSize", 1, 1000000);
  auto batch = config.get_int_in("tracing.batchSize", 1, 100000);
  auto interval = config.get_int_in("tracing.flushIntervalMs", 10, 3600000);
  auto timeout = config.get_int_in("tracing.exportTimeoutMs", 100, 600000);
  for (const auto* r : {&queue, &batch, &interval, &timeout})
    if (!*r) return r->status();
  o.queue_size = static_cast<size_t>(*queue);
  o.batch_size = static_cast<size_t>(*batch);
  o.flush_interval = std::chrono::milliseconds(*interval);
  o.export_timeout = std::chrono::milliseconds(*timeout);
  out->exporter = std::make_unique<tracing::OtlpHttpExporter>(std::move(o));
  out->tracer = std::make_shared<const tracing::Tracer>(out->exporter.get(), ratio);
  out->storage = std::make_unique<tracing::StorageTracing>(*out->tracer);
  return out;
}

}  // namespace weft::server
