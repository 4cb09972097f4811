#include "http/request_span.hpp"

namespace weft::http {

RequestSpan::RequestSpan(const tracing::Tracer* tracer, const RequestHead& head) {
  if (!tracer) return;
  const auto incoming = head.headers.get("traceparent");
  tracing::StartOptions options{.kind = tracing::SpanKind::kServer};
  options.parent = incoming ? tracing::SpanContext::parse(*incoming).value_or(tracing::SpanContext{})
                            : tracing::SpanContext{};
  span_ = tracer->start(head.method, options);
  scope_.emplace(span_.context());
}

void RequestSpan::finish(const RequestHead& head, const Exchange& ex) {
  if (!span_.recording()) return;
  if (!ex.route.empty()) {
    span_.set_name(head.method + " " + ex.route);
    span_.set_attribute("http.route", ex.route);
  }
  span_.set_attribute("http.request.method", head.method);
  // The path without its query: a query may carry what must not leave the server.
  span_.set_attribute("url.path", ex.path);
  span_.set_attribute("http.response.status_code", static_cast<int64_t>(ex.response.status));
  if (!ex.request_id.empty()) span_.set_attribute("weft.request_id", ex.request_id);
  if (ex.response.status >= 500) span_.set_error("HTTP " + std::to_string(ex.response.status));
  span_.end();
}

}  // namespace weft::http
