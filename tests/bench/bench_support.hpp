// Shared set-up of the executor benchmarks: the shipped plugins and a planned workflow.
#pragma once

#include <weft/runtime/executor.hpp>
#include <weft/runtime/plan.hpp>
#include <weft/runtime/plugin_host.hpp>

#include <stdexcept>

namespace weft::bench {

inline PluginHost& plugins() {
  static PluginHost* host = [] {
    auto* h = new PluginHost();
    if (!h->load_directories({WEFT_BENCH_PLUGIN_DIR}).is_ok() || !h->refused().empty())
      throw std::runtime_error("cannot load the plugins of " WEFT_BENCH_PLUGIN_DIR);
    return h;
  }();
  return *host;
}

inline std::shared_ptr<const Plan> plan(const Json& doc) {
  ValidationReport report;
  auto p = plan_workflow(doc, plugins().registry(), report);
  if (!p) throw std::runtime_error("invalid benchmark workflow: " + report.to_text());
  return p;
}

inline Json node(const std::string& id, const std::string& type, Json params = Json::object()) {
  return {{"id", id}, {"type", type}, {"typeVersion", 1}, {"parameters", std::move(params)}};
}

inline Json edge(const std::string& from, const std::string& to, size_t to_port = 0) {
  return {{"from", from}, {"to", to}, {"toPort", to_port}};
}

}  // namespace weft::bench
