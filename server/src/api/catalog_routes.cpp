// GET /api/v1/node-types, GET /api/v1/plugins and GET /api/v1/credential-types: what the
// loaded plugins provide.
#include "api/api_routes.hpp"
#include "credentials/credential_types.hpp"
#include "plugin_catalog.hpp"

namespace weft::api {

namespace {

using http::Request;
using http::Response;

Response node_types(const ApiContext& ctx) {
  Json items = Json::array();
  if (ctx.plugins) {
    for (const auto& t : ctx.plugins->registry().all()) {
      Json item = {{"name", t->name},
                   {"typeVersion", t->version},
                   {"trigger", t->trigger},
                   {"inputs", t->inputs},
                   {"outputs", t->outputs},
                   {"description", t->description}};
      if (t->plugin) item["plugin"] = t->plugin->name;
      items.push_back(std::move(item));
    }
  }
  return Response::json({{"items", std::move(items)}});
}

// The credential types the plugins declared, sorted by name: fields with their secret flags,
// never a value.
Response credential_types() {
  Json items = Json::array();
  for (const auto& t : credentials::credential_types()) items.push_back(credentials::credential_type_json(t));
  return Response::json({{"items", std::move(items)}});
}

Response plugins(const ApiContext& ctx) {
  if (!ctx.plugins) return Response::json(plugins_document(PluginHost()));
  return Response::json(plugins_document(*ctx.plugins));
}

}  // namespace

void add_catalog_routes(http::Router& router, const ApiContext& context) {
  Json strings = {{"type", "array"}, {"items", {{"type", "string"}}}};
  router.add_schema("NodeType", {{"type", "object"},
                                 {"required", {"name", "typeVersion", "description"}},
                                 {"properties", {{"name", {{"type", "string"}}},
                                                 {"typeVersion", {{"type", "integer"}}},
                                                 {"trigger", {{"type", "boolean"}}},
                                                 {"inputs", strings},
                                                 {"outputs", strings},
                                                 {"plugin", {{"type", "string"}}},
                                                 {"description", {{"type", "object"}, {"description", "as the plugin registered it"}}}}}});
  router.add_schema("NodeTypeList", {{"type", "object"},
                                     {"required", {"items"}},
                                     {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/NodeType"}}}}}}}});
  router.add_schema("PluginList",
                    {{"type", "object"},
                     {"required", {"abi", "plugins", "refused"}},
                     {"properties",
                      {{"abi", {{"type", "string"}}},
                       {"plugins", {{"type", "array"},
                                    {"items", {{"type", "object"},
                                               {"properties", {{"name", {{"type", "string"}}},
                                                               {"version", {{"type", "string"}}},
                                                               {"abi", {{"type", "string"}}},
                                                               {"buildId", {{"type", "string"}}},
                                                               {"file", {{"type", "string"}}},
                                                               {"nodeTypes", strings},
                                                               {"storageBackends", strings},
                                                               {"authProviders", strings}}}}}}},
                       {"refused", {{"type", "array"},
                                    {"items", {{"type", "object"},
                                               {"properties", {{"file", {{"type", "string"}}}, {"reason", {{"type", "string"}}}}}}}}}}}});

  router.add("GET", "/api/v1/node-types",
             {.operation_id = "listNodeTypes", .summary = "Every registered node type and version, with its description",
              .tag = "catalog", .permission = security::Permission::kWorkflowRead, .response_schema = "NodeTypeList"},
             [&context](Request&) { return node_types(context); });
  router.add("GET", "/api/v1/plugins",
             {.operation_id = "listPlugins", .summary = "Loaded plugins (version, ABI, build id) and refused files with why",
              .tag = "catalog", .permission = security::Permission::kWorkflowRead, .response_schema = "PluginList"},
             [&context](Request&) { return plugins(context); });

  router.add_schema("CredentialTypeList",
                    {{"type", "object"},
                     {"required", {"items"}},
                     {"properties",
                      {{"items",
                        {{"type", "array"},
                         {"items",
                          {{"type", "object"},
                           {"required", {"name", "displayName", "fields"}},
                           {"properties",
                            {{"name", {{"type", "string"}}},
                             {"displayName", {{"type", "string"}}},
                             {"description", {{"type", "string"}}},
                             {"plugin", {{"type", "string"}}},
                             {"fields",
                              {{"type", "array"},
                               {"items", {{"type", "object"},
                                          {"properties", {{"name", {{"type", "string"}}},
                                                          {"type", {{"type", "string"}, {"enum", {"string", "boolean", "integer"}}}},
                                                          {"required", {{"type", "boolean"}}},
                                                          {"secret", {{"type", "boolean"}}},
                                                          {"description", {{"type", "string"}}},
                                                          {"format", {{"type", "string"}}}}}}}}}}}}}}}}}});
  router.add("GET", "/api/v1/credential-types",
             {.operation_id = "listCredentialTypes",
              .summary = "Credential types the plugins declared: fields, which are required and which are secret",
              .tag = "catalog", .permission = security::Permission::kCredentialRead,
              .response_schema = "CredentialTypeList"},
             [](Request&) { return credential_types(); });
}

}  // namespace weft::api
