#include "api/activation.hpp"

#include <iostream>

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
          std::cerr << "weft: workflow " << w.id << " is active, but not all its triggers run: " << st.message()
                    << "\n";
    if (page->next_cursor.empty()) return Status::ok();
    filter.page.cursor = page->next_cursor;
  }
}

}  // namespace weft::api
