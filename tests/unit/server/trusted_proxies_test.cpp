// server.trustedProxies: which peer's X-Forwarded-For names the client, and which entry of it.
#include "http/trusted_proxies.hpp"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

TrustedProxies proxies(const std::vector<std::string>& entries) {
  auto p = TrustedProxies::parse(entries);
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  return p ? *p : TrustedProxies();
}

HeaderList forwarded(std::vector<std::string> values) {
  HeaderList h;
  for (auto& v : values) h.add("X-Forwarded-For", std::move(v));
  return h;
}

TEST(TrustedProxies, AnUntrustedPeerIsTheClientWhateverItForwards) {
  EXPECT_EQ(TrustedProxies().client_address("10.0.0.5:4000", forwarded({"203.0.113.7"})), "10.0.0.5:4000");
  EXPECT_EQ(proxies({"10.0.0.0/8"}).client_address("192.0.2.1:4000", forwarded({"203.0.113.7"})), "192.0.2.1:4000");
}

TEST(TrustedProxies, ATrustedPeerNamesTheRightmostUntrustedHop) {
  const TrustedProxies p = proxies({"10.0.0.0/8", "::1"});
  EXPECT_EQ(p.client_address("10.1.2.3:4000", forwarded({"203.0.113.7"})), "203.0.113.7");
  // What the client wrote itself (left) is not believed past the first untrusted hop.
  EXPECT_EQ(p.client_address("10.1.2.3:4000", forwarded({"1.2.3.4, 203.0.113.7, 10.9.9.9"})), "203.0.113.7");
  // A second field, added by the proxy after the client's own, is part of the same list.
  EXPECT_EQ(p.client_address("10.1.2.3:4000", forwarded({"1.2.3.4", "203.0.113.8"})), "203.0.113.8");
  EXPECT_EQ(p.client_address("[::1]:4000", forwarded({"2001:db8::7"})), "2001:db8::7");
  // No header: the peer. A garbage entry stops the walk at the last good one.
  EXPECT_EQ(p.client_address("10.1.2.3:4000", HeaderList()), "10.1.2.3:4000");
  EXPECT_EQ(p.client_address("10.1.2.3:4000", forwarded({"not-an-ip"})), "10.1.2.3:4000");
  EXPECT_EQ(p.client_address("10.1.2.3:4000", forwarded({"junk, 10.2.2.2"})), "10.2.2.2");
}

TEST(TrustedProxies, BadEntriesAreRefusedNamingThem) {
  for (const std::string bad : {"proxy.example", "10.0.0.0/33", "10.0.0.0/", "::1/129", "10.0.0.0/x"}) {
    auto p = TrustedProxies::parse({bad});
    ASSERT_FALSE(p.is_ok()) << bad;
    EXPECT_NE(p.status().message().find("server.trustedProxies"), std::string::npos);
    EXPECT_NE(p.status().message().find(bad), std::string::npos) << p.status().message();
  }
}

}  // namespace
}  // namespace weft::http
