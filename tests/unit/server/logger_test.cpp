// The process-wide logger: lines of many threads written at once stay whole (one write per
// line), the level filters, a file destination is appended to. Restores stderr/text after.
#include "logging/logger.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace weft::logging {
namespace {

using Json = nlohmann::json;

class LoggerToFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("weft-logger-test-" + std::to_string(::getpid()) + ".log")).string();
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    LogOptions back;
    back.format = Format::kText;
    ASSERT_TRUE(configure(back));
    std::filesystem::remove(path_);
  }
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  std::string path_;
};

TEST_F(LoggerToFile, ConcurrentLinesNeverInterleave) {
  LogOptions o;
  o.destination = path_;
  ASSERT_TRUE(configure(o));
  constexpr int kThreads = 8, kLines = 400;
  const std::string filler(3000, 'x');  // longer than a pipe's atomic write, so only the lock keeps lines whole
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) info("test", filler, {{"thread", t}, {"i", i}});
    });
  for (auto& th : threads) th.join();
  auto all = lines();
  ASSERT_EQ(all.size(), size_t(kThreads * kLines));
  std::set<std::pair<int, int>> seen;
  for (const auto& line : all) {
    Json j = Json::parse(line);  // throws (fails the test) on a torn line
    EXPECT_EQ(j["message"], filler);
    seen.emplace(j["fields"]["thread"].get<int>(), j["fields"]["i"].get<int>());
  }
  EXPECT_EQ(seen.size(), size_t(kThreads * kLines));
}

TEST_F(LoggerToFile, LevelFiltersAndTheFileIsAppendedTo) {
  std::ofstream(path_) << "before\n";
  LogOptions o;
  o.destination = path_;
  o.level = Level::kWarn;
  ASSERT_TRUE(configure(o));
  EXPECT_FALSE(enabled(Level::kInfo));
  EXPECT_TRUE(enabled(Level::kError));
  info("test", "dropped");
  debug("test", "dropped");
  warn("test", "kept");
  {
    ScopedRequestId scope("rid-1");
    error("test", "kept too");
  }
  error("test", "no request");
  auto all = lines();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0], "before");
  EXPECT_EQ(Json::parse(all[1])["message"], "kept");
  EXPECT_EQ(Json::parse(all[2])["requestId"], "rid-1");
  EXPECT_FALSE(Json::parse(all[3]).contains("requestId")) << "the scope ended";
}

TEST_F(LoggerToFile, AnUnopenableFileChangesNothingAndNamesTheKey) {
  LogOptions o;
  o.destination = "/nonexistent-dir-weft/x.log";
  Status st = configure(o);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("log.destination"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace weft::logging
