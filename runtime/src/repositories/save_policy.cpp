#include <weft/runtime/repositories/save_policy.hpp>

namespace weft {

SavePolicy SavePolicy::from_config(const Config& config) {
  SavePolicy p;
  p.on_success = config.get_bool("executions.save.onSuccess");
  p.on_error = config.get_bool("executions.save.onError");
  p.progress = config.get_bool("executions.save.progress");
  p.data = config.get_bool("executions.save.data");
  return p;
}

Result<SavePolicy> SavePolicy::for_workflow(const Json& workflow_settings) const {
  SavePolicy p = *this;
  if (!workflow_settings.is_object()) return p;
  auto it = workflow_settings.find("saveExecutions");
  if (it == workflow_settings.end() || it->is_null()) return p;
  if (!it->is_object())
    return Status::invalid("settings.saveExecutions must be an object of onSuccess, onError, "
                           "progress and data (true or false)");
  const std::pair<const char*, bool SavePolicy::*> fields[] = {
      {"onSuccess", &SavePolicy::on_success},
      {"onError", &SavePolicy::on_error},
      {"progress", &SavePolicy::progress},
      {"data", &SavePolicy::data}};
  for (const auto& [key, value] : it->items()) {
    bool known = false;
    for (const auto& field : fields) known = known || key == field.first;
    if (!known)
      return Status::invalid("settings.saveExecutions." + key +
                             " is not a known field (onSuccess, onError, progress, data)");
  }
  for (const auto& [name, member] : fields) {
    auto f = it->find(name);
    if (f == it->end() || f->is_null()) continue;
    if (!f->is_boolean())
      return Status::invalid(std::string("settings.saveExecutions.") + name + " must be true or false");
    p.*member = f->get<bool>();
  }
  return p;
}

bool SavePolicy::keeps(ExecutionState state) const {
  if (!is_finished(state)) return false;
  return state == ExecutionState::kSuccess ? on_success : on_error;
}

}  // namespace weft
