// What the API's handlers reach: the configuration, the loaded plugins and the open store.
// `weft serve` fills every member; `weft serve --print-routes` builds the route table with
// them null (handlers are registered, never called).
#pragma once

#include "api/activation.hpp"
#include "http/openapi.hpp"

#include <weft/runtime/config.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/storage.hpp>

#include <vector>

namespace weft::metrics {
class Metrics;
}

namespace weft::tracing {
class OtlpHttpExporter;
}

namespace weft::server {
class Services;
class ExecutionService;
class WebhookRegistry;
}

namespace weft::api {

struct ApiContext {
  const Config* config = nullptr;     // OWNERSHIP: borrowed; outlives the server
  const PluginHost* plugins = nullptr;  // OWNERSHIP: borrowed; outlives the server
  const Storage* storage = nullptr;     // OWNERSHIP: borrowed; outlives the server
  // Repositories, execution writer, auth chain. OWNERSHIP: borrowed; outlives the server.
  const server::Services* services = nullptr;
  // Runs workflows (POST /workflows/{id}/run, /executions). OWNERSHIP: borrowed; outlives the server.
  server::ExecutionService* executions = nullptr;
  // The webhooks of active workflows (/webhook/...). OWNERSHIP: borrowed; outlives the server.
  const server::WebhookRegistry* webhooks = nullptr;
  // Told of every activation and deactivation, in order; one refusing stops an activation.
  // OWNERSHIP: borrowed; each outlives the server. Empty: nothing claims triggers yet.
  std::vector<ActivationListener*> activation_listeners;
  // The Prometheus metrics: GET /metrics renders them; the WebSocket counts its connections
  // there. OWNERSHIP: borrowed; outlives the server.
  // Null: /metrics answers 503.
  metrics::Metrics* metrics = nullptr;
  // Where traces go: /ready reports its last export. OWNERSHIP: borrowed; outlives the server.
  // Null: tracing is off ("disabled").
  const tracing::OtlpHttpExporter* trace_exporter = nullptr;
  http::OpenApiInfo openapi;            // title, version, security schemes of the document
};

}  // namespace weft::api
