// weft.password through the fake host: argon2id hashes with fresh salts, verification of right
// and wrong passwords, and refusals of passwords too short or too long.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

const FakeHost& passwords() { return plugin("weft_password"); }

Json call(const Json& request, int expected = WEFT_OK) {
  Json out;
  std::string error;
  EXPECT_EQ(passwords().invoke("weft.password", request, out, error), expected) << error;
  if (expected != WEFT_OK) out = {{"error", error}};
  return out;
}

TEST(PasswordProvider, RegistersAndNeverAuthenticatesARequest) {
  auto providers = passwords().auth_providers();
  ASSERT_EQ(providers.count("weft.password"), 1u);
  EXPECT_TRUE(passwords().node_types().empty());
  Json claim;
  std::string error;
  Json request = {{"method", "GET"}, {"path", "/"}, {"headers", {{"authorization", "Basic YTpi"}}},
                  {"remoteAddress", "127.0.0.1"}};
  EXPECT_EQ(passwords().authenticate("weft.password", request, claim, error), WEFT_ERR_NOT_FOUND);
}

TEST(PasswordProvider, HashesAreArgon2idWithOwaspParametersOrStronger) {
  std::string hash = call({{"op", "hash"}, {"password", "correct horse battery"}})["hash"];
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << hash;
  // The same password hashes differently each time: a fresh salt.
  std::string again = call({{"op", "hash"}, {"password", "correct horse battery"}})["hash"];
  EXPECT_NE(hash, again);
}

TEST(PasswordProvider, VerifiesTheRightPasswordOnly) {
  std::string hash = call({{"op", "hash"}, {"password", "correct horse battery"}})["hash"];
  Json ok = call({{"op", "verify"}, {"password", "correct horse battery"}, {"hash", hash}});
  EXPECT_EQ(ok["ok"], true);
  EXPECT_EQ(ok["rehash"], false);
  EXPECT_EQ(call({{"op", "verify"}, {"password", "correct horse batterY"}, {"hash", hash}})["ok"], false);
  EXPECT_EQ(call({{"op", "verify"}, {"password", ""}, {"hash", hash}})["ok"], false);
  // Not an argon2id hash: no, without an error that would tell the caller more.
  EXPECT_EQ(call({{"op", "verify"}, {"password", "x"}, {"hash", "5f4dcc3b5aa765d61d8327deb882cf99"}})["ok"], false);
  EXPECT_EQ(call({{"op", "verify"}, {"password", "x"}, {"hash", ""}})["ok"], false);
}

TEST(PasswordProvider, TheParametersAreBoundToTheDigest) {
  std::string hash = call({{"op", "hash"}, {"password", "correct horse battery"}})["hash"];
  // The same salt and digest claimed under fewer passes: no longer the same hash.
  std::string weaker = hash;
  weaker.replace(weaker.find("t=3"), 3, "t=2");
  EXPECT_EQ(call({{"op", "verify"}, {"password", "correct horse battery"}, {"hash", weaker}})["ok"], false);
}

TEST(PasswordProvider, RefusesPasswordsTooShortOrTooLong) {
  EXPECT_NE(call({{"op", "hash"}, {"password", "short"}}, WEFT_ERR_INVALID)["error"].get<std::string>().find("at least 12"),
            std::string::npos);
  EXPECT_NE(call({{"op", "hash"}, {"password", std::string(1025, 'a')}}, WEFT_ERR_INVALID)["error"]
                .get<std::string>()
                .find("at most 1024"),
            std::string::npos);
  call({{"op", "hash"}, {"password", 12345678901234}}, WEFT_ERR_INVALID);
  call({{"op", "nope"}}, WEFT_ERR_UNSUPPORTED);
}

}  // namespace
}  // namespace weft::plugin_tests
