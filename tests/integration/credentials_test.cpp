// /api/v1/credentials over real sockets: create, list (type filter, pagination), get, patch
// (field-by-field merge, If-Match), delete, bad bodies, and the rule that a secret field never
// comes back: a planted secret is searched for in every raw response and in the server's output.
// What the store holds is read from the server's SQLite file directly.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace weft::test {
namespace {

const std::string kCredentials = "/api/v1/credentials";

std::string detail_of(const HttpResult& r) {
  Json p = r.json();
  return p.value("detail", "");
}

Json header_auth(const std::string& name, const std::string& header, const std::string& value) {
  return {{"name", name}, {"type", "weft.httpHeaderAuth"}, {"data", {{"name", header}, {"value", value}}}};
}

Json basic_auth(const std::string& name, const std::string& user, const std::string& password) {
  return {{"name", name}, {"type", "weft.basicAuth"}, {"data", {{"user", user}, {"password", password}}}};
}

class Credentials : public SharedServerTest {
 protected:
  HttpResult create(const Json& body) { return server->send_json("POST", kCredentials, body, server->as_admin()); }
  HttpResult get(const std::string& path) { return server->get(path, server->as_admin()); }
  HttpResult patch(const std::string& id, const Json& body, Headers h = {}) {
    return server->send_json("PATCH", kCredentials + "/" + id, body, server->as_admin(h));
  }
  HttpResult del(const std::string& id, Headers h = {}) {
    return server->request("DELETE", kCredentials + "/" + id, "", server->as_admin(h));
  }
  // Creates `body` and returns the answer; fails the test when it is not 201.
  Json must_create(const Json& body) {
    HttpResult r = create(body);
    EXPECT_EQ(r.status, 201) << r.body << r.error;
    return r.json();
  }

  // The `data` the store holds for credential `id` (null when there is no such credential),
  // read from the server's SQLite file.
  static Json stored_data(const std::string& id) {
    Json data = stored_document(server->data_dir(), "credentials", id)["data"];
    // Secret fields are sealed at rest: shown here as "<sealed>", the vault's bookkeeping left out.
    if (data.is_object()) {
      data.erase("$sealVersion");
      for (auto& [field, value] : data.items())
        if (value.is_object() && value.contains("$sealed") && value.contains("ciphertext")) value = "<sealed>";
    }
    return data;
  }
};

TEST_F(Credentials, EveryRouteAnswers401WithoutAKey) {
  std::vector<std::pair<std::string, std::string>> routes = {{"POST", kCredentials},
                                                              {"GET", kCredentials},
                                                              {"GET", kCredentials + "/x"},
                                                              {"PATCH", kCredentials + "/x"},
                                                              {"DELETE", kCredentials + "/x"}};
  for (const auto& [method, path] : routes) {
    HttpResult r = server->request(method, path, "{}", {{"Content-Type", "application/json"}});
    expect_problem(r, 401, "unauthorized");
    HttpResult wrong = server->request(method, path, "{}",
                                       {{"Content-Type", "application/json"}, {"X-API-Key", "weft_not-a-key"}});
    EXPECT_EQ(wrong.status, 401) << method << " " << path << " " << wrong.body;
  }
}

TEST_F(Credentials, CreateGetListPatchDelete) {
  HttpResult created = create(header_auth("crm key", "X-API-Key", "value-one"));
  ASSERT_EQ(created.status, 201) << created.body;
  const Json c = created.json();
  const std::string id = c["id"];
  EXPECT_EQ(created.header("Location"), kCredentials + "/" + id);
  EXPECT_FALSE(created.header("ETag").empty());
  EXPECT_EQ(c["name"], "crm key");
  EXPECT_EQ(c["type"], "weft.httpHeaderAuth");
  EXPECT_EQ(c["data"], (Json{{"name", "X-API-Key"}}));
  EXPECT_EQ(c["secretsSet"], (Json{"value"}));
  EXPECT_TRUE(c["createdAt"].is_number_integer());
  EXPECT_EQ(c["createdAt"], c["updatedAt"]);
  EXPECT_EQ(stored_data(id), (Json{{"name", "X-API-Key"}, {"value", "<sealed>"}}));

  // Which secret the server holds, told by a webhook that checks callers against it.
  Json hook = {{"name", "guarded"},
               {"nodes", {{{"id", "hook"}, {"type", "weft.webhook"}, {"typeVersion", 1},
                           {"parameters", {{"path", "cred-" + id}, {"auth", "header"}, {"credential", id}}}}}},
               {"edges", Json::array()}};
  HttpResult w = server->send_json("POST", "/api/v1/workflows", hook, server->as_admin());
  ASSERT_EQ(w.status, 201) << w.body;
  ASSERT_EQ(server->request("POST", "/api/v1/workflows/" + w.json()["id"].get<std::string>() + "/activate", "",
                            server->as_admin())
                .status,
            200);
  auto holds = [&](const std::string& header, const std::string& value) {
    return server->request("POST", "/webhook/cred-" + id, "", {{header, value}}).status == 202;
  };
  EXPECT_TRUE(holds("X-API-Key", "value-one"));
  EXPECT_FALSE(holds("X-API-Key", "value-two"));

  HttpResult got = get(kCredentials + "/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json(), c);
  EXPECT_EQ(got.header("ETag"), created.header("ETag"));

  HttpResult listed = get(kCredentials + "?type=weft.httpHeaderAuth&limit=1000");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const Json page = listed.json();
  bool found = false;
  for (const auto& item : page["items"]) {
    EXPECT_EQ(item["type"], "weft.httpHeaderAuth") << item.dump();
    if (item["id"] == id) {
      found = true;
      EXPECT_EQ(item, c);
    }
  }
  EXPECT_TRUE(found) << listed.body;

  // A rename keeps the data; the secret stays as stored.
  HttpResult renamed = patch(id, {{"name", "crm"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["name"], "crm");
  EXPECT_EQ(renamed.json()["secretsSet"], (Json{"value"}));
  EXPECT_NE(renamed.header("ETag"), created.header("ETag"));
  EXPECT_EQ(stored_data(id), (Json{{"name", "X-API-Key"}, {"value", "<sealed>"}}));
  EXPECT_TRUE(holds("X-API-Key", "value-one"));

  // A plain field changed without sending the secret again keeps the secret.
  HttpResult header = patch(id, {{"data", {{"name", "X-Token"}}}});
  ASSERT_EQ(header.status, 200) << header.body;
  EXPECT_EQ(header.json()["data"], (Json{{"name", "X-Token"}}));
  EXPECT_EQ(stored_data(id), (Json{{"name", "X-Token"}, {"value", "<sealed>"}}));
  EXPECT_TRUE(holds("X-Token", "value-one"));

  // A secret sent replaces the stored one.
  HttpResult rotated = patch(id, {{"data", {{"value", "value-two"}}}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_EQ(rotated.json()["data"], (Json{{"name", "X-Token"}}));
  EXPECT_EQ(stored_data(id), (Json{{"name", "X-Token"}, {"value", "<sealed>"}}));
  EXPECT_TRUE(holds("X-Token", "value-two"));
  EXPECT_FALSE(holds("X-Token", "value-one"));

  // Removing a required secret is refused, and nothing changes.
  HttpResult removed = patch(id, {{"data", {{"value", nullptr}}}});
  expect_problem(removed, 422, "validation");
  EXPECT_NE(detail_of(removed).find("field 'value' is required"), std::string::npos) << removed.body;
  EXPECT_EQ(stored_data(id), (Json{{"name", "X-Token"}, {"value", "<sealed>"}}));
  EXPECT_TRUE(holds("X-Token", "value-two"));

  HttpResult gone = del(id);
  EXPECT_EQ(gone.status, 204) << gone.body;
  EXPECT_TRUE(gone.body.empty());
  expect_problem(get(kCredentials + "/" + id), 404, "not-found");
  expect_problem(del(id), 404, "not-found");
  EXPECT_TRUE(stored_data(id).is_null());
}

TEST_F(Credentials, BasicAuthShowsTheUserOnly) {
  Json c = must_create(basic_auth("intranet", "alice", "pa:ss word"));
  EXPECT_EQ(c["data"], (Json{{"user", "alice"}}));
  EXPECT_EQ(c["secretsSet"], (Json{"password"}));
  HttpResult colon = patch(c["id"], {{"data", {{"user", "al:ice"}}}});
  expect_problem(colon, 422, "validation");
  EXPECT_EQ(detail_of(colon), "weft.basicAuth: field 'user' must not contain ':'");
  EXPECT_EQ(stored_data(c["id"]), (Json{{"user", "alice"}, {"password", "<sealed>"}}));
}

TEST_F(Credentials, APlantedSecretNeverComesBack) {
  const std::string secret = "PLANTED-s3cr3t-7f1c2a9e";
  std::vector<HttpResult> answers;
  auto keep = [&](HttpResult r) {
    answers.push_back(r);
    return r;
  };
  HttpResult created = keep(create(header_auth("planted", "X-Planted", secret)));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  keep(get(kCredentials + "/" + id));
  keep(get(kCredentials));
  keep(get(kCredentials + "?type=weft.httpHeaderAuth&limit=1"));
  keep(patch(id, {{"name", "planted again"}}));
  keep(patch(id, {{"data", {{"value", secret + "-2"}}}}));
  // Refused writes carrying the secret: invalid alongside it, wrong type, control characters,
  // unknown field, stale If-Match.
  EXPECT_EQ(keep(patch(id, {{"data", {{"name", "bad name"}, {"value", secret}}}})).status, 422);
  EXPECT_EQ(keep(patch(id, {{"data", {{"value", secret + "\r\nX-Evil: 1"}}}})).status, 422);
  EXPECT_EQ(keep(patch(id, {{"data", {{"value", secret}, {"extra", secret}}}})).status, 422);
  EXPECT_EQ(keep(patch(id, {{"data", {{"value", secret}}}}, {{"If-Match", "\"999999\""}})).status, 412);
  EXPECT_EQ(keep(create(header_auth("bad", "X Bad", secret))).status, 422);
  EXPECT_EQ(keep(create({{"name", "t"}, {"type", "weft.nope"}, {"data", {{"value", secret}}}})).status, 422);
  EXPECT_EQ(keep(create({{"name", "t"}, {"type", "weft.basicAuth"}, {"data", {{"user", secret}}}})).status, 422);
  EXPECT_EQ(keep(server->request("POST", kCredentials, "{\"name\": \"x\", \"data\": {\"value\": \"" + secret + "\"",
                                 server->as_admin({{"Content-Type", "application/json"}})))
                .status,
            400);
  // A string left open: the parser's own message would quote what it last read.
  EXPECT_EQ(keep(server->request("POST", kCredentials, "{\"name\": \"x\", \"data\": {\"value\": \"" + secret,
                                 server->as_admin({{"Content-Type", "application/json"}})))
                .status,
            400);
  keep(get(kCredentials + "/" + id));
  for (const auto& r : answers) {
    EXPECT_EQ(r.body.find("PLANTED"), std::string::npos) << r.status << " " << r.body;
    for (const auto& [name, value] : r.headers) EXPECT_EQ(value.find("PLANTED"), std::string::npos) << name;
  }
  // The store holds the secret, sealed (tests/integration/vault_test.cpp reads the file for it).
  EXPECT_EQ(stored_data(id)["value"], "<sealed>");
  EXPECT_EQ(server->process().stdout_text().find("PLANTED"), std::string::npos);
  EXPECT_EQ(server->process().stderr_text().find("PLANTED"), std::string::npos);
}

TEST_F(Credentials, BadBodiesAreRefusedNamingWhatIsWrong) {
  HttpResult malformed = server->request("POST", kCredentials, "{\"name\": ",
                                         server->as_admin({{"Content-Type", "application/json"}}));
  expect_problem(malformed, 400, "bad-request");

  HttpResult array = create(Json::array());
  expect_problem(array, 422, "validation");
  EXPECT_EQ(detail_of(array), "the body must be a JSON object");

  Json extra = basic_auth("x", "u", "p");
  extra["owner"] = "someone-else";
  HttpResult owner = create(extra);
  expect_problem(owner, 422, "validation");
  EXPECT_EQ(detail_of(owner), "field 'owner' cannot be set (name, type, data can)");

  Json no_name = basic_auth("", "u", "p");
  expect_problem(create(no_name), 422, "validation");
  EXPECT_EQ(detail_of(create(no_name)), "name must be a string of 1 to 200 characters");

  HttpResult unknown = create({{"name", "x"}, {"type", "weft.oauth9"}, {"data", Json::object()}});
  expect_problem(unknown, 422, "validation");
  EXPECT_EQ(detail_of(unknown), "unknown credential type 'weft.oauth9' (known: weft.basicAuth, weft.httpHeaderAuth)");
  EXPECT_EQ(unknown.json()["knownTypes"], (Json{"weft.basicAuth", "weft.httpHeaderAuth"}));

  HttpResult no_type = create({{"name", "x"}, {"data", Json::object()}});
  expect_problem(no_type, 422, "validation");
  EXPECT_NE(detail_of(no_type).find("type must be a string"), std::string::npos) << no_type.body;

  HttpResult no_data = create({{"name", "x"}, {"type", "weft.basicAuth"}});
  expect_problem(no_data, 422, "validation");
  EXPECT_EQ(detail_of(no_data), "data is required: the fields of a weft.basicAuth");

  HttpResult missing = create({{"name", "x"}, {"type", "weft.basicAuth"}, {"data", {{"user", "u"}}}});
  expect_problem(missing, 422, "validation");
  EXPECT_EQ(detail_of(missing), "weft.basicAuth: field 'password' is required");

  HttpResult wrong_kind =
      create({{"name", "x"}, {"type", "weft.httpHeaderAuth"}, {"data", {{"name", 42}, {"value", "v"}}}});
  expect_problem(wrong_kind, 422, "validation");
  EXPECT_EQ(detail_of(wrong_kind), "weft.httpHeaderAuth: field 'name' must be a string");

  HttpResult stray = create({{"name", "x"}, {"type", "weft.httpHeaderAuth"},
                             {"data", {{"name", "X-K"}, {"value", "v"}, {"prefix", "Bearer"}}}});
  expect_problem(stray, 422, "validation");
  EXPECT_EQ(detail_of(stray), "weft.httpHeaderAuth: unknown field 'prefix' (the fields are name, value)");

  HttpResult text = server->request("POST", kCredentials, "name=x", server->as_admin({{"Content-Type", "text/plain"}}));
  EXPECT_EQ(text.status, 415) << text.body;

  // PATCH: the type is fixed, unknown members and non-object data are refused.
  Json c = must_create(basic_auth("patch target", "u", "p"));
  const std::string id = c["id"];
  HttpResult type_change = patch(id, {{"type", "weft.httpHeaderAuth"}});
  expect_problem(type_change, 422, "validation");
  EXPECT_EQ(detail_of(type_change), "type cannot be changed: create a new credential instead");
  HttpResult id_change = patch(id, {{"id", "mine"}});
  expect_problem(id_change, 422, "validation");
  EXPECT_EQ(detail_of(id_change), "field 'id' cannot be set (name, data can)");
  HttpResult data_text = patch(id, {{"data", "u:p"}});
  expect_problem(data_text, 422, "validation");
  EXPECT_EQ(detail_of(data_text), "data must be a JSON object of fields to change");
  expect_problem(patch(id, {{"name", ""}}), 422, "validation");
  expect_problem(server->request("PATCH", kCredentials + "/" + id, "[",
                                 server->as_admin({{"Content-Type", "application/json"}})),
                 400, "bad-request");
  EXPECT_EQ(get(kCredentials + "/" + id).json(), c);  // nothing of the above changed it
}

TEST_F(Credentials, UnknownIdsAre404) {
  expect_problem(get(kCredentials + "/no-such-id"), 404, "not-found");
  expect_problem(patch("no-such-id", {{"name", "x"}}), 404, "not-found");
  expect_problem(del("no-such-id"), 404, "not-found");
  // A workflow id or an API key id is not a credential id.
  HttpResult keys = get("/api/v1/api-keys");
  ASSERT_EQ(keys.status, 200) << keys.body;
  const Json key_page = keys.json();
  ASSERT_FALSE(key_page["items"].empty());
  expect_problem(get(kCredentials + "/" + key_page["items"][0]["id"].get<std::string>()), 404, "not-found");
}

TEST_F(Credentials, IfMatchGuardsPatchAndDelete) {
  HttpResult created = create(basic_auth("guarded", "u", "p"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  const std::string etag = created.header("ETag");

  HttpResult first = patch(id, {{"name", "guarded 2"}}, {{"If-Match", etag}});
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResult stale = patch(id, {{"name", "guarded 3"}}, {{"If-Match", etag}});
  expect_problem(stale, 412, "precondition-failed");
  EXPECT_EQ(get(kCredentials + "/" + id).json()["name"], "guarded 2");
  expect_problem(patch(id, {{"name", "x"}}, {{"If-Match", "yesterday"}}), 400, "bad-request");

  expect_problem(del(id, {{"If-Match", etag}}), 412, "precondition-failed");
  EXPECT_EQ(get(kCredentials + "/" + id).status, 200);
  EXPECT_EQ(del(id, {{"If-Match", first.header("ETag")}}).status, 204);
}

TEST_F(Credentials, ListsPageThroughEveryCredentialOnce) {
  std::set<std::string> mine;
  for (int i = 0; i < 5; ++i)
    mine.insert(must_create(basic_auth("paged " + std::to_string(i), "user" + std::to_string(i), "pw"))["id"]);
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    HttpResult r = get(kCredentials + "?type=weft.basicAuth&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    const Json page = r.json();
    EXPECT_LE(page["items"].size(), 2u);
    for (const auto& item : page["items"]) {
      EXPECT_EQ(item["type"], "weft.basicAuth");
      EXPECT_EQ(item["secretsSet"], (Json{"password"}));
      EXPECT_FALSE(item["data"].contains("password"));
      seen.push_back(item["id"]);
    }
    cursor = page["nextCursor"].is_null() ? "" : page["nextCursor"].get<std::string>();
    ASSERT_LT(++pages, 100) << "pagination does not end";
  } while (!cursor.empty());
  EXPECT_GE(pages, 3);
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "an item came twice";
  for (const auto& id : mine) EXPECT_EQ(unique.count(id), 1u) << id;

  expect_problem(get(kCredentials + "?limit=0"), 400, "bad-request");
  expect_problem(get(kCredentials + "?type="), 400, "bad-request");
  HttpResult none = get(kCredentials + "?type=weft.nothing");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_TRUE(none.json()["items"].empty());
}

TEST_F(Credentials, OpenApiDocumentsTheRoutes) {
  HttpResult r = server->get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json doc = r.json();
  for (const char* m : {"get", "post"}) EXPECT_TRUE(doc["paths"][kCredentials].contains(m)) << m;
  for (const char* m : {"get", "patch", "delete"}) EXPECT_TRUE(doc["paths"][kCredentials + "/{id}"].contains(m)) << m;
  for (const char* schema : {"Credential", "NewCredential", "CredentialPatch"})
    EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
  // The schema of a credential's answer has no secret field.
  EXPECT_FALSE(doc["components"]["schemas"]["Credential"]["properties"]["data"].contains("properties"));
}

}  // namespace
}  // namespace weft::test
