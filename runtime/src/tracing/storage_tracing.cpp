#include <weft/runtime/tracing/storage_tracing.hpp>

#include <string>

namespace weft::tracing {

void StorageTracing::storage_call(const StorageCall& call) {
  const SpanContext& parent = current_span();
  if (!parent.valid() || !parent.sampled || !tracer_.enabled()) return;
  const auto started = std::chrono::system_clock::now() -
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(call.duration);
  Span span = tracer_.start("storage " + std::string(call.op),
                            {.kind = SpanKind::kClient, .parent = parent, .start_time = started});
  span.set_attribute("db.system", std::string(call.backend));
  span.set_attribute("weft.storage.operation", std::string(call.op));
  if (is_storage_failure(call.code)) span.set_error(std::string("storage call failed: ") + code_name(call.code));
}

}  // namespace weft::tracing
