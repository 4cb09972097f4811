#include "api/activation.hpp"

#include "logging/logger.hpp"

namespace weft::api {

Status claim_active_workflows(const WorkflowRepository& workflows, const std::vector<ActivationListener*>& listeners) {
  WorkflowFilter filter;
  filter.active = true;
  filter.page.limit = 1000;
  while (true) {
    auto page = workflows.list(filter);
    if (!page) return page.status();
    for (const auto& w : page->items)
      for (ActivationListener* listener : listeners)
        if (Status st = listener->on_activate(w); !st)
          logging::warn("workflows", "the workflow is active, but not all its triggers run",
                        {{"workflowId", w.id}, {"error", st.message()}});
    if (page->next_cursor.empty()) return Status::ok();
    filter.page.cursor = page->next_cursor;
  }
}

}  // namespace weft::api
