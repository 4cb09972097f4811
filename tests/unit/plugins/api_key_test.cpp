// weft.api_key through the fake host: minting keys, recognising them in either header, and
// leaving foreign bearer tokens to the next provider.
#include "plugin_test_support.hpp"

#include <regex>
#include <set>

namespace weft::plugin_tests {
namespace {

const FakeHost& api_key() { return plugin("weft_api_key"); }

Json request_with(const Json& headers) {
  return {{"method", "GET"}, {"path", "/api/v1/workflows"}, {"headers", headers},
          {"remoteAddress", "127.0.0.1"}};
}

Json issue() {
  Json out;
  std::string error;
  EXPECT_EQ(api_key().invoke("weft.api_key", {{"op", "issue"}}, out, error), WEFT_OK) << error;
  return out;
}

TEST(ApiKeyProvider, RegistersAsAnAuthProvider) {
  auto providers = api_key().auth_providers();
  ASSERT_EQ(providers.count("weft.api_key"), 1u);
  EXPECT_TRUE(providers["weft.api_key"].contains("description"));
  EXPECT_TRUE(api_key().node_types().empty());
}

TEST(ApiKeyProvider, IssuesDistinctWellFormedKeysWithPrefixAndHash) {
  std::set<std::string> keys;
  for (int i = 0; i < 200; ++i) {
    Json k = issue();
    std::string key = k["key"];
    EXPECT_TRUE(std::regex_match(key, std::regex("weft_[0-9A-Za-z]{43}"))) << key;
    EXPECT_EQ(k["prefix"], key.substr(0, 13));
    EXPECT_TRUE(std::regex_match(k["hash"].get<std::string>(), std::regex("[0-9a-f]{64}")));
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), 200u);
}

TEST(ApiKeyProvider, HashIsSha256OfTheKey) {
  // SHA-256 of the fixed key below, computed independently with `printf %s KEY | sha256sum`.
  const std::string key = "weft_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
  Json out;
  std::string error;
  ASSERT_EQ(api_key().invoke("weft.api_key", {{"op", "hash"}, {"key", key}}, out, error), WEFT_OK)
      << error;
  EXPECT_EQ(out["hash"], "9407740e4cd0d3f2bf4058d32328f3aa9a7c941a671b88779109445ad5393b77");
}

TEST(ApiKeyProvider, AuthenticatesFromEitherHeaderToTheSameClaim) {
  Json k = issue();
  Json claim1, claim2;
  std::string error;
  ASSERT_EQ(api_key().authenticate("weft.api_key", request_with({{"x-api-key", k["key"]}}), claim1,
                                   error),
            WEFT_OK)
      << error;
  ASSERT_EQ(api_key().authenticate(
                "weft.api_key",
                request_with({{"authorization", "Bearer " + k["key"].get<std::string>()}}), claim2,
                error),
            WEFT_OK)
      << error;
  EXPECT_EQ(claim1, (Json{{"apiKeyHash", k["hash"]}}));
  EXPECT_EQ(claim2, claim1);
}

TEST(ApiKeyProvider, NoCredentialOrForeignBearerIsNotFound) {
  Json claim;
  std::string error;
  EXPECT_EQ(api_key().authenticate("weft.api_key", request_with(Json::object()), claim, error),
            WEFT_ERR_NOT_FOUND);
  EXPECT_EQ(api_key().authenticate("weft.api_key",
                                   request_with({{"authorization", "Bearer eyJhbGciOi.x.y"}}), claim,
                                   error),
            WEFT_ERR_NOT_FOUND);
  EXPECT_EQ(api_key().authenticate("weft.api_key",
                                   request_with({{"authorization", "Basic dXNlcjpwYXNz"}}), claim,
                                   error),
            WEFT_ERR_NOT_FOUND);
}

TEST(ApiKeyProvider, MalformedKeyIsInvalidAndNotEchoed) {
  const std::string bad = "weft_tooShortSecretValue";
  Json claim;
  std::string error;
  EXPECT_EQ(api_key().authenticate("weft.api_key", request_with({{"x-api-key", bad}}), claim, error),
            WEFT_ERR_INVALID);
  EXPECT_EQ(error.find(bad), std::string::npos) << error;
  EXPECT_EQ(api_key().authenticate("weft.api_key", request_with({{"x-api-key", "not-a-key"}}), claim,
                                   error),
            WEFT_ERR_INVALID);
}

TEST(ApiKeyProvider, UnknownOperationIsUnsupported) {
  Json out;
  std::string error;
  EXPECT_EQ(api_key().invoke("weft.api_key", {{"op", "frobnicate"}}, out, error),
            WEFT_ERR_UNSUPPORTED);
  EXPECT_NE(error.find("frobnicate"), std::string::npos);
}

}  // namespace
}  // namespace weft::plugin_tests
