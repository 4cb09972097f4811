// Helpers for the expression tests: a Scope the tests fill in, and one-line ways to compile
// and evaluate that print either the value (as compact JSON, so that 2 and 2.0 differ) or the
// error, which makes every assertion an exact comparison of text.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <weft/runtime/expression.hpp>

namespace weft::expr::testing {

class TestScope : public Scope {
 public:
  Json item = Json::object();
  bool has_item = true;
  std::map<std::string, Items, std::less<>> outputs;
  Json execution_json = Json{{"id", "exec-1"}, {"mode", "manual"}};
  Json workflow_json = Json{{"id", "wf-1"}, {"name", "Orders"}, {"version", 3}};
  bool has_execution = true;
  int64_t now = 1700000000123;  // 2023-11-14T22:13:20.123Z

  const Json* json() const override { return has_item ? &item : nullptr; }
  const Items* node_output(std::string_view node_id) const override {
    auto it = outputs.find(node_id);
    return it == outputs.end() ? nullptr : &it->second;
  }
  const Json* execution() const override { return has_execution ? &execution_json : nullptr; }
  const Json* workflow() const override { return has_execution ? &workflow_json : nullptr; }
  int64_t now_ms() const override { return now; }
};

inline const TestScope& empty_scope() {
  static const TestScope scope;
  return scope;
}

// "compile error: <message>", "error: <message>" or the value as compact JSON.
inline std::string run(std::string_view source, const Scope& scope = empty_scope(),
                       const Limits& limits = {}) {
  auto compiled = Expression::compile(source, limits);
  if (!compiled) {
    EXPECT_EQ(compiled.status().code(), Code::kInvalid);
    return "compile error: " + compiled.status().message();
  }
  auto value = compiled->evaluate(scope);
  if (!value) {
    EXPECT_EQ(value.status().code(), Code::kInvalid);
    return "error: " + value.status().message();
  }
  return value->dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The same for a template given as JSON text.
inline std::string render(std::string_view template_json, const Scope& scope = empty_scope(),
                          const Limits& limits = {}) {
  auto compiled = Template::compile(Json::parse(template_json), limits);
  if (!compiled) {
    EXPECT_EQ(compiled.status().code(), Code::kInvalid);
    return "compile error: " + compiled.status().message();
  }
  auto value = compiled->evaluate(scope);
  if (!value) {
    EXPECT_EQ(value.status().code(), Code::kInvalid);
    return "error: " + value.status().message();
  }
  return value->dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace weft::expr::testing
