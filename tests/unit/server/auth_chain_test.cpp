#include "auth/auth_chain.hpp"

#include <gtest/gtest.h>

namespace weft::auth {
namespace {

class Fixed : public AuthProvider {
 public:
  Fixed(std::string name, AuthOutcome outcome, std::string challenge)
      : name_(std::move(name)), outcome_(std::move(outcome)), challenge_(std::move(challenge)) {}
  const std::string& name() const override { return name_; }
  AuthOutcome authenticate(const AuthRequest&) const override {
    ++calls;
    return outcome_;
  }
  std::string challenge() const override { return challenge_; }
  mutable int calls = 0;

 private:
  std::string name_;
  AuthOutcome outcome_;
  std::string challenge_;
};

Principal principal(std::string id) {
  Principal p;
  p.id = std::move(id);
  p.kind = Principal::Kind::kApiKey;
  p.scopes = {"workflows:read"};
  return p;
}

TEST(AuthChain, FirstDecisiveProviderWins) {
  AuthChain chain;
  auto a = std::make_shared<Fixed>("a", AuthOutcome::not_mine(), "ApiKey");
  auto b = std::make_shared<Fixed>("b", AuthOutcome::accepted(principal("k1")), "Bearer realm=\"weft\"");
  auto c = std::make_shared<Fixed>("c", AuthOutcome::accepted(principal("k2")), "");
  chain.add(a);
  chain.add(b);
  chain.add(c);
  AuthOutcome out = chain.authenticate({});
  ASSERT_TRUE(out.is_accepted());
  EXPECT_EQ(out.principal().id, "k1");
  EXPECT_EQ(out.principal().scopes, std::vector<std::string>{"workflows:read"});
  EXPECT_EQ(c->calls, 0);
  EXPECT_EQ(chain.challenge(), "ApiKey, Bearer realm=\"weft\"");
}

TEST(AuthChain, RejectionStopsTheChain) {
  AuthChain chain;
  auto a = std::make_shared<Fixed>("a", AuthOutcome::rejected("malformed API key"), "");
  auto b = std::make_shared<Fixed>("b", AuthOutcome::accepted(principal("k")), "");
  chain.add(a);
  chain.add(b);
  AuthOutcome out = chain.authenticate({});
  EXPECT_EQ(out.kind(), AuthOutcome::Kind::kRejected);
  EXPECT_EQ(out.reason(), "malformed API key");
  EXPECT_EQ(b->calls, 0);
}

TEST(AuthChain, EmptyChainAcceptsNobody) {
  AuthChain chain;
  EXPECT_EQ(chain.authenticate({}).kind(), AuthOutcome::Kind::kNotMine);
  EXPECT_EQ(chain.challenge(), "Bearer realm=\"weft\"");
}

TEST(AuthRequest, JsonHasTheShapeOfTheSdkContract) {
  AuthRequest r{"GET", "/api/v1/x", {{"x-api-key", "k"}}, "127.0.0.1:5"};
  EXPECT_EQ(r.to_json(), Json::parse(R"({"method":"GET","path":"/api/v1/x","headers":{"x-api-key":"k"},"remoteAddress":"127.0.0.1:5"})"));
}

}  // namespace
}  // namespace weft::auth
