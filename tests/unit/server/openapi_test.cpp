#include "api/api_routes.hpp"
#include "http/openapi.hpp"

#include <gtest/gtest.h>

#include <set>

namespace weft::http {
namespace {

// Every (method, path) of the document.
std::set<std::string> operations_of(const Json& doc) {
  std::set<std::string> out;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items()) out.insert(method + " " + path);
  return out;
}

TEST(OpenApi, DocumentsEveryRouteWithParametersAndSchemas) {
  Router router;
  router.add_schema("Workflow", {{"type", "object"}});
  RouteSpec list;
  list.operation_id = "listWorkflows";
  list.permission = security::Permission::kWorkflowRead;
  list.tag = "workflows";
  list.paginated = true;
  list.response_schema = "Workflow";
  list.query = {{"active", "boolean", "only active ones", false}};
  router.add("GET", "/api/v1/workflows", list, [](Request&) { return Response::no_content(); });
  RouteSpec create;
  create.operation_id = "createWorkflow";
  create.permission = security::Permission::kWorkflowWrite;
  create.body = BodyKind::kJson;
  create.request_schema = "Workflow";
  create.response_schema = "Workflow";
  create.success_status = 201;
  router.add("POST", "/api/v1/workflows", create, [](Request&) { return Response::no_content(); });
  RouteSpec version;
  version.operation_id = "getVersion";
  version.self_service = true;
  router.add("GET", "/api/v1/workflows/{id}/versions/{version}", version, [](Request&) { return Response::no_content(); });
  RouteSpec hook;
  hook.operation_id = "callWebhook";
  hook.is_public = true;
  hook.body = BodyKind::kRaw;
  router.add("POST", "/webhook/{path...}", hook, [](Request&) { return Response::no_content(); });

  OpenApiInfo info;
  info.version = "9.9.9";
  info.security_schemes = {{"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}};
  Json doc = openapi_document(router, info);

  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["info"]["version"], "9.9.9");
  EXPECT_EQ(operations_of(doc), (std::set<std::string>{"get /api/v1/workflows", "post /api/v1/workflows",
                                                        "get /api/v1/workflows/{id}/versions/{version}",
                                                        "post /webhook/{path}"}));
  const Json& l = doc["paths"]["/api/v1/workflows"]["get"];
  EXPECT_EQ(l["operationId"], "listWorkflows");
  EXPECT_EQ(l["tags"][0], "workflows");
  std::set<std::string> params;
  for (const auto& p : l["parameters"]) params.insert(p["name"].get<std::string>() + "@" + p["in"].get<std::string>());
  EXPECT_EQ(params, (std::set<std::string>{"limit@query", "cursor@query", "active@query"}));
  EXPECT_EQ(l["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["items"]["items"]["$ref"],
            "#/components/schemas/Workflow");
  EXPECT_EQ(l["responses"]["401"]["content"]["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem");
  EXPECT_EQ(l["security"][0].begin().key(), "apiKey");

  const Json& c = doc["paths"]["/api/v1/workflows"]["post"];
  EXPECT_EQ(c["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Workflow");
  EXPECT_TRUE(c["responses"].contains("201"));
  EXPECT_EQ(c["x-weft-permission"], "workflow.write");
  EXPECT_TRUE(c["responses"].contains("403"));

  const Json& v = doc["paths"]["/api/v1/workflows/{id}/versions/{version}"]["get"];
  ASSERT_EQ(v["parameters"].size(), 2u);
  EXPECT_EQ(v["parameters"][0]["name"], "id");
  EXPECT_EQ(v["parameters"][0]["in"], "path");
  EXPECT_EQ(v["parameters"][0]["required"], true);

  EXPECT_FALSE(v.contains("x-weft-permission"));  // self-service

  const Json& w = doc["paths"]["/webhook/{path}"]["post"];
  EXPECT_EQ(w["security"], Json::array());
  EXPECT_FALSE(w["responses"].contains("401"));

  EXPECT_TRUE(doc["components"]["schemas"].contains("Workflow"));
  EXPECT_EQ(doc["components"]["schemas"]["Problem"], problem_schema());
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("apiKey"));
}

TEST(OpenApi, ServeRouteTableIsDocumentedExactly) {
  api::ApiContext context;
  context.openapi = api::default_openapi_info();
  auto router = api::build_router(context);
  Json doc = openapi_document(*router, context.openapi);
  std::set<std::string> expected, ids;
  for (const auto& r : router->routes()) {
    std::string m = r.method;
    for (char& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    expected.insert(m + " " + openapi_path(r.path));
    EXPECT_TRUE(ids.insert(r.spec.operation_id).second);
  }
  EXPECT_EQ(operations_of(doc), expected);
  for (const char* route : {"get /health", "get /ready", "get /api/v1/openapi.json", "get /api/v1/node-types",
                            "get /api/v1/plugins"})
    EXPECT_TRUE(expected.count(route)) << route;
  // Every $ref points at a registered schema.
  std::string text = doc.dump();
  for (size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    size_t end = text.find('"', at);
    std::string name = text.substr(at + 21, end - at - 21);
    EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << name;
  }
}

}  // namespace
}  // namespace weft::http
