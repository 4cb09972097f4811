// `weft serve`: the HTTP API. Configuration layers: built-in defaults < config/weft.json (or
// --config FILE) < WEFT_* environment < --port/--host/--data flags.
#include "commands.hpp"

#include "api/api_routes.hpp"
#include "bootstrap.hpp"
#include "executions/execution_service.hpp"
#include "schedules/schedule_triggers.hpp"
#include "cli.hpp"
#include "http/http_server.hpp"
#include "logging/logger.hpp"
#include "metrics/execution_metrics.hpp"
#include "metrics/metrics.hpp"
#include "metrics/scrape_sources.hpp"
#include "services.hpp"
#include "shutdown_signal.hpp"
#include "tracing/server_tracing.hpp"
#include "webhooks/webhook_registry.hpp"
#include "websocket/hub.hpp"
#include "websocket/ws_route.hpp"

#include <weft/runtime/storage_setup.hpp>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>

namespace weft::cli {

namespace {

// The file read when --config is not given, relative to the working directory (the repository
// root for `make serve`); absent, the defaults stand.
constexpr const char* kDefaultConfigFile = "config/weft.json";

int print_routes() {
  api::ApiContext context;
  auto router = api::build_router(context);
  websocket::add_websocket_route(*router, nullptr, {});
  for (const auto& r : router->routes())
    std::cout << r.method << " " << r.path.text() << " " << r.spec.operation_id << " "
              << (r.spec.is_public    ? std::string("public")
                  : r.spec.permission ? std::string(security::permission_name(*r.spec.permission))
                                      : std::string("self-service"))
              << "\n";
  return kExitOk;
}

// Applies --port, --host and --data over the file and the environment.
bool apply_flags(const Args& args, Config& config) {
  if (auto port = args.value("port")) {
    int value = -1;
    auto [ptr, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (port->empty() || ec != std::errc() || ptr != port->data() + port->size() || value < 0 || value > 65535) {
      std::cerr << "weft serve: --port must be an integer from 0 to 65535 (0 picks a free port)\n";
      return false;
    }
    (void)config.set("server.port", value, "--port");
  }
  if (auto host = args.value("host")) {
    if (host->empty()) {
      std::cerr << "weft serve: --host must not be empty\n";
      return false;
    }
    (void)config.set("server.host", *host, "--host");
  }
  if (auto data = args.value("data")) {
    if (data->empty()) {
      std::cerr << "weft serve: --data must name a folder\n";
      return false;
    }
    (void)config.set("data", *data, "--data");
  }
  return true;
}

}  // namespace

int command_serve(int argc, char** argv) {
  Args args(argc, argv, 2, {"config", "port", "host", "data", "plugins", "require-plugin"});
  if (!args.ok()) {
    std::cerr << "weft serve: " << args.error() << "\n";
    return kExitInvalid;
  }
  if (!args.positionals().empty()) {
    std::cerr << "weft serve: unexpected argument '" << args.positionals()[0] << "'\n";
    return kExitInvalid;
  }
  if (args.flag("print-routes")) return print_routes();

  // Before any thread exists, so that every thread inherits the blocked mask.
  block_stop_signals();

  std::optional<std::string> file = args.value("config");
  if (!file && std::filesystem::exists(kDefaultConfigFile)) file = kDefaultConfigFile;
  auto loaded = Config::load(file);
  if (!loaded) {
    std::cerr << "weft serve: " << loaded.status().message() << "\n";
    return kExitInvalid;
  }
  Config config = std::move(*loaded);
  if (!apply_flags(args, config)) return kExitInvalid;
  // From here on, what the server has to say while it serves goes to the configured log;
  // start-up refusals stay plain one-line messages on stderr.
  auto log_options = logging::LogOptions::from_config(config);
  if (!log_options) {
    std::cerr << "weft serve: " << log_options.status().message() << "\n";
    return kExitInvalid;
  }
  if (Status st = logging::configure(*log_options); !st) {
    std::cerr << "weft serve: " << st.message() << "\n";
    return kExitInvalid;
  }
  auto traces = server::ServerTracing::from_config(config);
  if (!traces) {
    std::cerr << "weft serve: " << traces.status().message() << "\n";
    return kExitInvalid;
  }
  const std::unique_ptr<server::ServerTracing>& tracing = *traces;
  auto options = http::ServerOptions::from_config(config);
  if (!options) {
    std::cerr << "weft serve: " << options.status().message() << "\n";
    return kExitInvalid;
  }

  PluginHost host;
  if (std::string e = load_plugins(host, args, config); !e.empty()) {
    std::cerr << "weft serve: " << e << "\n";
    return kExitInvalid;
  }
  const std::string data = config.get_string("data");
  std::error_code ec;
  // The data folder holds the database and the first admin's key: when weft creates it, only
  // its own user may enter it. A folder the admin made keeps the mode the admin gave it.
  if (std::filesystem::create_directories(data, ec) && !ec)
    std::filesystem::permissions(data, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  if (ec) {
    std::cerr << "weft serve: cannot create the data folder '" << data << "': " << ec.message() << "\n";
    return kExitFailed;
  }
  // Before the store: the store reports each call to it, so it must not outlive it.
  auto server_metrics = std::make_unique<metrics::Metrics>();
  server_metrics->set_plugins_loaded(host.plugins().size());
  auto storage = open_configured_storage(host, config, SchemaCheck::kEnforce);
  if (!storage) {
    std::cerr << "weft serve: " << storage.status().message() << "\n";
    return kExitFailed;
  }
  (*storage)->add_observer(server_metrics.get());
  server_metrics->add_scrape_source(metrics::dual_cache_source(**storage));
  if (tracing->storage) (*storage)->add_observer(tracing->storage.get());
  if (tracing->exporter) server_metrics->add_scrape_source(metrics::trace_exporter_source(*tracing->exporter));

  auto services = server::Services::create(config, host, **storage);
  if (!services) {
    std::cerr << "weft serve: " << services.status().message() << "\n";
    return kExitInvalid;
  }
  if (const AuthPlugin* minter = (*services)->api_key_plugin()) {
    auto admin = server::create_first_admin((*services)->users(), (*services)->api_keys(), *minter,
                                            data, config.get_string("auth.initialAdminEmail"));
    if (!admin) {
      std::cerr << "weft serve: " << admin.status().message() << "\n";
      return kExitFailed;
    }
    if (*admin) {
      std::cout << "weft: first start: created the admin user " << (*admin)->email
                << " and an API key for it (shown once, here):\n"
                << "  " << (*admin)->key << "\n"
                << "weft: send it as `X-API-Key: <key>` or `Authorization: Bearer <key>`; it is also in "
                << (*admin)->key_file.string() << " (mode 0600)\n";
    }
  }

  auto executions = server::ExecutionService::create(config, host, (*services)->executions(),
                                                    (*services)->node_credentials(), tracing->tracer);
  if (!executions) {
    std::cerr << "weft serve: " << executions.status().message() << "\n";
    return kExitInvalid;
  }
  (*executions)->add_observer(std::make_shared<metrics::ExecutionMetrics>(*server_metrics));
  (*executions)->set_event_bus(&(*services)->events());
  server_metrics->add_scrape_source(metrics::audit_failures_source((*services)->audit()));

  // Active workflows run on their schedules and answer on their webhooks from now on;
  // activation claims new ones.
  auto schedules = std::make_unique<server::ScheduleTriggers>(**executions, &(*services)->audit());
  auto webhooks = std::make_unique<server::WebhookRegistry>(&(*services)->credentials());
  api::ApiContext context;
  context.config = &config;
  context.executions = executions->get();
  context.activation_listeners = {webhooks.get(), schedules.get()};
  context.webhooks = webhooks.get();
  if (Status st = api::claim_active_workflows((*services)->workflows(), context.activation_listeners); !st) {
    std::cerr << "weft serve: cannot read the active workflows: " << st.message() << "\n";
    return kExitFailed;
  }
  context.plugins = &host;
  context.storage = storage->get();
  context.services = services->get();
  context.openapi = api::default_openapi_info();
  context.metrics = server_metrics.get();
  context.trace_exporter = tracing->exporter.get();
  auto router = api::build_router(context);
  // WebSocket /ws: live events, served by the hub's own event-loop thread after the handshake.
  auto hub_options = websocket::hub_options_from_config(config);
  if (!hub_options) {
    std::cerr << "weft serve: " << hub_options.status().message() << "\n";
    return kExitInvalid;
  }
  auto hub = std::make_unique<websocket::Hub>((*services)->events(), *hub_options,
                                              websocket::hub_access(**services));
  hub->on_connection_change = [m = server_metrics.get()](int delta) { m->websocket_connected(delta); };
  hub->on_event_dropped = [m = server_metrics.get()] { m->websocket_event_dropped(); };
  if (Status st = hub->start(); !st) {
    std::cerr << "weft serve: " << st.message() << "\n";
    return kExitFailed;
  }
  std::vector<std::string> allowed_origins;
  for (const auto& o : config.get("server.allowedOrigins")) allowed_origins.push_back(o.get<std::string>());
  websocket::add_websocket_route(*router, hub.get(), std::move(allowed_origins));
  const auth::AuthChain& auth = (*services)->auth_chain();

  // Work that must finish before the process exits, given the stop deadline: running
  // executions are drained here and recorded as interrupted.
  std::vector<std::function<void(std::chrono::steady_clock::time_point)>> drain_hooks;
  drain_hooks.emplace_back([&](std::chrono::steady_clock::time_point d) {
    schedules->stop();  // no tick submits work once the executions drain
    (*executions)->shutdown(d);
  });

  auto server = std::make_unique<http::HttpServer>(*options, *router, auth);
  server->set_observer(server_metrics.get());
  server->set_tracer(tracing->tracer.get());
  if (Status st = server->start(); !st) {
    std::cerr << "weft serve: " << st.message() << "\n";
    return kExitFailed;
  }
  std::cout << "weft: listening on " << server->url() << std::endl;
  logging::info("server", "listening", {{"url", server->url()}});

  // SIGHUP: reopen the log file, so that logrotate can move it away first.
  const char* signal_name = wait_for_stop_signal([&] {
    if (Status st = logging::configure(*log_options); !st)
      logging::error("server", "SIGHUP: the log destination cannot be reopened", {{"error", st.message()}});
    else
      logging::info("server", "SIGHUP: the log destination was reopened");
  });
  hub->stop();  // WebSocket clients are told (1001) and let go first
  const auto grace = options->shutdown_grace;
  logging::info("server", std::string(signal_name) + " received: stopping",
                {{"signal", signal_name}, {"graceMs", grace.count()}});
  const auto deadline = std::chrono::steady_clock::now() + grace;
  size_t left = server->stop(grace);
  for (auto& hook : drain_hooks) hook(deadline);
  if (left > 0) {
    // Threads are still inside handlers: leave without running destructors under them.
    logging::warn("server", "connections still busy after server.shutdownGraceMs; exiting", {{"busy", left}});
    (*services)->writer().flush();  // what was recorded so far still reaches the store
    if (tracing->exporter) (void)tracing->exporter->flush(std::chrono::seconds(2));
    std::cout.flush();
    std::fflush(nullptr);
    std::_Exit(kExitOk);
  }
  server.reset();
  executions->reset();
  services->reset();  // commits every queued execution record
  storage->reset();
  host.shutdown();
  logging::info("server", "stopped");
  return kExitOk;
}

}  // namespace weft::cli
