// Rate limits through the real binary, with small limits from WEFT_* variables: one key's
// flood is refused with 429 and the RateLimit headers while another key goes on; the address
// limit (tested on its own: the tests all come from loopback) refuses before auth and spares
// another address; the flooder passes again once Retry-After has passed.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace weft::test {
namespace {

const std::string kProtected = "/api/v1/node-types";

// Sends requests until one is refused (at most `tries`); returns that answer (or the last).
HttpResult flood(WeftServer& server, const std::string& path, const Headers& headers, int tries = 50) {
  HttpResult r;
  for (int i = 0; i < tries; ++i) {
    r = server.get(path, headers);
    if (r.status == 429) break;
  }
  return r;
}

int retry_after_of(const HttpResult& r) {
  const std::string v = r.header("Retry-After");
  EXPECT_FALSE(v.empty()) << "a 429 carries Retry-After";
  EXPECT_TRUE(!v.empty() && v.find_first_not_of("0123456789") == std::string::npos) << v;
  int s = v.empty() ? 1 : std::stoi(v);
  EXPECT_GE(s, 1);
  return s;
}

// One GET from the local address `source` (e.g. 127.0.0.2): the status code, 0 on failure.
int status_from(const std::string& source, uint16_t port, const std::string& path, const std::string& key) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  int status = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
      ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0) {
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[64] = {};
      ssize_t n = ::recv(fd, buf, sizeof buf - 1, MSG_WAITALL);
      if (n > 12 && std::string(buf, 9) == "HTTP/1.1 ") status = std::atoi(buf + 9);
    }
  }
  ::close(fd);
  return status;
}

TEST(RateLimits, OneKeysFloodIsRefusedWhileAnotherKeyGoesOn) {
  WeftServer server({.env = {{"WEFT_RATE_LIMIT_PRINCIPAL_BURST", "5"},
                             {"WEFT_RATE_LIMIT_PRINCIPAL_PER_MINUTE", "60"},
                             {"WEFT_RATE_LIMIT_ADDRESS_BURST", "0"}}});
  HttpResult created = server.send_json("POST", "/api/v1/api-keys", {{"name", "second"}}, server.as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string second = created.json()["key"];

  HttpResult ok = server.get(kProtected, server.as_admin());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.header("RateLimit-Policy"), "\"default.principal\";q=5;w=5");
  EXPECT_NE(ok.header("RateLimit").find("\"default.principal\";r="), std::string::npos) << ok.header("RateLimit");

  HttpResult refused = flood(server, kProtected, server.as_admin());
  ASSERT_EQ(refused.status, 429) << "the flood was never refused";
  expect_problem(refused, 429, "rate-limited");
  const int wait = retry_after_of(refused);
  EXPECT_EQ(refused.header("RateLimit-Policy"), "\"default.principal\";q=5;w=5");
  EXPECT_EQ(refused.header("RateLimit"), "\"default.principal\";r=0;t=" + std::to_string(wait));
  EXPECT_EQ(refused.json()["violated-policies"], Json::array({"default.principal"}));
  EXPECT_EQ(refused.body.find(server.admin_key()), std::string::npos) << "a credential is never echoed";

  HttpResult other = server.get(kProtected, {{"X-API-Key", second}});
  EXPECT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(other.header("RateLimit"), "\"default.principal\";r=4;t=1") << "the second key has its own bucket";

  HttpResult health = server.get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_FALSE(health.has_header("RateLimit")) << "/health is exempt";

  std::this_thread::sleep_for(std::chrono::seconds(wait));
  EXPECT_EQ(server.get(kProtected, server.as_admin()).status, 200) << "after Retry-After the flooder passes again";
  EXPECT_EQ(server.stop(), 0);
}

TEST(RateLimits, TheAddressLimitRefusesBeforeAuthAndSparesOtherAddresses) {
  WeftServer server({.env = {{"WEFT_RATE_LIMIT_PRINCIPAL_BURST", "0"},
                             {"WEFT_RATE_LIMIT_ADDRESS_BURST", "4"},
                             {"WEFT_RATE_LIMIT_ADDRESS_PER_MINUTE", "60"}}});
  const Headers bad = {{"X-API-Key", "weft_" + std::string(43, 'A')}};
  HttpResult first = server.get(kProtected, bad);
  EXPECT_EQ(first.status, 401);
  EXPECT_EQ(first.header("RateLimit-Policy"), "\"default.address\";q=4;w=4");

  HttpResult refused = flood(server, kProtected, bad);
  ASSERT_EQ(refused.status, 429) << "a flood of bad keys is refused too";
  expect_problem(refused, 429, "rate-limited");
  EXPECT_NE(refused.json()["detail"].get<std::string>().find("client address"), std::string::npos);
  const int wait = retry_after_of(refused);
  EXPECT_EQ(server.get(kProtected, server.as_admin()).status, 429) << "the same address, even with a good key";
  EXPECT_EQ(server.get("/health").status, 200) << "/health is exempt";
  EXPECT_EQ(server.get("/webhook/nothing-here").status, 404) << "webhooks are a group of their own";

  // Another loopback address is another client.
  EXPECT_EQ(status_from("127.0.0.2", server.port(), kProtected, server.admin_key()), 200);

  std::this_thread::sleep_for(std::chrono::seconds(wait));
  EXPECT_EQ(server.get(kProtected, server.as_admin()).status, 200) << "after Retry-After the address passes again";
  EXPECT_EQ(server.stop(), 0);
}

// Behind a trusted proxy (server.trustedProxies), the X-Forwarded-For client is the one limited
// and audited; from any other peer the header changes nothing.
TEST(RateLimits, BehindATrustedProxyEachForwardedClientHasItsOwnBucket) {
  WeftServer server({.env = {{"WEFT_RATE_LIMIT_PRINCIPAL_BURST", "0"},
                             {"WEFT_RATE_LIMIT_ADDRESS_BURST", "4"},
                             {"WEFT_RATE_LIMIT_ADDRESS_PER_MINUTE", "60"},
                             {"WEFT_TRUSTED_PROXIES", "127.0.0.1/32"}}});
  const Headers x = server.as_admin({{"X-Forwarded-For", "203.0.113.7"}});
  HttpResult refused = flood(server, kProtected, x);
  ASSERT_EQ(refused.status, 429) << "client X is limited";
  EXPECT_EQ(server.get(kProtected, server.as_admin({{"X-Forwarded-For", "203.0.113.8"}})).status, 200)
      << "client Y, behind the same proxy, is not";
  // A client cannot choose its own address: the proxy's hop is what counts.
  EXPECT_EQ(server.get(kProtected, server.as_admin({{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}})).status, 429);

  // The audit log and the access log name the forwarded client.
  HttpResult made = server.send_json("POST", "/api/v1/api-keys", {{"name", "via proxy"}},
                                     server.as_admin({{"X-Forwarded-For", "203.0.113.9"}}));
  ASSERT_EQ(made.status, 201) << made.body;
  HttpResult audit = server.get("/api/v1/audit?action=api_key.create&objectId=" + made.json().value("id", ""),
                                server.as_admin({{"X-Forwarded-For", "203.0.113.10"}}));
  ASSERT_EQ(audit.status, 200) << audit.body;
  const Json events = audit.json()["items"];
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["address"], "203.0.113.9");
  EXPECT_NE(server.process().stderr_text().find("\"remoteAddress\":\"203.0.113.9\""), std::string::npos);

  // From an untrusted peer (127.0.0.2) the header is ignored: its own address is limited.
  EXPECT_EQ(status_from("127.0.0.2", server.port(), kProtected, server.admin_key()), 200);
  EXPECT_EQ(server.stop(), 0);
}

TEST(RateLimits, TurnedOffNothingIsLimitedOrAnnounced) {
  WeftServer server({.env = {{"WEFT_RATE_LIMITS", "false"}, {"WEFT_RATE_LIMIT_PRINCIPAL_BURST", "1"}}});
  for (int i = 0; i < 10; ++i) {
    HttpResult r = server.get(kProtected, server.as_admin());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.has_header("RateLimit"));
  }
  EXPECT_EQ(server.stop(), 0);
}

TEST(RateLimits, ABadLimitInTheConfigFileStopsTheStartNamingTheKey) {
  TempDir dir;
  const std::string file = dir / "weft.json";
  {
    std::ofstream out(file);
    out << R"({"rateLimits": {"webhooks": {"perAddress": {"burst": 10, "perMinute": 0}}}})";
  }
  ProcessResult r = run_weft({"serve", "--port", "0", "--data", dir / "data", "--config", file}, {}, dir.path());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("rateLimits.webhooks.perAddress.perMinute must be at least 1"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace weft::test
