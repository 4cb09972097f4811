#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace weft::http {

void Router::add(std::string method, std::string_view path_template, RouteSpec spec, Handler handler) {
  auto parsed = RouteTemplate::parse(path_template);
  if (!parsed) throw std::logic_error(parsed.status().message());
  if (method.empty() || !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    throw std::logic_error("route " + std::string(path_template) + ": method '" + method + "' must be upper-case letters");
  if (spec.operation_id.empty())
    throw std::logic_error("route " + method + " " + std::string(path_template) + " has no operationId");
  for (const Route& r : routes_) {
    if (r.method == method && r.path.text() == path_template)
      throw std::logic_error("route " + method + " " + std::string(path_template) + " is registered twice");
    if (r.spec.operation_id == spec.operation_id)
      throw std::logic_error("operationId '" + spec.operation_id + "' is used by " + r.method + " " +
                             r.path.text() + " and " + method + " " + std::string(path_template));
  }
  for (const std::string* schema : {&spec.request_schema, &spec.response_schema})
    if (!schema->empty() && !schemas_.count(*schema))
      throw std::logic_error("route " + method + " " + std::string(path_template) + " refers to schema '" +
                             *schema + "', which is not registered");
  if (spec.body == BodyKind::kJson && spec.request_schema.empty())
    throw std::logic_error("route " + method + " " + std::string(path_template) +
                           " takes JSON but names no request schema");
  if (!handler) throw std::logic_error("route " + method + " " + std::string(path_template) + " has no handler");
  if (!spec.is_public && !spec.permission && !spec.self_service)
    throw std::logic_error("route " + method + " " + std::string(path_template) +
                           " is authenticated but names no permission (or self_service)");
  if (spec.is_public && (spec.permission || spec.self_service))
    throw std::logic_error("route " + method + " " + std::string(path_template) +
                           " is public: it cannot require a permission");
  routes_.push_back({std::move(method), std::move(*parsed), std::move(spec), std::move(handler)});
}

void Router::add_schema(std::string name, Json schema) { schemas_[std::move(name)] = std::move(schema); }

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match out;
  auto segments = split_path(path);
  if (!segments) {
    out.kind = Match::Kind::kBadPath;
    return out;
  }
  const Route* best = nullptr;
  const Route* best_get = nullptr;  // for HEAD without a HEAD route
  std::map<std::string, std::string, std::less<>> best_params, get_params;
  const Route* most_specific_any = nullptr;
  std::vector<const Route*> matching;
  for (const Route& r : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!r.path.match(*segments, params)) continue;
    matching.push_back(&r);
    if (!most_specific_any || r.path.compare_specificity(most_specific_any->path) < 0) most_specific_any = &r;
    if (r.method == method && (!best || r.path.compare_specificity(best->path) < 0)) {
      best = &r;
      best_params = std::move(params);
    } else if (method == "HEAD" && r.method == "GET" && (!best_get || r.path.compare_specificity(best_get->path) < 0)) {
      best_get = &r;
      get_params = std::move(params);
    }
  }
  if (!best && best_get) {
    best = best_get;
    best_params = std::move(get_params);
  }
  if (matching.empty()) return out;
  // A route for this method matches, but a more specific template (for another method) wins
  // the path: "/workflows/count" with only GET must not fall back to "/workflows/{id}" DELETE.
  if (best && best->path.compare_specificity(most_specific_any->path) > 0) best = nullptr;
  if (best) {
    out.kind = Match::Kind::kFound;
    out.route = best;
    out.params = std::move(best_params);
    return out;
  }
  out.kind = Match::Kind::kMethodNotAllowed;
  for (const Route* r : matching) {
    if (r->path.compare_specificity(most_specific_any->path) != 0) continue;
    out.allowed.push_back(r->method);
    if (r->method == "GET") out.allowed.push_back("HEAD");
  }
  std::sort(out.allowed.begin(), out.allowed.end());
  out.allowed.erase(std::unique(out.allowed.begin(), out.allowed.end()), out.allowed.end());
  return out;
}

}  // namespace weft::http
