#include "http/openapi.hpp"

#include "http/pagination.hpp"
#include "http/problem.hpp"

#include <algorithm>
#include <cctype>

namespace weft::http {

namespace {

Json ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

Json problem_response(const std::string& description) {
  return {{"description", description},
          {"content", {{kProblemContentType, {{"schema", ref("Problem")}}}}}};
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Json operation(const Route& route, const OpenApiInfo& info) {
  const RouteSpec& spec = route.spec;
  Json op = {{"operationId", spec.operation_id}};
  if (!spec.summary.empty()) op["summary"] = spec.summary;
  if (!spec.tag.empty()) op["tags"] = Json::array({spec.tag});
  Json params = Json::array();
  for (const auto& s : route.path.segments()) {
    if (s.kind == RouteTemplate::Segment::Kind::kLiteral) continue;
    Json p = {{"name", s.text}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
    if (s.kind == RouteTemplate::Segment::Kind::kRest) p["description"] = "the rest of the path; may contain '/'";
    params.push_back(std::move(p));
  }
  if (spec.paginated) {
    params.push_back({{"name", "limit"},
                      {"in", "query"},
                      {"required", false},
                      {"description", "items per page"},
                      {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxPageLimit}, {"default", kDefaultPageLimit}}}});
    params.push_back({{"name", "cursor"},
                      {"in", "query"},
                      {"required", false},
                      {"description", "the nextCursor of the previous page"},
                      {"schema", {{"type", "string"}, {"maxLength", kMaxCursorLength}}}});
  }
  for (const auto& q : spec.query) {
    Json p = {{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", {{"type", q.type}}}};
    if (!q.description.empty()) p["description"] = q.description;
    params.push_back(std::move(p));
  }
  if (!params.empty()) op["parameters"] = std::move(params);

  if (spec.body == BodyKind::kJson) {
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", ref(spec.request_schema)}}}}}};
  } else if (spec.body == BodyKind::kRaw) {
    op["requestBody"] = {{"required", false}, {"content", {{"*/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  } else if (!spec.request_schema.empty()) {
    // kNone with a schema: an optional JSON body the handler parses itself (run, retry).
    op["requestBody"] = {{"required", false}, {"content", {{"application/json", {{"schema", ref(spec.request_schema)}}}}}};
  }

  Json success = {{"description", "success"}};
  if (!spec.response_schema.empty()) {
    Json schema = ref(spec.response_schema);
    if (spec.paginated)
      schema = {{"type", "object"},
                {"required", {"items", "nextCursor"}},
                {"properties", {{"items", {{"type", "array"}, {"items", schema}}},
                                {"nextCursor", {{"type", "string"}, {"nullable", true}}}}}};
    const std::string media = spec.response_content_type.empty() ? "application/json" : spec.response_content_type;
    success["content"] = {{media, {{"schema", std::move(schema)}}}};
  }
  Json responses = {{std::to_string(spec.success_status), std::move(success)}};
  for (const auto& [status, schema] : spec.other_responses)
    responses[std::to_string(status)] = {{"description", "success"},
                                         {"content", {{"application/json", {{"schema", ref(schema)}}}}}};
  if (!spec.is_public) responses["401"] = problem_response("no accepted credential");
  if (spec.permission) {
    const std::string name(security::permission_name(*spec.permission));
    op["x-weft-permission"] = name;
    responses["403"] = problem_response("the caller's role (or API key scopes) does not grant " + name);
  }
  if (!spec.limit_group.empty())
    responses["429"] = problem_response("over the rate limit of group '" + spec.limit_group +
                                        "' (Retry-After, RateLimit and RateLimit-Policy say when to retry)");
  responses["default"] = problem_response("an error, as a problem document (RFC 9457)");
  op["responses"] = std::move(responses);

  if (spec.is_public) {
    op["security"] = Json::array();
  } else if (!info.security_schemes.empty()) {
    Json any = Json::array();
    for (const auto& [name, scheme] : info.security_schemes.items()) any.push_back({{name, Json::array()}});
    op["security"] = std::move(any);
  }
  return op;
}

}  // namespace

const Json& problem_schema() {
  static const Json kSchema = {
      {"type", "object"},
      {"description", "A problem document (RFC 9457), sent as application/problem+json"},
      {"required", {"type", "title", "status"}},
      {"properties",
       {{"type", {{"type", "string"}, {"description", "a stable URI naming the kind of problem"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"instance", {{"type", "string"}}},
        {"errors", {{"type", "array"}, {"items", {{"type", "object"}}}, {"description", "every problem of a validation report"}}}}},
      {"additionalProperties", true}};
  return kSchema;
}

std::string openapi_path(const RouteTemplate& t) {
  if (t.segments().empty()) return "/";
  std::string out;
  for (const auto& s : t.segments())
    out += "/" + (s.kind == RouteTemplate::Segment::Kind::kLiteral ? s.text : "{" + s.text + "}");
  return out;
}

Json openapi_document(const Router& router, const OpenApiInfo& info) {
  Json paths = Json::object();
  for (const Route& route : router.routes())
    paths[openapi_path(route.path)][lower(route.method)] = operation(route, info);
  Json schemas = Json::object();
  for (const auto& [name, schema] : router.schemas()) schemas[name] = schema;
  schemas["Problem"] = problem_schema();
  Json doc = {{"openapi", "3.0.3"},
              {"info", {{"title", info.title}, {"version", info.version}}},
              {"paths", std::move(paths)},
              {"components", {{"schemas", std::move(schemas)}}}};
  if (!info.description.empty()) doc["info"]["description"] = info.description;
  if (!info.security_schemes.empty()) doc["components"]["securitySchemes"] = info.security_schemes;
  return doc;
}

}  // namespace weft::http
