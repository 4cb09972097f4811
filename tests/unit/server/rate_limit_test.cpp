// Rate limits: the token-bucket math on a fake clock, the bound on remembered buckets, many
// threads on one limiter, the configuration keys, the headers, and the dispatcher's use of
// the buckets (address before auth, principal after, exempt routes).
#include "http/dispatcher.hpp"
#include "http/rate_limit_gate.hpp"
#include "http/rate_limiter.hpp"
#include "http/rate_limit_options.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace weft::http {
namespace {

using namespace std::chrono_literals;

// A clock that moves only when the test says so.
struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> ns = std::make_shared<std::atomic<int64_t>>(1000000000);
  RateLimiter::Clock fn() const {
    auto p = ns;
    return [p] { return std::chrono::nanoseconds(p->load()); };
  }
  void advance(std::chrono::nanoseconds d) const { ns->fetch_add(d.count()); }
};

const BucketPolicy kThreePerSecondOne{.burst = 3, .per_minute = 60};  // 3 at once, then 1/s

TEST(RateLimiter, AFullBucketGivesItsBurstThenRefusesUntilATokenReturns) {
  FakeClock clock;
  RateLimiter limiter(1000, clock.fn());
  for (int64_t left : {2, 1, 0}) {
    RateDecision d = limiter.take("k", kThreePerSecondOne);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, left);
    EXPECT_EQ(d.retry_after, 0ns);
    EXPECT_EQ(d.next_refill, 1s) << "one request comes back each second";
  }
  RateDecision refused = limiter.take("k", kThreePerSecondOne);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after, 1s);
  EXPECT_EQ(refused.next_refill, 1s);

  clock.advance(400ms);
  RateDecision early = limiter.take("k", kThreePerSecondOne);
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.retry_after, 600ms) << "a refused request took nothing";

  clock.advance(600ms);
  RateDecision again = limiter.take("k", kThreePerSecondOne);
  EXPECT_TRUE(again.allowed);
  EXPECT_EQ(again.remaining, 0);
  EXPECT_FALSE(limiter.take("k", kThreePerSecondOne).allowed) << "exactly one came back";
}

TEST(RateLimiter, TheBucketRefillsAtTheRateButNeverBeyondTheBurst) {
  FakeClock clock;
  RateLimiter limiter(1000, clock.fn());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k", kThreePerSecondOne).allowed);
  clock.advance(2500ms);  // two whole requests and half of a third
  RateDecision d = limiter.take("k", kThreePerSecondOne);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 1);
  EXPECT_EQ(d.next_refill, 500ms);

  clock.advance(1h);
  d = limiter.take("k", kThreePerSecondOne);
  EXPECT_EQ(d.remaining, 2) << "an idle hour fills the bucket, no more";
}

TEST(RateLimiter, SustainedTrafficGetsTheBurstPlusTheRate) {
  FakeClock clock;
  RateLimiter limiter(1000, clock.fn());
  const BucketPolicy policy{.burst = 10, .per_minute = 600};  // 10 per second
  int allowed = 0;
  for (int i = 0; i < 10000; ++i) {  // 100 requests a second for 100 s
    allowed += limiter.take("k", policy).allowed ? 1 : 0;
    clock.advance(10ms);
  }
  EXPECT_EQ(allowed, 10 + 999) << "the burst, then one every 100 ms of the 99.99 s that followed";
}

TEST(RateLimiter, KeysHaveBucketsOfTheirOwn) {
  FakeClock clock;
  RateLimiter limiter(1000, clock.fn());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("flooder", kThreePerSecondOne).allowed);
  EXPECT_FALSE(limiter.take("flooder", kThreePerSecondOne).allowed);
  EXPECT_TRUE(limiter.take("other", kThreePerSecondOne).allowed);
  EXPECT_EQ(limiter.take("other", kThreePerSecondOne).remaining, 1);
}

TEST(RateLimiter, AFloodOfNewKeysCannotGrowTheTableBeyondItsCap) {
  FakeClock clock;
  RateLimiter limiter(160, clock.fn());  // 10 per shard
  for (int i = 0; i < 20000; ++i) limiter.take("address-" + std::to_string(i), kThreePerSecondOne);
  EXPECT_LE(limiter.size(), 160u);
  EXPECT_GE(limiter.evictions(), 20000u - 160u);
}

TEST(RateLimiter, RefilledBucketsAreForgottenBeforeAnyActiveOneIsEvicted) {
  FakeClock clock;
  RateLimiter limiter(160, clock.fn());  // 10 per shard
  for (int round = 0; round < 50; ++round) {
    // 8 new keys a round can never fill a shard of 10 with buckets still refilling.
    for (int i = 0; i < 8; ++i) limiter.take("r" + std::to_string(round) + "-" + std::to_string(i), kThreePerSecondOne);
    clock.advance(1h);
  }
  EXPECT_EQ(limiter.evictions(), 0u);
  EXPECT_LE(limiter.size(), 160u);
}

TEST(RateLimiter, AnActiveFlooderStaysLimitedWhileOthersComeAndGo) {
  FakeClock clock;
  RateLimiter limiter(1600, clock.fn());
  for (int i = 0; i < 3; ++i) limiter.take("flooder", kThreePerSecondOne);
  for (int i = 0; i < 5000; ++i) {
    limiter.take("passer-" + std::to_string(i), kThreePerSecondOne);
    if (i % 50 == 0) {
      EXPECT_FALSE(limiter.take("flooder", kThreePerSecondOne).allowed) << i;
    }
  }
}

TEST(RateLimiter, ManyThreadsOnOneKeyGetExactlyTheBurst) {
  FakeClock clock;  // frozen: nothing refills while the threads run
  RateLimiter limiter(1000, clock.fn());
  const BucketPolicy policy{.burst = 500, .per_minute = 60};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i)
        if (limiter.take("shared", policy).allowed) ++allowed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 500);
}

TEST(RateLimiter, ManyThreadsOnTheirOwnKeysEachGetTheirBurst) {
  FakeClock clock;
  RateLimiter limiter(100000, clock.fn());
  const BucketPolicy policy{.burst = 100, .per_minute = 60};
  std::vector<int> allowed(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        if (limiter.take("caller-" + std::to_string(t), policy).allowed) ++allowed[t];
        limiter.take("noise-" + std::to_string(t) + "-" + std::to_string(i), policy);
      }
    });
  for (auto& t : threads) t.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(allowed[t], 100) << "thread " << t;
}

TEST(RateLimitOptions, TheDefaultsLimitEveryGroup) {
  auto o = RateLimitOptions::from_config(Config());
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_TRUE(o->enabled);
  EXPECT_EQ(o->max_tracked_keys, 100000u);
  for (const char* g : {"default", "webhooks", "auth"}) ASSERT_NE(o->group(g), nullptr) << g;
  EXPECT_EQ(o->group("default")->per_principal.burst, 200);
  EXPECT_EQ(o->group("default")->per_principal.per_minute, 6000);
  EXPECT_FALSE(o->group("webhooks")->per_address.unlimited());
  EXPECT_TRUE(o->group("webhooks")->per_principal.unlimited());
  EXPECT_EQ(o->group("auth")->per_address.burst, 10);
  EXPECT_EQ(o->group("nope"), nullptr);
}

TEST(RateLimitOptions, BadValuesNameTheKey) {
  Config c;
  ASSERT_TRUE(c.set("rateLimits.auth.perAddress.perMinute", 0, "test"));
  auto o = RateLimitOptions::from_config(c);
  ASSERT_FALSE(o);
  EXPECT_NE(o.status().message().find("rateLimits.auth.perAddress.perMinute must be at least 1"), std::string::npos)
      << o.status().message();

  Config negative;
  ASSERT_TRUE(negative.set("rateLimits.default.perPrincipal.burst", -1, "test"));
  o = RateLimitOptions::from_config(negative);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.status().message(), "rateLimits.default.perPrincipal.burst must be from 0 to 1000000 (got -1)");

  Config keys;
  ASSERT_TRUE(keys.set("rateLimits.maxTrackedKeys", 5, "test"));
  EXPECT_FALSE(RateLimitOptions::from_config(keys));

  Config off;  // burst 0 turns a bucket off whatever its rate
  ASSERT_TRUE(off.set("rateLimits.default.perPrincipal.burst", 0, "test"));
  ASSERT_TRUE(off.set("rateLimits.default.perPrincipal.perMinute", 0, "test"));
  o = RateLimitOptions::from_config(off);
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_TRUE(o->group("default")->per_principal.unlimited());
}

TEST(RateLimitOptions, TheEnvironmentSetsLimits) {
  ::setenv("WEFT_RATE_LIMIT_PRINCIPAL_BURST", "7", 1);
  ::setenv("WEFT_RATE_LIMITS", "false", 1);
  auto c = Config::load(std::nullopt);
  ::unsetenv("WEFT_RATE_LIMIT_PRINCIPAL_BURST");
  ::unsetenv("WEFT_RATE_LIMITS");
  ASSERT_TRUE(c);
  auto o = RateLimitOptions::from_config(*c);
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->enabled);
  EXPECT_EQ(o->group("default")->per_principal.burst, 7);
}

TEST(ClientAddressKey, DropsThePortAndGroupsIpv6ByItsSlash64) {
  EXPECT_EQ(client_address_key("192.0.2.7:51234"), "192.0.2.7");
  EXPECT_EQ(client_address_key("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(client_address_key("[2001:db8:1:2:3:4:5:6]:443"), "2001:db8:1:2::/64");
  EXPECT_EQ(client_address_key("[2001:db8:1:2:ffff::9]:443"), "2001:db8:1:2::/64");
  EXPECT_EQ(client_address_key("[::ffff:192.0.2.7]:80"), "192.0.2.7");
  EXPECT_EQ(client_address_key("2001:db8::1"), "2001:db8::/64");
  EXPECT_EQ(client_address_key(""), "");
}

TEST(RateLimitHeaders, FollowDraft10ForEveryBucketConsulted) {
  LimitCheck address{.policy = "default.address", .bucket = {.burst = 1000, .per_minute = 30000},
                     .decision = {.allowed = true, .remaining = 997, .next_refill = 1500us}};
  LimitCheck principal{.policy = "default.principal", .bucket = {.burst = 5, .per_minute = 60},
                       .decision = {.allowed = false, .remaining = 0, .retry_after = 1200ms, .next_refill = 1200ms}};
  Response r;
  apply_rate_limit_headers({address, principal}, r);
  EXPECT_EQ(r.headers.get("RateLimit-Policy"), "\"default.address\";q=1000;w=2, \"default.principal\";q=5;w=5");
  EXPECT_EQ(r.headers.get("RateLimit"), "\"default.address\";r=997;t=1, \"default.principal\";r=0;t=2");

  Response none;
  apply_rate_limit_headers({}, none);
  EXPECT_FALSE(none.headers.has("RateLimit"));
  EXPECT_FALSE(none.headers.has("RateLimit-Policy"));
}

TEST(RateLimitHeaders, TheRefusalIsARateLimitedProblemWithRetryAfterRoundedUp) {
  LimitCheck refused{.policy = "webhooks.address", .bucket = {.burst = 5, .per_minute = 60},
                     .decision = {.allowed = false, .remaining = 0, .retry_after = 1001ms, .next_refill = 1001ms}};
  Response r = rate_limited(refused, "/webhook/x");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("Retry-After"), "2");
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["type"], "urn:weft:problem:rate-limited");
  EXPECT_EQ(body["instance"], "/webhook/x");
  EXPECT_EQ(body["violated-policies"], Json::array({"webhooks.address"}));
  EXPECT_NE(body["detail"].get<std::string>().find("from this client address"), std::string::npos) << body;

  refused.decision.retry_after = 10ns;
  EXPECT_EQ(rate_limited(refused, "/").headers.get("Retry-After"), "1") << "never 0";
}

// A provider accepting "Authorization: Bearer <name>" as principal <name>.
class NameProvider : public auth::AuthProvider {
 public:
  const std::string& name() const override { return name_; }
  auth::AuthOutcome authenticate(const auth::AuthRequest& request) const override {
    ++calls;
    auto it = request.headers.find("authorization");
    if (it == request.headers.end()) return auth::AuthOutcome::not_mine();
    if (it->second.rfind("Bearer ", 0) != 0 || it->second == "Bearer bad")
      return auth::AuthOutcome::rejected("unknown token");
    auth::Principal p;
    p.id = it->second.substr(7);
    p.role = "admin";
    return auth::AuthOutcome::accepted(p);
  }
  std::string challenge() const override { return "Bearer realm=\"weft\""; }
  mutable std::atomic<int> calls{0};

 private:
  std::string name_ = "test.name";
};

class RateLimitedDispatch : public ::testing::Test {
 protected:
  void SetUp() override {
    RouteSpec thing;
    thing.operation_id = "getThing";
    thing.self_service = true;
    router.add("GET", "/things", thing, [](Request& r) { return Response::json({{"who", r.principal->id}}); });
    RouteSpec hook;
    hook.operation_id = "hook";
    hook.is_public = true;
    hook.limit_group = kLimitGroupWebhooks;
    router.add("POST", "/hook", hook, [](Request&) { return Response::no_content(); });
    RouteSpec health;
    health.operation_id = "getHealth";
    health.is_public = true;
    health.limit_group = "";
    router.add("GET", "/health", health, [](Request&) { return Response::json({{"status", "ok"}}); });
    provider = std::make_shared<NameProvider>();
    auth.add(provider);
  }

  // Limits: the given buckets for "default" and "webhooks"; everything else off.
  void limits(BucketPolicy per_principal, BucketPolicy per_address) {
    RateLimitOptions o;
    o.enabled = true;
    o.groups[kLimitGroupDefault] = {per_principal, per_address};
    o.groups[kLimitGroupWebhooks] = {{}, per_address};
    dispatcher = std::make_unique<Dispatcher>(router, auth, 1024, o, clock.fn());
  }

  Exchange send(const std::string& target, const std::string& token = "", const std::string& from = "10.0.0.1:4000",
                const std::string& method = "GET") {
    RequestHead head;
    head.method = method;
    head.target = target;
    head.version = "HTTP/1.1";
    if (!token.empty()) head.headers.add("Authorization", "Bearer " + token);
    StringSource src(std::string_view(""));
    return dispatcher->dispatch(head, src, from, nullptr);
  }

  Router router;
  auth::AuthChain auth;
  std::shared_ptr<NameProvider> provider;
  FakeClock clock;
  std::unique_ptr<Dispatcher> dispatcher;
};

TEST_F(RateLimitedDispatch, OnePrincipalsFloodLeavesAnotherPrincipalAlone) {
  limits({.burst = 2, .per_minute = 60}, {});
  for (int64_t left : {1, 0}) {
    Exchange ok = send("/things", "alice");
    ASSERT_EQ(ok.response.status, 200);
    EXPECT_EQ(ok.response.headers.get("RateLimit-Policy"), "\"default.principal\";q=2;w=2");
    EXPECT_EQ(ok.response.headers.get("RateLimit"), "\"default.principal\";r=" + std::to_string(left) + ";t=1");
  }
  Exchange refused = send("/things", "alice");
  EXPECT_EQ(refused.response.status, 429);
  EXPECT_EQ(refused.response.headers.get("Retry-After"), "1");
  EXPECT_EQ(refused.response.headers.get("RateLimit"), "\"default.principal\";r=0;t=1");
  EXPECT_EQ(refused.response.headers.get("X-Request-Id"), refused.request_id) << "the usual headers too";
  EXPECT_EQ(Json::parse(refused.response.body)["type"], "urn:weft:problem:rate-limited");

  EXPECT_EQ(send("/things", "bob").response.status, 200) << "another principal, same address";
  clock.advance(1s);
  EXPECT_EQ(send("/things", "alice").response.status, 200) << "after Retry-After";
}

TEST_F(RateLimitedDispatch, TheAddressBucketRefusesBeforeAnyCredentialIsChecked) {
  limits({}, {.burst = 3, .per_minute = 60});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(send("/things", "bad").response.status, 401);
  const int checked = provider->calls.load();
  Exchange refused = send("/things", "bad");
  EXPECT_EQ(refused.response.status, 429);
  EXPECT_EQ(provider->calls.load(), checked) << "no credential check for a refused request";
  EXPECT_EQ(send("/things", "alice").response.status, 429) << "a good key from the same address waits too";
  EXPECT_EQ(refused.response.headers.get("RateLimit-Policy"), "\"default.address\";q=3;w=3");

  EXPECT_EQ(send("/things", "alice", "10.0.0.2:4000").response.status, 200) << "another address";
  EXPECT_EQ(send("/hook", "", "10.0.0.1:4001", "POST").response.status, 204) << "another group";
  Exchange health = send("/health", "", "10.0.0.1:4002");
  EXPECT_EQ(health.response.status, 200) << "/health is exempt";
  EXPECT_FALSE(health.response.headers.has("RateLimit"));
  EXPECT_FALSE(health.response.headers.has("RateLimit-Policy"));
}

TEST_F(RateLimitedDispatch, BothBucketsAreReportedAndEitherCanRefuse) {
  limits({.burst = 1, .per_minute = 60}, {.burst = 5, .per_minute = 600});
  Exchange ok = send("/things", "alice");
  ASSERT_EQ(ok.response.status, 200);
  EXPECT_EQ(ok.response.headers.get("RateLimit-Policy"),
            "\"default.address\";q=5;w=1, \"default.principal\";q=1;w=1");
  EXPECT_EQ(ok.response.headers.get("RateLimit"), "\"default.address\";r=4;t=1, \"default.principal\";r=0;t=1");
  Exchange refused = send("/things", "alice");
  EXPECT_EQ(refused.response.status, 429);
  EXPECT_EQ(Json::parse(refused.response.body)["violated-policies"], Json::array({"default.principal"}));
}

TEST_F(RateLimitedDispatch, DisabledLimitsSendNoHeaders) {
  RateLimitOptions off;  // enabled = false
  dispatcher = std::make_unique<Dispatcher>(router, auth, 1024, off, clock.fn());
  for (int i = 0; i < 50; ++i) {
    Exchange ex = send("/things", "alice");
    ASSERT_EQ(ex.response.status, 200);
    EXPECT_FALSE(ex.response.headers.has("RateLimit"));
  }
}

}  // namespace
}  // namespace weft::http
