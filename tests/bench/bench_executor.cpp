// Executor benchmarks: the cost of a node hop through the ABI, weft.set over many items, and a
// wide fan-out merged back.
#include "bench_support.hpp"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

namespace weft::bench {
namespace {

// A chain of 100 weft.noop nodes carrying one item. Reports the time per hop.
void BM_NoopChainHop(benchmark::State& state) {
  constexpr int kHops = 100;
  Json nodes = Json::array({node("n0", "weft.manual")});
  Json edges = Json::array();
  for (int i = 1; i <= kHops; ++i) {
    nodes.push_back(node("n" + std::to_string(i), "weft.noop"));
    edges.push_back(edge("n" + std::to_string(i - 1), "n" + std::to_string(i)));
  }
  auto p = plan({{"id", "chain"}, {"nodes", nodes}, {"edges", edges}});
  Executor executor(Executor::Options{});
  Items input{make_item({{"n", 1}})};
  for (auto _ : state) {
    ExecutionRequest req;
    req.input = input;
    ExecutionResult r = executor.run(*p, std::move(req));
    benchmark::DoNotOptimize(r);
  }
  // Items processed = hops, so items/s is hops/s; "per_hop" is its inverse, in seconds.
  state.SetItemsProcessed(state.iterations() * kHops);
  state.counters["per_hop"] = benchmark::Counter(
      double(kHops), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_NoopChainHop)->Unit(benchmark::kMicrosecond);

// weft.set computing one expression for each of 10,000 items.
void BM_SetExpression10k(benchmark::State& state) {
  auto p = plan({{"id", "set"},
                 {"nodes", {node("start", "weft.manual"),
                            node("set", "weft.set",
                                 {{"fields", {{{"name", "total"}, {"value", "{{ $json.price * $json.qty }}"}}}}})}},
                 {"edges", {edge("start", "set")}}});
  Executor executor(Executor::Options{});
  Items input;
  for (int i = 0; i < 10'000; ++i) input.push_back(make_item({{"price", i % 97}, {"qty", 3}, {"sku", "A-" + std::to_string(i)}}));
  for (auto _ : state) {
    ExecutionRequest req;
    req.input = input;
    ExecutionResult r = executor.run(*p, std::move(req));
    if (r.status != ExecutionStatus::kSucceeded) state.SkipWithError("execution failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * 10'000);
}
BENCHMARK(BM_SetExpression10k)->Unit(benchmark::kMillisecond);

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// One trigger fanned out to 1,000 weft.noop branches, merged back by one weft.merge.
void BM_FanOut1000Merge(benchmark::State& state) {
  constexpr int kBranches = 1000;
  Json nodes = Json::array({node("start", "weft.manual"), node("merge", "weft.merge", {{"mode", "append"}})});
  Json edges = Json::array();
  for (int i = 0; i < kBranches; ++i) {
    std::string id = "b" + std::to_string(i);
    nodes.push_back(node(id, "weft.noop"));
    edges.push_back(edge("start", id));
    edges.push_back(edge(id, "merge", 0));
  }
  auto p = plan({{"id", "fanout"}, {"nodes", nodes}, {"edges", edges}});
  Executor executor(Executor::Options{});
  long before = peak_rss_kib();
  for (auto _ : state) {
    ExecutionRequest req;
    req.input = {make_item({{"n", 1}})};
    ExecutionResult r = executor.run(*p, std::move(req));
    if (r.run_of("merge")->output[0].size() != kBranches) state.SkipWithError("merge lost items");
    benchmark::DoNotOptimize(r);
  }
  state.counters["peak_rss_MiB"] = double(peak_rss_kib()) / 1024.0;
  state.counters["rss_growth_MiB"] = double(peak_rss_kib() - before) / 1024.0;
}
BENCHMARK(BM_FanOut1000Merge)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace weft::bench
