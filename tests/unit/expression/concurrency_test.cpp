// A compiled Expression or Template is immutable: many threads may evaluate it at once.
#include <atomic>
#include <thread>
#include <vector>

#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(Concurrency, OneExpressionManyThreads) {
  auto expression = Expression::compile("$json.price * $json.qty + length(upper($json.name))");
  ASSERT_TRUE(expression.is_ok());
  constexpr int kThreads = 4;
  constexpr int kIterations = 2000;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      TestScope scope;
      scope.item =
          Json{{"price", t}, {"qty", 10}, {"name", std::string(static_cast<size_t>(t), 'x')}};
      for (int i = 0; i < kIterations; ++i) {
        auto value = expression->evaluate(scope);
        if (!value.is_ok() || *value != Json(t * 10 + t)) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Concurrency, OneTemplateManyThreads) {
  auto compiled =
      Template::compile(Json::parse(R"({"greeting": "Hi {{ $json.n }}", "n": "{{ $json.n }}"})"));
  ASSERT_TRUE(compiled.is_ok());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      TestScope scope;
      scope.item = Json{{"n", t}};
      const Json expected = {{"greeting", "Hi " + std::to_string(t)}, {"n", t}};
      for (int i = 0; i < 2000; ++i) {
        auto value = compiled->evaluate(scope);
        if (!value.is_ok() || *value != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Concurrency, MovedExpressionKeepsWorking) {
  auto compiled = Expression::compile("1 + 1");
  ASSERT_TRUE(compiled.is_ok());
  Expression moved = std::move(compiled).value();
  EXPECT_EQ(moved.source(), "1 + 1");
  auto value = moved.evaluate(empty_scope());
  ASSERT_TRUE(value.is_ok());
  EXPECT_EQ(value->dump(), "2");
}

}  // namespace
}  // namespace weft::expr::testing
