// The credential type registry, as installed from the shipped weft.http_request plugin
// (credential_types_environment_test.cpp): lookup, validation of a credential's data, the public
// view that drops secret fields, and the field-by-field merge of a PATCH.
#include "credentials/credential_types.hpp"

#include <weft/runtime/plugin_host.hpp>

#include <gtest/gtest.h>

#include <string>

namespace weft::credentials {
namespace {

const CredentialType& type(std::string_view name) {
  const CredentialType* t = find_credential_type(name);
  if (!t) throw std::runtime_error("no credential type " + std::string(name));
  return *t;
}

// The message of validating `data` against `type_name`; "" when valid.
std::string problem_of(std::string_view type_name, const Json& data) {
  Status s = validate_credential_data(type(type_name), data);
  if (s) return "";
  EXPECT_EQ(s.code(), Code::kInvalid);
  return s.message();
}

TEST(CredentialTypes, FindsTheKnownTypesAndNothingElse) {
  ASSERT_NE(find_credential_type("weft.httpHeaderAuth"), nullptr);
  ASSERT_NE(find_credential_type("weft.basicAuth"), nullptr);
  EXPECT_EQ(find_credential_type("weft.basicauth"), nullptr);  // exact name only
  EXPECT_EQ(find_credential_type(""), nullptr);
  EXPECT_EQ(find_credential_type("weft.oauth2"), nullptr);
  EXPECT_EQ(known_credential_type_names(), "weft.basicAuth, weft.httpHeaderAuth");
  ASSERT_EQ(credential_types().size(), 2u);
  EXPECT_EQ(credential_types()[0].name, "weft.basicAuth");  // sorted by name
  EXPECT_EQ(credential_types()[0].plugin->name, "weft-http-request");
}

TEST(CredentialTypes, ARegistryOfNoTypesKnowsNothingAndHidesEveryField) {
  auto empty = CredentialTypeRegistry::of({});
  EXPECT_EQ(empty->find("weft.basicAuth"), nullptr);
  EXPECT_EQ(empty->names(), "");
  PublicView v = public_view(empty->find("weft.basicAuth"), {{"user", "a"}, {"password", "p"}});
  EXPECT_TRUE(v.data.empty());
  EXPECT_EQ(v.secrets_set, (std::vector<std::string>{"password", "user"}));
}

TEST(CredentialTypes, TheCatalogViewShowsFieldsAndSecretFlagsOnly) {
  Json j = credential_type_json(type("weft.httpHeaderAuth"));
  EXPECT_EQ(j["name"], "weft.httpHeaderAuth");
  EXPECT_EQ(j["plugin"], "weft-http-request");
  ASSERT_EQ(j["fields"].size(), 2u);
  EXPECT_EQ(j["fields"][0], (Json{{"name", "name"}, {"type", "string"}, {"required", true}, {"secret", false},
                                  {"description", "the header to send, e.g. X-API-Key"},
                                  {"format", "httpHeaderName"}}));
  EXPECT_EQ(j["fields"][1]["secret"], true);
}

TEST(CredentialTypes, DeclareWhichFieldsAreSecret) {
  const CredentialType& header = type("weft.httpHeaderAuth");
  ASSERT_NE(header.field("name"), nullptr);
  EXPECT_FALSE(header.field("name")->secret);
  EXPECT_TRUE(header.field("name")->required);
  ASSERT_NE(header.field("value"), nullptr);
  EXPECT_TRUE(header.field("value")->secret);
  EXPECT_TRUE(header.field("value")->required);
  EXPECT_EQ(header.field("password"), nullptr);

  const CredentialType& basic = type("weft.basicAuth");
  ASSERT_NE(basic.field("user"), nullptr);
  EXPECT_FALSE(basic.field("user")->secret);
  ASSERT_NE(basic.field("password"), nullptr);
  EXPECT_TRUE(basic.field("password")->secret);
}

TEST(CredentialTypes, AcceptsCompleteValidData) {
  EXPECT_EQ(problem_of("weft.httpHeaderAuth", {{"name", "X-API-Key"}, {"value", "s3cr3t"}}), "");
  EXPECT_EQ(problem_of("weft.httpHeaderAuth", {{"name", "Authorization"}, {"value", "Bearer a b\tc"}}), "");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "alice"}, {"password", "p:w d"}}), "");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "alice"}, {"password", ""}}), "");
}

TEST(CredentialTypes, NamesTheTypeAndFieldAtFault) {
  EXPECT_EQ(problem_of("weft.basicAuth", Json::array()), "weft.basicAuth: data must be a JSON object");
  EXPECT_EQ(problem_of("weft.basicAuth", "text"), "weft.basicAuth: data must be a JSON object");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"password", "pw"}}), "weft.basicAuth: field 'user' is required");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "alice"}}), "weft.basicAuth: field 'password' is required");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "alice"}, {"password", nullptr}}),
            "weft.basicAuth: field 'password' is required");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "alice"}, {"password", "pw"}, {"domain", "x"}}),
            "weft.basicAuth: unknown field 'domain' (the fields are user, password)");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", 7}, {"password", "pw"}}),
            "weft.basicAuth: field 'user' must be a string");
  EXPECT_EQ(problem_of("weft.httpHeaderAuth", {{"name", "X-Key"}, {"value", true}}),
            "weft.httpHeaderAuth: field 'value' must be a string");
  EXPECT_EQ(problem_of("weft.httpHeaderAuth", {{"name", "X-Key"}, {"value", {{"nested", 1}}}}),
            "weft.httpHeaderAuth: field 'value' must be a string");
}

TEST(CredentialTypes, AnUnknownFieldNameIsCutInTheMessage) {
  std::string long_name(500, 'k');
  std::string message = problem_of("weft.basicAuth", {{"user", "a"}, {"password", "b"}, {long_name, 1}});
  EXPECT_NE(message.find("unknown field 'kkkk"), std::string::npos) << message;
  EXPECT_LT(message.size(), 200u) << message;
}

TEST(CredentialTypes, HeaderNameMustBeAnHttpToken) {
  for (const char* ok : {"X-API-Key", "x_key", "A", "!#$%&'*+-.^_`|~09az"})
    EXPECT_EQ(problem_of("weft.httpHeaderAuth", {{"name", ok}, {"value", "v"}}), "") << ok;
  for (const char* bad : {"", "X Key", "X-Key:", "X(Key)", "X\r\nInjected", "Ké", "a/b"}) {
    std::string message = problem_of("weft.httpHeaderAuth", {{"name", bad}, {"value", "v"}});
    EXPECT_EQ(message.rfind("weft.httpHeaderAuth: field 'name' must be a valid HTTP header name", 0), 0u)
        << bad << " -> " << message;
  }
}

TEST(CredentialTypes, RefusesControlCharactersWithoutQuotingTheSecret) {
  const std::string secret = "hunter2-SECRET\r\nX-Evil: 1";
  std::string message = problem_of("weft.httpHeaderAuth", {{"name", "X-Key"}, {"value", secret}});
  EXPECT_EQ(message.rfind("weft.httpHeaderAuth: field 'value' must not contain control characters", 0), 0u)
      << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;

  message = problem_of("weft.basicAuth", {{"user", "alice"}, {"password", std::string("pw\0x", 4)}});
  EXPECT_EQ(message, "weft.basicAuth: field 'password' must not contain control characters");
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "ali\nce"}, {"password", "pw"}}),
            "weft.basicAuth: field 'user' must not contain control characters");
}

TEST(CredentialTypes, BasicAuthUserMustNotHoldAColon) {
  EXPECT_EQ(problem_of("weft.basicAuth", {{"user", "al:ice"}, {"password", "pw"}}),
            "weft.basicAuth: field 'user' must not contain ':'");
}

TEST(CredentialTypes, PublicViewDropsSecretFields) {
  PublicView v = public_view(&type("weft.httpHeaderAuth"), {{"name", "X-Key"}, {"value", "s3cr3t"}});
  EXPECT_EQ(v.data, (Json{{"name", "X-Key"}}));
  EXPECT_EQ(v.secrets_set, (std::vector<std::string>{"value"}));
  EXPECT_EQ(v.data.dump().find("s3cr3t"), std::string::npos);

  v = public_view(&type("weft.basicAuth"), {{"user", "alice"}, {"password", "pw"}});
  EXPECT_EQ(v.data, (Json{{"user", "alice"}}));
  EXPECT_EQ(v.secrets_set, (std::vector<std::string>{"password"}));

  // A secret that is not set is not listed; a null counts as not set.
  v = public_view(&type("weft.basicAuth"), {{"user", "alice"}, {"password", nullptr}});
  EXPECT_EQ(v.data, (Json{{"user", "alice"}}));
  EXPECT_TRUE(v.secrets_set.empty());
}

TEST(CredentialTypes, PublicViewHidesWhatTheTypeDoesNotDeclare) {
  // A field the type does not know (stored before a type changed) is hidden, not shown.
  PublicView v = public_view(&type("weft.basicAuth"), {{"user", "alice"}, {"token", "t0k"}});
  EXPECT_EQ(v.data, (Json{{"user", "alice"}}));
  EXPECT_EQ(v.secrets_set, (std::vector<std::string>{"token"}));
  // Without a type, everything counts as secret.
  v = public_view(nullptr, {{"user", "alice"}, {"apiKey", "k"}});
  EXPECT_EQ(v.data, Json::object());
  EXPECT_EQ(v.secrets_set, (std::vector<std::string>{"apiKey", "user"}));
  // Data that is not an object shows nothing.
  v = public_view(&type("weft.basicAuth"), "opaque-secret");
  EXPECT_EQ(v.data, Json::object());
  EXPECT_TRUE(v.secrets_set.empty());
}

TEST(CredentialTypes, MergeReplacesKeepsAndRemovesFieldByField) {
  Json stored = {{"user", "alice"}, {"password", "old"}};
  EXPECT_EQ(merge_credential_data(stored, {{"user", "bob"}}), (Json{{"user", "bob"}, {"password", "old"}}));
  EXPECT_EQ(merge_credential_data(stored, {{"password", "new"}}), (Json{{"user", "alice"}, {"password", "new"}}));
  EXPECT_EQ(merge_credential_data(stored, Json::object()), stored);
  EXPECT_EQ(merge_credential_data(stored, {{"password", nullptr}}), (Json{{"user", "alice"}}));
  EXPECT_EQ(merge_credential_data(nullptr, {{"user", "x"}}), (Json{{"user", "x"}}));
  // The merge does not validate: removing a required field is caught by validation after it.
  EXPECT_EQ(problem_of("weft.basicAuth", merge_credential_data(stored, {{"password", nullptr}})),
            "weft.basicAuth: field 'password' is required");
}

}  // namespace
}  // namespace weft::credentials
