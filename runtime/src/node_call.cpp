#include "node_call.hpp"

#include <algorithm>

namespace weft {

namespace {
const Json& empty_object() {
  static const Json kEmpty = Json::object();
  return kEmpty;
}
}  // namespace

NodeCall::NodeCall(const Plan& plan, const PlannedNode& node, const std::vector<Items>& inputs,
                   ExecutionServices& services, CancellationToken& cancel,
                   std::optional<Clock::time_point> deadline, int64_t now_ms, std::string traceparent)
    : plan_(plan),
      node_(node),
      inputs_(inputs),
      services_(services),
      cancel_(cancel),
      deadline_(deadline),
      now_ms_(now_ms),
      traceparent_(std::move(traceparent)),
      outputs_(node.outputs) {}

void NodeCall::log(weft_log_level level, std::string_view message) {
  services_.log(level, node_.node->id, message);
}

bool NodeCall::cancelled() { return cancel_.cancelled() || timed_out(); }

weft_status NodeCall::sleep_ms(uint64_t ms) {
  auto until = Clock::now() + std::chrono::milliseconds(std::min<uint64_t>(ms, 366ull * 86'400'000));
  bool deadline_first = deadline_ && *deadline_ < until;
  if (deadline_first) until = *deadline_;
  if (!cancel_.wait_until(until)) return fail(WEFT_ERR_CANCELLED, "the execution was cancelled");
  if (deadline_first) return fail(WEFT_ERR_TIMEOUT, "the node's timeout passed while it waited");
  return WEFT_OK;
}

size_t NodeCall::input_count(size_t port) {
  return port < inputs_.size() ? inputs_[port].size() : 0;
}

const Json* NodeCall::input_item(size_t port, size_t index) {
  if (port >= inputs_.size() || index >= inputs_[port].size()) return nullptr;
  return inputs_[port][index].get();
}

weft_status NodeCall::param(std::string_view name, int64_t item, const Json** out) {
  const PlannedParameter* p = node_.parameter(name);
  if (!p) return WEFT_ERR_NOT_FOUND;
  if (item >= 0 && static_cast<size_t>(item) >= input_count(0))
    return fail(WEFT_ERR_INVALID, "parameter '" + std::string(name) + "': item " +
                                      std::to_string(item) + " does not exist");
  current_item_ = item >= 0 ? inputs_[0][static_cast<size_t>(item)].get() : &empty_object();
  Result<Json> value = p->value.evaluate(*this);
  if (!value) {
    std::string where = item >= 0 ? "item " + std::to_string(item) + ": " : "";
    return fail(WEFT_ERR_INVALID, where + parameter_error(name, value.status().message()));
  }
  *out = own(std::move(*value));
  return WEFT_OK;
}

size_t NodeCall::regular_outputs() const {
  return node_.outputs - (node_.node->settings.on_error == OnError::kErrorOutput ? 1 : 0);
}

weft_status NodeCall::emit(size_t port, Json&& item) {
  size_t regular = regular_outputs();
  if (port >= regular)
    return fail(WEFT_ERR_INVALID, "emit to output " + std::to_string(port) + ", but the node has " +
                                      std::to_string(regular) + " output(s)");
  outputs_[port].push_back(make_item(std::move(item)));
  return WEFT_OK;
}

weft_status NodeCall::forward(size_t out_port, size_t in_port, size_t index) {
  size_t regular = regular_outputs();
  if (out_port >= regular)
    return fail(WEFT_ERR_INVALID, "forward to output " + std::to_string(out_port) +
                                      ", but the node has " + std::to_string(regular) +
                                      " output(s)");
  if (in_port >= inputs_.size() || index >= inputs_[in_port].size())
    return fail(WEFT_ERR_INVALID, "forward of input item " + std::to_string(index) + " of port " +
                                      std::to_string(in_port) + ", which does not exist");
  outputs_[out_port].push_back(inputs_[in_port][index]);
  return WEFT_OK;
}

weft_status NodeCall::set_response(const Json& response) {
  services_.set_response(response);
  return WEFT_OK;
}

weft_status NodeCall::http_request(const weft_http_request& req, weft_http_response& res) {
  http::Request r;
  r.method = std::string(view(req.method));
  r.url = std::string(view(req.url));
  for (size_t i = 0; i < req.header_count && req.headers; ++i)
    r.headers.emplace_back(std::string(view(req.headers[i].name)),
                           std::string(view(req.headers[i].value)));
  r.body = std::string(view(req.body));
  r.timeout_ms = req.timeout_ms;
  r.insecure_skip_verify = (req.flags & WEFT_HTTP_INSECURE_SKIP_VERIFY) != 0;
  r.traceparent = traceparent_;
  auto deadline = deadline_.value_or(Clock::time_point::max());
  Result<http::Response> out = services_.http(r, [this] { return cancelled(); }, deadline);
  if (!out) return fail(static_cast<weft_status>(out.status().code()), out.status().message());
  const http::Response& kept = http_responses_.emplace_back(std::move(*out));
  auto& headers = http_headers_.emplace_back();
  headers.reserve(kept.headers.size());
  for (const auto& [k, v] : kept.headers) headers.push_back({to_weft_str(k), to_weft_str(v)});
  res.status = kept.status;
  res.headers = headers.data();
  res.header_count = headers.size();
  res.body = to_weft_str(kept.body);
  return WEFT_OK;
}

weft_status NodeCall::credential(std::string_view name, const Json** out) {
  const std::string where = "node " + node_.node->id + ": parameter '" + std::string(name) + "'";
  const ParameterSpec* spec = node_.type->parameter(name);
  if (!spec || spec->type != "credential")
    return fail(WEFT_ERR_INVALID, where + " is not a credential parameter of " + node_.type->key());
  // The literal from the workflow document: the planner refused expressions in it.
  auto it = node_.node->parameters.find(std::string(name));
  if (it == node_.node->parameters.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    return fail(WEFT_ERR_NOT_FOUND, where + " names no credential");
  const CredentialSource* source = services_.credentials();
  if (!source)
    return fail(WEFT_ERR_UNAVAILABLE, where + ": credentials are not available here (this run has no "
                                              "credential store; run the workflow on a weft server)");
  NodeCredentialRequest request;
  request.execution_id = services_.execution_id();
  request.workflow_id = plan_.workflow.id;
  request.workflow_owner = services_.workflow_owner();
  request.node_id = node_.node->id;
  request.node_type = node_.type->key();
  request.parameter = std::string(name);
  request.credential_id = it->get<std::string>();
  request.allowed_types = spec->credential_types;
  Result<NodeCredential> opened = source->open_for_node(request);
  if (!opened) return fail(static_cast<weft_status>(opened.status().code()), where + ": " + opened.status().message());
  // Checked here too, whatever the source did: a node only ever sees a type it declared.
  if (std::find(spec->credential_types.begin(), spec->credential_types.end(), opened->type) ==
      spec->credential_types.end())
    return fail(WEFT_ERR_INVALID, where + ": credential " + request.credential_id + " is a " + opened->type +
                                      ", not one of the types the parameter takes");
  *out = own(Json{{"id", std::move(opened->id)}, {"type", std::move(opened->type)}, {"data", std::move(opened->data)}});
  return WEFT_OK;
}

const Items* NodeCall::node_output(std::string_view node_id) const {
  return services_.finished_output(node_id);
}

}  // namespace weft
