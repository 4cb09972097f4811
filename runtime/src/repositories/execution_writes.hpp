// The storage writes of execution records, shared by the repository and the recorder.
#pragma once

#include <weft/runtime/repositories/execution_record.hpp>

#include "repository_support.hpp"

namespace weft::repo {

inline constexpr const char* kExecutions = "executions";

// Puts `record` whatever the stored version: the newest snapshot of an execution wins.
inline Json execution_put(const ExecutionRecord& record) {
  return put_op(kExecutions, record.id, record.body(), record.index(), std::nullopt);
}

// The same, moving the record's JSON instead of copying it.
inline Json execution_put(ExecutionRecord&& record) {
  Json index = record.index();
  std::string id = record.id;
  return put_op(kExecutions, id, std::move(record).body(), std::move(index), std::nullopt);
}

inline Json execution_delete(std::string_view id) {
  return delete_op(kExecutions, id, std::nullopt);
}

}  // namespace weft::repo
