#include "metrics/scrape_sources.hpp"

#include "audit/audit_log.hpp"

#include <weft/runtime/storage.hpp>
#include <weft/runtime/tracing/otlp_exporter.hpp>

namespace weft::metrics {

namespace {

prometheus::ClientMetric counter_of(double value, std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  return m;
}

class DualCacheSource final : public ScrapeSource {
 public:
  explicit DualCacheSource(const Storage& storage) : storage_(storage) {}

  std::vector<prometheus::MetricFamily> collect() const override {
    auto stats = storage_.admin({{"op", "stats"}});
    if (!stats || !stats->is_object()) return {};
    prometheus::MetricFamily hits{"weft_dual_cache_hits_total", "Gets the dual backend answered from a tier's cache",
                                  prometheus::MetricType::Counter, {}};
    prometheus::MetricFamily misses{"weft_dual_cache_misses_total", "Gets the dual backend did not find in a tier's cache",
                                    prometheus::MetricType::Counter, {}};
    // Every tier of the stats that counts hits and misses (today: memory); a tier added to the
    // backend later shows up without a change here.
    for (const auto& [tier, counts] : stats->items()) {
      if (!counts.is_object()) continue;
      auto h = counts.find("hits");
      auto m = counts.find("misses");
      if (h == counts.end() || m == counts.end() || !h->is_number() || !m->is_number()) continue;
      hits.metric.push_back(counter_of(h->get<double>(), {{"tier", tier}}));
      misses.metric.push_back(counter_of(m->get<double>(), {{"tier", tier}}));
    }
    if (hits.metric.empty()) return {};
    return {std::move(hits), std::move(misses)};
  }

 private:
  const Storage& storage_;
};

class AuditFailuresSource final : public ScrapeSource {
 public:
  explicit AuditFailuresSource(const server::AuditLog& audit) : audit_(audit) {}

  std::vector<prometheus::MetricFamily> collect() const override {
    prometheus::MetricFamily f{"weft_audit_failures_total", "Audit events that could not be stored since start",
                               prometheus::MetricType::Counter, {}};
    f.metric.push_back(counter_of(static_cast<double>(audit_.failures())));
    return {std::move(f)};
  }

 private:
  const server::AuditLog& audit_;
};

class TraceExporterSource final : public ScrapeSource {
 public:
  explicit TraceExporterSource(const tracing::OtlpHttpExporter& exporter) : exporter_(exporter) {}

  std::vector<prometheus::MetricFamily> collect() const override {
    const tracing::ExporterStats s = exporter_.stats();
    prometheus::MetricFamily exported{"weft_trace_spans_exported_total", "Spans the trace collector accepted",
                                      prometheus::MetricType::Counter, {}};
    exported.metric.push_back(counter_of(static_cast<double>(s.exported)));
    prometheus::MetricFamily dropped{"weft_trace_spans_dropped_total",
                                     "Spans lost: the export queue was full, or their batch failed to export",
                                     prometheus::MetricType::Counter, {}};
    dropped.metric.push_back(counter_of(static_cast<double>(s.dropped_queue_full), {{"reason", "queue_full"}}));
    dropped.metric.push_back(counter_of(static_cast<double>(s.dropped_export_failed), {{"reason", "export_failed"}}));
    prometheus::MetricFamily queued{"weft_trace_queue_spans", "Spans waiting to be exported",
                                    prometheus::MetricType::Gauge, {}};
    prometheus::ClientMetric q;
    q.gauge.value = static_cast<double>(s.queued);
    queued.metric.push_back(std::move(q));
    return {std::move(exported), std::move(dropped), std::move(queued)};
  }

 private:
  const tracing::OtlpHttpExporter& exporter_;
};

}  // namespace

std::unique_ptr<ScrapeSource> trace_exporter_source(const tracing::OtlpHttpExporter& exporter) {
  return std::make_unique<TraceExporterSource>(exporter);
}

std::unique_ptr<ScrapeSource> dual_cache_source(const Storage& storage) {
  if (storage.backend_name() != "dual") return nullptr;
  return std::make_unique<DualCacheSource>(storage);
}

std::unique_ptr<ScrapeSource> audit_failures_source(const server::AuditLog& audit) {
  return std::make_unique<AuditFailuresSource>(audit);
}

}  // namespace weft::metrics
