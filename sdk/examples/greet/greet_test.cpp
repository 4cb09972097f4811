// The greet node, unit-tested with the SDK's fake host.
#include <weft/testing/fake_host.hpp>

#include <gtest/gtest.h>

TEST(Greet, GreetsEveryItem) {
  auto host = weft::testing::FakeHost::open(GREET_PLUGIN);
  EXPECT_EQ(std::string(host.manifest().name), "acme-greet");
  weft::testing::NodeCall call;
  call.inputs = {{{{"id", 1}}, {{"id", 2}}}};
  call.params = {{"name", "Ada"}, {"field", "hello"}};
  ASSERT_EQ(host.run("acme.greet", 1, call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  ASSERT_EQ(call.outputs[0].size(), 2u);
  EXPECT_EQ(call.outputs[0][0], (weft::Json{{"id", 1}, {"hello", "Hello, Ada!"}}));
  EXPECT_EQ(call.outputs[0][1]["id"], 2);
}

TEST(Greet, NameIsRequired) {
  auto host = weft::testing::FakeHost::open(GREET_PLUGIN);
  weft::testing::NodeCall call;
  call.inputs = {{weft::Json::object()}};
  EXPECT_EQ(host.run("acme.greet", 1, call), WEFT_ERR_INVALID);
  EXPECT_EQ(call.error_message, "item 0: parameter 'name' is required");
}
