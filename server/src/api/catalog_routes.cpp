// GET /api/v1/node-types and GET /api/v1/plugins: what the loaded plugins provide.
#include "api/api_routes.hpp"
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
              .tag = "catalog", .response_schema = "NodeTypeList"},
             [&context](Request&) { return node_types(context); });
  router.add("GET", "/api/v1/plugins",
             {.operation_id = "listPlugins", .summary = "Loaded plugins (version, ABI, build id) and refused files with why",
              .tag = "catalog", .response_schema = "PluginList"},
             [&context](Request&) { return plugins(context); });
}

}  // namespace weft::api
