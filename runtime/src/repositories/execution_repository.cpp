#include <weft/runtime/repositories/execution_repository.hpp>

#include "execution_writes.hpp"

#include <algorithm>

namespace weft {

namespace {

using repo::kExecutions;

// The conditions that leave out unfinished executions.
Json finished_only() {
  return Json::array({repo::where("status", "ne", execution_state_name(ExecutionState::kQueued)),
                      repo::where("status", "ne", execution_state_name(ExecutionState::kRunning))});
}

// Deletes the records of `page` (a query result); returns how many.
Result<int64_t> delete_page(const Storage& storage, const Json& page) {
  const Json& items = page["items"];
  if (items.empty()) return int64_t(0);
  Json writes = Json::array();
  for (const auto& item : items)
    writes.push_back(repo::execution_delete(item["id"].get<std::string>()));
  if (auto done = storage.write({{"writes", std::move(writes)}}); !done) return done.status();
  return static_cast<int64_t>(items.size());
}

}  // namespace

ExecutionRepository::ExecutionRepository(const Storage& storage, ExecutionWriter& writer,
                                         SavePolicy defaults)
    : storage_(storage), writer_(writer), defaults_(defaults) {}

std::shared_ptr<ExecutionRecorder> ExecutionRepository::recorder(const SavePolicy& policy,
                                                                 std::string retry_of) const {
  return std::make_shared<ExecutionRecorder>(writer_, policy, std::move(retry_of));
}

Status ExecutionRepository::save(const ExecutionResult& result, const SavePolicy& policy,
                                 const Items& input, std::string_view retry_of) const {
  if (!policy.keeps(state_of(result.status))) return Status::ok();
  return writer_.submit_durable(repo::execution_put(ExecutionRecord::from_result(result, input, policy.data, retry_of))).get();
}

Status ExecutionRepository::put(const ExecutionRecord& record) const {
  if (record.id.empty()) return Status::invalid("an execution record needs an id");
  return writer_.submit_durable(repo::execution_put(record)).get();
}

Status ExecutionRepository::put_later(const ExecutionRecord& record) const {
  if (record.id.empty()) return Status::invalid("an execution record needs an id");
  return writer_.submit(repo::execution_put(record));
}

Result<ExecutionRecord> ExecutionRepository::get(std::string_view id) const {
  auto r = storage_.get(kExecutions, id);
  if (!r) return repo::name_not_found(r.status(), "execution", id);
  return ExecutionRecord::from_stored(std::move(*r));
}

Result<Page<ExecutionRecord>> ExecutionRepository::list(const ExecutionQuery& q) const {
  if (Status st = check_page_request(q.page); !st) return st;
  Json where = Json::array();
  if (q.workflow_id) where.push_back(repo::where("workflowId", "eq", *q.workflow_id));
  if (q.status) where.push_back(repo::where("status", "eq", execution_state_name(*q.status)));
  if (q.started_from_ms) where.push_back(repo::where("startedAt", "ge", *q.started_from_ms));
  if (q.started_before_ms) where.push_back(repo::where("startedAt", "lt", *q.started_before_ms));
  Json query = repo::page_query(kExecutions, std::move(where), "startedAt", true, q.page);
  return repo::query_page<ExecutionRecord>(storage_, query, [](Record r) {
    return ExecutionRecord::from_stored(std::move(r));
  });
}

Status ExecutionRepository::remove(std::string_view id) const {
  auto existing = storage_.get(kExecutions, id);
  if (!existing && existing.status().code() == Code::kNotFound) {
    // Perhaps still queued: look again once the writer has caught up.
    writer_.flush();
    existing = storage_.get(kExecutions, id);
  }
  if (!existing) return repo::name_not_found(existing.status(), "execution", id);
  // Through the writer, behind any queued write of the record, which would bring it back.
  return writer_.submit_durable(repo::execution_delete(id)).get();
}

Result<int64_t> ExecutionRepository::prune(std::chrono::milliseconds max_age, int64_t max_count,
                                           int64_t now_ms) const {
  int64_t deleted = 0;
  if (max_age.count() > 0) {
    Json where = finished_only();
    where.push_back(repo::where("startedAt", "lt", now_ms - max_age.count()));
    for (;;) {
      auto page = storage_.query({{"collection", kExecutions}, {"where", where},
                                  {"orderBy", "startedAt"}, {"limit", repo::kDeleteBatch}});
      if (!page) return page.status();
      auto n = delete_page(storage_, *page);
      if (!n) return n.status();
      if (*n == 0) break;
      deleted += *n;
    }
  }
  if (max_count > 0) {
    // Counted again before every batch, so that concurrent pruners overshoot by a batch at most.
    for (;;) {
      auto count = storage_.query({{"collection", kExecutions}, {"where", finished_only()}, {"count", true}});
      if (!count) return count.status();
      const int64_t excess = (*count)["count"].get<int64_t>() - max_count;
      if (excess <= 0) break;
      auto page = storage_.query({{"collection", kExecutions}, {"where", finished_only()},
                                  {"orderBy", "startedAt"},
                                  {"limit", std::min(excess, repo::kDeleteBatch)}});
      if (!page) return page.status();
      auto n = delete_page(storage_, *page);
      if (!n) return n.status();
      if (*n == 0) break;
      deleted += *n;
    }
  }
  return deleted;
}

}  // namespace weft
