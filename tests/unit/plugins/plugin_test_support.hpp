// Helpers shared by the plugin unit tests: loading a built plugin once per test program and
// checking node type descriptions.
#pragma once

#include <weft/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weft::plugin_tests {

using weft::Json;
using weft::testing::FakeHost;
using weft::testing::NodeCall;

// The built plugin `file_stem` (e.g. "weft_set"), loaded once per test program.
inline const FakeHost& plugin(const std::string& file_stem) {
  static std::map<std::string, std::unique_ptr<FakeHost>> loaded;
  std::unique_ptr<FakeHost>& slot = loaded[file_stem];
  if (!slot)
    slot = std::make_unique<FakeHost>(
        FakeHost::open(std::string(WEFT_TEST_PLUGIN_DIR) + "/" + file_stem + ".so"));
  return *slot;
}

// What a node type's description must say.
struct ExpectedDescription {
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  bool trigger = false;
  std::vector<std::string> parameters;  // names, in order
};

// Checks the manifest and that `type`@1 is the plugin's only node type, with a description of
// the documented shape.
inline void expect_plugin(const std::string& file_stem, const std::string& plugin_name,
                          const std::string& type, const ExpectedDescription& expected) {
  const FakeHost& host = plugin(file_stem);
  EXPECT_EQ(std::string(host.manifest().name), plugin_name);
  EXPECT_EQ(std::string(host.manifest().version), "1.0.0");
  EXPECT_EQ(host.manifest().abi_major, WEFT_ABI_MAJOR);
  auto types = host.node_types();
  ASSERT_EQ(types.size(), 1u);
  ASSERT_EQ(types.begin()->first, type + "@1");
  const Json& d = types.begin()->second;

  ASSERT_TRUE(d.is_object());
  EXPECT_TRUE(d["displayName"].is_string() && !d["displayName"].get<std::string>().empty());
  EXPECT_TRUE(d["description"].is_string() && !d["description"].get<std::string>().empty());
  EXPECT_EQ(d["inputs"], Json(expected.inputs));
  EXPECT_EQ(d["outputs"], Json(expected.outputs));
  EXPECT_EQ(d["trigger"], Json(expected.trigger));
  ASSERT_TRUE(d["parameters"].is_array());

  std::vector<std::string> names;
  for (const Json& p : d["parameters"]) {
    ASSERT_TRUE(p.is_object());
    std::string name = p.value("name", "");
    names.push_back(name);
    static const std::vector<std::string> kTypes = {"string", "number", "boolean",
                                                    "object", "array",  "any", "credential"};
    EXPECT_NE(std::find(kTypes.begin(), kTypes.end(), p.value("type", "")), kTypes.end()) << name;
    EXPECT_TRUE(p["required"].is_boolean()) << name;
    EXPECT_TRUE(p["description"].is_string()) << name;
    if (p.contains("options")) {
      ASSERT_TRUE(p["options"].is_array()) << name;
      if (p.contains("default")) {
        EXPECT_NE(std::find(p["options"].begin(), p["options"].end(), p["default"]),
                  p["options"].end())
            << name << ": the default is not one of the options";
      }
    }
    if (p.value("required", false)) {
      EXPECT_FALSE(p.contains("default")) << name << ": a required parameter has no default";
    }
  }
  EXPECT_EQ(names, expected.parameters);
}

// The description's entry for parameter `name`.
inline Json parameter(const std::string& file_stem, const std::string& name) {
  const Json d = plugin(file_stem).node_types().begin()->second;
  for (const Json& p : d["parameters"])
    if (p["name"] == name) return p;
  return Json();
}

// Makes parameter `name` evaluate to values[i] for item i (absent for any other item); the
// other parameters keep coming from call.params. Records every evaluation in `seen`, if given.
inline void vary_per_item(NodeCall& call, std::string name, std::vector<Json> values,
                          std::vector<std::pair<std::string, int64_t>>* seen = nullptr) {
  call.param_resolver = [&call, name = std::move(name), values = std::move(values), seen](
                            std::string_view n, int64_t item) -> std::optional<Json> {
    if (seen) seen->emplace_back(std::string(n), item);
    if (n == name) {
      if (item < 0 || static_cast<size_t>(item) >= values.size()) return std::nullopt;
      return values[static_cast<size_t>(item)];
    }
    auto it = call.params.find(n);
    if (it == call.params.end()) return std::nullopt;
    return *it;
  };
}

// Makes every evaluation of a parameter visible in `seen` (name, item) without changing it.
inline void record_evaluations(NodeCall& call, std::vector<std::pair<std::string, int64_t>>& seen) {
  call.param_resolver = [&call, &seen](std::string_view n, int64_t item) -> std::optional<Json> {
    seen.emplace_back(std::string(n), item);
    auto it = call.params.find(n);
    if (it == call.params.end()) return std::nullopt;
    return *it;
  };
}

// A list of objects from a JSON array literal.
inline std::vector<Json> items(const char* json_array) {
  return Json::parse(json_array).get<std::vector<Json>>();
}

}  // namespace weft::plugin_tests
