// Metrics whose values live elsewhere and are read when /metrics is scraped, rather than
// counted as things happen: the dual backend's cache hits and misses per tier (its admin
// stats), the audit log's failures, and the trace exporter's counters.
#pragma once

#include <prometheus/metric_family.h>

#include <memory>
#include <vector>

namespace weft {
class Storage;
}
namespace weft::server {
class AuditLog;
}
namespace weft::tracing {
class OtlpHttpExporter;
}

namespace weft::metrics {

// Computes metric families at scrape time. Called by Metrics::render on the scraping request's
// thread, possibly concurrently: an implementation must be thread-safe and quick.
class ScrapeSource {
 public:
  virtual ~ScrapeSource() = default;
  // The families as they are now; none when the source cannot answer.
  virtual std::vector<prometheus::MetricFamily> collect() const = 0;
};

// weft_dual_cache_hits_total{tier} and weft_dual_cache_misses_total{tier} from
// `storage.admin({"op":"stats"})`; nullptr when the store's backend is not "dual" (the families
// are then absent). Families are absent for a scrape whose stats call fails.
// OWNERSHIP: `storage` is borrowed and must outlive the source.
std::unique_ptr<ScrapeSource> dual_cache_source(const Storage& storage);

// weft_audit_failures_total from AuditLog::failures(). OWNERSHIP: borrowed; outlives the source.
std::unique_ptr<ScrapeSource> audit_failures_source(const server::AuditLog& audit);

// weft_trace_spans_exported_total, weft_trace_spans_dropped_total{reason="queue_full"|
// "export_failed"} and weft_trace_queue_spans from the exporter's stats.
// OWNERSHIP: borrowed; outlives the source.
std::unique_ptr<ScrapeSource> trace_exporter_source(const tracing::OtlpHttpExporter& exporter);

}  // namespace weft::metrics
