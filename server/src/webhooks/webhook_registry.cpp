#include "webhooks/webhook_registry.hpp"

#include <algorithm>
#include <mutex>

namespace weft::server {

namespace {

constexpr const char* kWebhookType = "weft.webhook";

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == ':';
}

std::string join(const std::vector<std::string>& segments) {
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += '/';
    out += s;
  }
  return out;
}

bool is_param(const std::string& segment) { return !segment.empty() && segment.front() == ':'; }

// The shape two conflicting paths share: parameters lose their names.
std::string shape_of(const std::vector<std::string>& segments) {
  std::vector<std::string> shape = segments;
  for (auto& s : shape)
    if (is_param(s)) s = ":";
  return join(shape);
}

// A literal string parameter of a node, or `fallback` when absent; kInvalid otherwise.
Result<std::string> literal(const Json& params, const std::string& node_id, const char* name,
                            const char* fallback) {
  auto it = params.find(name);
  if (it == params.end() || it->is_null()) {
    if (fallback) return std::string(fallback);
    return Status::invalid("node " + node_id + ": parameter '" + name + "' is required");
  }
  if (!it->is_string())
    return Status::invalid("node " + node_id + ": parameter '" + name + "' must be a string");
  const std::string& text = it->get_ref<const std::string&>();
  if (text.find("{{") != std::string::npos)
    return Status::invalid("node " + node_id + ": parameter '" + name +
                           "' must be a literal value, not an expression: the server reads it at activation");
  return text;
}

Result<std::string> one_of(const Json& params, const std::string& node_id, const char* name, const char* fallback,
                           std::initializer_list<const char*> options) {
  auto value = literal(params, node_id, name, fallback);
  if (!value) return value;
  for (const char* o : options)
    if (*value == o) return value;
  std::string list;
  for (const char* o : options) list += std::string(list.empty() ? "" : ", ") + o;
  return Status::invalid("node " + node_id + ": parameter '" + name + "' must be one of " + list + "; got '" +
                         value->substr(0, 40) + "'");
}

Result<WebhookTarget> target_of(const WorkflowRecord& workflow, const Json& node) {
  WebhookTarget t;
  t.workflow_id = workflow.id;
  t.version = workflow.version;
  t.node_id = node.value("id", "");
  const Json params = node.contains("parameters") && node["parameters"].is_object() ? node["parameters"] : Json::object();
  auto path = literal(params, t.node_id, "path", nullptr);
  if (!path) return path.status();
  std::string segment;
  for (size_t i = 0; i <= path->size(); ++i) {
    const char c = i < path->size() ? (*path)[i] : '/';
    if (c == '/') {
      if (!segment.empty()) t.segments.push_back(std::move(segment));
      segment.clear();
    } else if (!is_word_char(c)) {
      return Status::invalid("node " + t.node_id + ": parameter 'path' may hold only letters, digits and - _ . / :");
    } else {
      segment += c;
    }
  }
  if (t.segments.empty()) return Status::invalid("node " + t.node_id + ": parameter 'path' must not be empty");
  for (const auto& s : t.segments)
    if (s == ":") return Status::invalid("node " + t.node_id + ": parameter 'path' has a ':' segment without a name");
  auto method = one_of(params, t.node_id, "method", "POST", {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"});
  if (!method) return method.status();
  t.method = *method;
  auto mode = one_of(params, t.node_id, "responseMode", "onReceived", {"onReceived", "lastNode", "responseNode"});
  if (!mode) return mode.status();
  t.response_mode = *mode == "lastNode"       ? WebhookTarget::ResponseMode::kLastNode
                    : *mode == "responseNode" ? WebhookTarget::ResponseMode::kResponseNode
                                              : WebhookTarget::ResponseMode::kOnReceived;
  auto auth = one_of(params, t.node_id, "auth", "none", {"none", "header", "basic"});
  if (!auth) return auth.status();
  t.auth = *auth == "header" ? WebhookTarget::Auth::kHeader
           : *auth == "basic" ? WebhookTarget::Auth::kBasic
                              : WebhookTarget::Auth::kNone;
  if (t.auth != WebhookTarget::Auth::kNone) {
    auto credential = literal(params, t.node_id, "credential", "");
    if (!credential) return credential.status();
    if (credential->empty())
      return Status::invalid("node " + t.node_id + ": parameter 'credential' is required when auth is '" + *auth + "'");
    t.credential_id = *credential;
  }
  t.definition = workflow.definition;
  t.definition["id"] = workflow.id;
  t.definition["version"] = workflow.version;
  return t;
}

// True when `segments` matches `target`'s path; fills `params`.
bool matches(const WebhookTarget& target, const std::vector<std::string>& segments,
             std::map<std::string, std::string>& params) {
  if (target.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = target.segments[i];
    if (is_param(want)) {
      if (segments[i].empty()) return false;
      params[want.substr(1)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  return true;
}

// Negative when `a` is more specific than `b`: a literal where `b` has a parameter, at the
// first segment where they differ.
int specificity(const WebhookTarget& a, const WebhookTarget& b) {
  for (size_t i = 0; i < std::min(a.segments.size(), b.segments.size()); ++i) {
    const bool pa = is_param(a.segments[i]), pb = is_param(b.segments[i]);
    if (pa != pb) return pa ? 1 : -1;
  }
  return 0;
}

}  // namespace

std::string WebhookTarget::path() const { return join(segments); }

const char* WebhookTarget::credential_type() const {
  switch (auth) {
    case Auth::kHeader: return "weft.httpHeaderAuth";
    case Auth::kBasic: return "weft.basicAuth";
    case Auth::kNone: break;
  }
  return nullptr;
}

Result<std::vector<WebhookTarget>> webhook_targets_of(const WorkflowRecord& workflow) {
  std::vector<WebhookTarget> targets;
  const Json& nodes = workflow.definition.contains("nodes") ? workflow.definition["nodes"] : Json::array();
  if (!nodes.is_array()) return targets;
  for (const auto& node : nodes) {
    if (!node.is_object() || node.value("type", "") != kWebhookType) continue;
    if (node.value("disabled", false)) continue;
    auto t = target_of(workflow, node);
    if (!t) return t.status();
    for (const auto& other : targets)
      if (other.method == t->method && shape_of(other.segments) == shape_of(t->segments))
        return Status::invalid("nodes " + other.node_id + " and " + t->node_id + " both claim " + t->method +
                               " /webhook/" + t->path());
    targets.push_back(std::move(*t));
  }
  return targets;
}

Status WebhookRegistry::check_credentials(const std::vector<WebhookTarget>& targets) const {
  if (!credentials_) return Status::ok();
  for (const auto& t : targets) {
    if (t.auth == WebhookTarget::Auth::kNone) continue;
    const char* wanted = t.credential_type();
    auto c = credentials_->get(t.credential_id);
    if (!c && c.status().code() == Code::kNotFound)
      return Status::invalid("node " + t.node_id + ": credential '" + t.credential_id + "' does not exist");
    if (!c) return c.status();
    if (c->type != wanted)
      return Status::invalid("node " + t.node_id + ": credential '" + t.credential_id + "' is a " + c->type +
                             "; auth '" + (t.auth == WebhookTarget::Auth::kHeader ? "header" : "basic") +
                             "' needs a " + wanted);
  }
  return Status::ok();
}

Status WebhookRegistry::on_activate(const WorkflowRecord& workflow) {
  auto targets = webhook_targets_of(workflow);
  if (!targets) return targets.status();
  if (Status st = check_credentials(*targets); !st) return st;
  std::unique_lock lock(mutex_);
  for (const auto& t : *targets) {
    auto shape = by_shape_.find(shape_of(t.segments));
    if (shape == by_shape_.end()) continue;
    auto held = shape->second.find(t.method);
    if (held != shape->second.end() && held->second->workflow_id != workflow.id)
      return Status::conflict(t.method + " /webhook/" + t.path() + " is already served by active workflow " +
                              held->second->workflow_id + " (as /webhook/" + held->second->path() + ")");
  }
  release_locked(workflow.id);  // an earlier version's claims; the new set replaces them
  std::vector<std::shared_ptr<const WebhookTarget>> claimed;
  for (auto& t : *targets) {
    auto shared = std::make_shared<const WebhookTarget>(std::move(t));
    by_shape_[shape_of(shared->segments)][shared->method] = shared;
    claimed.push_back(std::move(shared));
  }
  if (!claimed.empty()) by_workflow_[workflow.id] = std::move(claimed);
  return Status::ok();
}

void WebhookRegistry::on_deactivate(std::string_view id) {
  std::unique_lock lock(mutex_);
  release_locked(id);
}

void WebhookRegistry::release_locked(std::string_view id) {
  auto it = by_workflow_.find(id);
  if (it == by_workflow_.end()) return;
  for (const auto& t : it->second) {
    auto shape = by_shape_.find(shape_of(t->segments));
    if (shape == by_shape_.end()) continue;
    shape->second.erase(t->method);
    if (shape->second.empty()) by_shape_.erase(shape);
  }
  by_workflow_.erase(it);
}

WebhookRegistry::Lookup WebhookRegistry::find(std::string_view method, const std::vector<std::string>& segments) const {
  std::shared_lock lock(mutex_);
  // Every path that matches, the most specific first: its methods decide 404 / 405.
  const std::map<std::string, std::shared_ptr<const WebhookTarget>>* best = nullptr;
  const WebhookTarget* best_example = nullptr;
  std::map<std::string, std::string> best_params;
  if (auto exact = by_shape_.find(join(segments)); exact != by_shape_.end()) {
    best = &exact->second;
    best_example = exact->second.begin()->second.get();
  } else {
    for (const auto& [shape, methods] : by_shape_) {
      if (shape.find(':') == std::string::npos) continue;
      const WebhookTarget& example = *methods.begin()->second;
      std::map<std::string, std::string> params;
      if (!matches(example, segments, params)) continue;
      if (best && specificity(example, *best_example) >= 0) continue;
      best = &methods;
      best_example = &example;
    }
  }
  Lookup out;
  if (!best) return out;
  for (const auto& [m, t] : *best) out.allowed.push_back(m);
  auto hit = best->find(std::string(method));
  if (hit == best->end() && method == "HEAD") hit = best->find("GET");
  if (hit == best->end()) return out;
  out.target = hit->second;
  out.allowed.clear();
  (void)matches(*out.target, segments, out.params);  // the target's own parameter names
  return out;
}

size_t WebhookRegistry::size() const {
  std::shared_lock lock(mutex_);
  size_t n = 0;
  for (const auto& [id, targets] : by_workflow_) n += targets.size();
  return n;
}

}  // namespace weft::server
