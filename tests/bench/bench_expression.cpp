// Throughput of the expression language: one compiled expression or template evaluated
// against one item, the way the executor evaluates node parameters per item.
#include <benchmark/benchmark.h>

#include <string_view>
#include <utility>
#include <weft/runtime/expression.hpp>

namespace {

using weft::Items;
using weft::Json;

// The scope of one item, as the executor would present it.
class ItemScope final : public weft::expr::Scope {
 public:
  explicit ItemScope(Json item) : item_(std::move(item)) {}
  const Json* json() const override { return &item_; }
  const Items* node_output(std::string_view) const override { return nullptr; }
  const Json* execution() const override { return nullptr; }
  const Json* workflow() const override { return nullptr; }
  int64_t now_ms() const override { return 1700000000000; }

 private:
  Json item_;
};

void BM_ExpressionEvaluate(benchmark::State& state) {
  auto expression = weft::expr::Expression::compile("$json.price * $json.qty > 100");
  if (!expression) {
    state.SkipWithError(expression.status().message().c_str());
    return;
  }
  const ItemScope scope(Json{{"price", 30}, {"qty", 5}});
  for (auto _ : state) {
    auto result = expression->evaluate(scope);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ExpressionEvaluate);

void BM_TemplateRenderMixed(benchmark::State& state) {
  auto compiled = weft::expr::Template::compile(
      Json("Order {{ $json.id }} for {{ upper($json.customer.name) }}: "
           "{{ $json.qty }} x {{ $json.price }} = {{ round($json.price * $json.qty, 2) }}"));
  if (!compiled) {
    state.SkipWithError(compiled.status().message().c_str());
    return;
  }
  const ItemScope scope(Json{
      {"id", "A-1042"}, {"customer", {{"name", "Ada Lovelace"}}}, {"qty", 3}, {"price", 19.99}});
  for (auto _ : state) {
    auto result = compiled->evaluate(scope);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_TemplateRenderMixed);

}  // namespace
