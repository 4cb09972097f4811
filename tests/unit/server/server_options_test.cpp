#include "http/server_options.hpp"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

TEST(ServerOptions, DefaultsComeFromTheConfiguration) {
  Config config;
  auto o = ServerOptions::from_config(config);
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 8080);
  EXPECT_EQ(o->max_body_bytes, 1048576u);
  EXPECT_EQ(o->max_header_fields, 100);
  EXPECT_EQ(o->max_header_bytes, 8192u);
  EXPECT_EQ(o->request_timeout.count(), 30000);
  EXPECT_EQ(o->keep_alive_timeout.count(), 15000);
}

TEST(ServerOptions, OutOfRangeValuesNameTheKey) {
  struct Case {
    const char* key;
    int64_t value;
  };
  for (Case c : {Case{"server.port", 70000}, Case{"server.port", -1}, Case{"server.maxThreads", 0},
                 Case{"server.maxBodyBytes", 0}, Case{"server.maxHeaderFields", 0},
                 Case{"server.maxHeaderBytes", 10}, Case{"server.requestTimeoutMs", 0},
                 Case{"server.shutdownGraceMs", -5}}) {
    Config config;
    ASSERT_TRUE(config.set(c.key, c.value, "test"));
    auto o = ServerOptions::from_config(config);
    ASSERT_FALSE(o) << c.key;
    EXPECT_NE(o.status().message().find(c.key), std::string::npos) << o.status().message();
    EXPECT_NE(o.status().message().find(std::to_string(c.value)), std::string::npos);
  }
}

TEST(ServerOptions, ShortRequestTimeoutBoundsKeepAlive) {
  Config config;
  ASSERT_TRUE(config.set("server.requestTimeoutMs", 2000, "test"));
  EXPECT_EQ(ServerOptions::from_config(config)->keep_alive_timeout.count(), 2000);
}

}  // namespace
}  // namespace weft::http
