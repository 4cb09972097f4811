// The context of one attempt of one node: what the host table's node functions see.
#pragma once

#include <weft/host/context.hpp>
#include <weft/runtime/cancellation.hpp>
#include <weft/runtime/credential_source.hpp>
#include <weft/runtime/expression.hpp>
#include <weft/runtime/http_client.hpp>
#include <weft/runtime/plan.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace weft {

// What a node call needs from the execution it belongs to. Implemented by the executor.
class ExecutionServices {
 public:
  virtual ~ExecutionServices() = default;
  // Output items (port 0) of a node that has finished, or nullptr.
  virtual const Items* finished_output(std::string_view node_id) const = 0;
  virtual const Json& execution_json() const = 0;
  virtual void set_response(Json response) = 0;
  virtual void log(weft_log_level level, std::string_view node_id, std::string_view message) = 0;
  virtual Result<http::Response> http(const http::Request& request,
                                      const std::function<bool()>& cancelled,
                                      std::chrono::steady_clock::time_point deadline) = 0;
  // The execution's id and the workflow's owner (user id; empty when unknown).
  virtual const std::string& execution_id() const = 0;
  virtual const std::string& workflow_owner() const = 0;
  // Where node credentials come from; nullptr when this run has none (`weft run`).
  virtual const CredentialSource* credentials() const = 0;
};

class NodeCall : public weft_ctx, private expr::Scope {
 public:
  using Clock = std::chrono::steady_clock;

  NodeCall(const Plan& plan, const PlannedNode& node, const std::vector<Items>& inputs,
           ExecutionServices& services, CancellationToken& cancel,
           std::optional<Clock::time_point> deadline, int64_t now_ms, std::string traceparent);

  // What the node emitted, per output port.
  std::vector<Items> take_outputs() { return std::move(outputs_); }
  // Whether the node's deadline has passed.
  bool timed_out() const { return deadline_ && Clock::now() >= *deadline_; }

  // weft_ctx
  void log(weft_log_level level, std::string_view message) override;
  bool cancelled() override;
  weft_status sleep_ms(uint64_t ms) override;
  size_t input_port_count() override { return inputs_.size(); }
  size_t input_count(size_t port) override;
  const Json* input_item(size_t port, size_t index) override;
  weft_status param(std::string_view name, int64_t item, const Json** out) override;
  weft_status emit(size_t port, Json&& item) override;
  weft_status forward(size_t out_port, size_t in_port, size_t index) override;
  weft_status set_response(const Json& response) override;
  weft_status http_request(const weft_http_request& req, weft_http_response& res) override;
  // The W3C context of this node's span: HTTP requests the node makes are its children.
  std::string_view traceparent() override { return traceparent_; }
  // Reads the node's credential parameter `name` (its literal id, never an expression) and
  // asks the execution's CredentialSource for it. Errors name node and parameter.
  weft_status credential(std::string_view name, const Json** out) override;

 private:
  // Output ports a plugin may emit to: all but the error output the executor adds.
  size_t regular_outputs() const;

  // expr::Scope, bound to the item being evaluated.
  const Json* json() const override { return current_item_; }
  const Items* node_output(std::string_view node_id) const override;
  const Json* execution() const override { return &services_.execution_json(); }
  const Json* workflow() const override { return &plan_.workflow_json; }
  int64_t now_ms() const override { return now_ms_; }

  const Plan& plan_;
  const PlannedNode& node_;
  const std::vector<Items>& inputs_;
  ExecutionServices& services_;
  CancellationToken& cancel_;
  std::optional<Clock::time_point> deadline_;
  int64_t now_ms_;
  std::string traceparent_;
  const Json* current_item_ = nullptr;
  std::vector<Items> outputs_;
  // Keeps http response header text alive for the call.
  std::deque<std::vector<weft_http_header>> http_headers_;
  std::deque<http::Response> http_responses_;
};

}  // namespace weft
