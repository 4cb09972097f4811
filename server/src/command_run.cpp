// `weft run FILE [--input JSON|@FILE]` and `weft validate FILE`.
#include "commands.hpp"

#include "cli.hpp"

#include <weft/runtime/executor.hpp>
#include <weft/runtime/plan.hpp>

#include <csignal>
#include <iostream>

namespace weft::cli {

namespace {

// Reads --input: a JSON object (one item) or an array of objects, inline or from @file.
std::optional<Items> read_input(const Args& args, std::string& error) {
  Items items;
  auto text = args.value("input");
  if (!text) return items;
  std::string origin = "--input";
  std::string content = *text;
  if (!content.empty() && content[0] == '@') {
    origin = content.substr(1);
    auto file = read_file(origin, error);
    if (!file) return std::nullopt;
    content = *file;
  }
  auto j = parse_json(content, origin, error);
  if (!j) return std::nullopt;
  if (j->is_object()) {
    items.push_back(make_item(std::move(*j)));
  } else if (j->is_array()) {
    for (size_t i = 0; i < j->size(); ++i) {
      if (!(*j)[i].is_object()) {
        error = origin + ": item " + std::to_string(i) + " is not a JSON object";
        return std::nullopt;
      }
      items.push_back(make_item((*j)[i]));
    }
  } else {
    error = origin + ": the input must be a JSON object or an array of objects";
    return std::nullopt;
  }
  return items;
}

// Loads plugins and plans FILE; prints problems. Returns nullptr with `exit_code` set on failure.
std::shared_ptr<const Plan> load_and_plan(const std::string& command, const Args& args,
                                          PluginHost& host, int& exit_code, bool compact) {
  exit_code = kExitInvalid;
  if (args.positionals().size() != 1) {
    std::cerr << "weft " << command << ": expected one workflow file (see weft help)\n";
    return nullptr;
  }
  const std::string& file = args.positionals()[0];
  std::string error;
  auto text = read_file(file, error);
  if (!text) {
    std::cerr << "weft " << command << ": " << error << "\n";
    return nullptr;
  }
  auto doc = parse_json(*text, file, error);
  if (!doc) {
    std::cerr << "weft " << command << ": " << error << "\n";
    return nullptr;
  }
  auto config = load_config(args, command);
  if (!config) return nullptr;
  if (std::string e = load_plugins(host, args, *config); !e.empty()) {
    std::cerr << "weft " << command << ": " << e << "\n";
    return nullptr;
  }
  ValidationReport report;
  auto plan = plan_workflow(*doc, host.registry(), report);
  if (!plan) {
    print_json(report.to_json(), compact);
    std::cerr << "weft " << command << ": " << file << " is not a valid workflow ("
              << report.problems.size() << " problem" << (report.problems.size() == 1 ? "" : "s")
              << "):\n"
              << report.to_text();
    return nullptr;
  }
  exit_code = kExitOk;
  return plan;
}

std::shared_ptr<CancellationToken> g_cancel;

}  // namespace

int command_validate(int argc, char** argv) {
  Args args(argc, argv, 2, {"plugins", "require-plugin", "config"});
  if (!args.ok()) {
    std::cerr << "weft validate: " << args.error() << "\n";
    return kExitInvalid;
  }
  PluginHost host;
  int code = kExitOk;
  auto plan = load_and_plan("validate", args, host, code, args.flag("compact"));
  if (!plan) return code;
  ValidationReport ok;
  print_json(ok.to_json(), args.flag("compact"));
  return kExitOk;
}

int command_run(int argc, char** argv) {
  Args args(argc, argv, 2, {"plugins", "require-plugin", "config", "input", "threads"});
  if (!args.ok()) {
    std::cerr << "weft run: " << args.error() << "\n";
    return kExitInvalid;
  }
  const bool compact = args.flag("compact");
  std::string error;
  auto input = read_input(args, error);
  if (!input) {
    std::cerr << "weft run: " << error << "\n";
    return kExitInvalid;
  }
  PluginHost host;
  int code = kExitOk;
  auto plan = load_and_plan("run", args, host, code, compact);
  if (!plan) return code;

  Executor::Options options;
  if (auto t = args.value("threads")) options.threads = std::strtoul(t->c_str(), nullptr, 10);
  options.log = [](weft_log_level level, std::string_view node, std::string_view message) {
    static const char* names[] = {"debug", "info", "warn", "error"};
    std::cerr << "weft: [" << names[level & 3] << "] node " << node << ": " << message << "\n";
  };
  Executor executor(options);

  // Ctrl-C cancels the execution cleanly; its record is still printed.
  g_cancel = std::make_shared<CancellationToken>();
  std::signal(SIGINT, [](int) { g_cancel->cancel(); });
  std::signal(SIGTERM, [](int) { g_cancel->cancel(); });

  ExecutionRequest request;
  request.mode = "cli";
  request.input = std::move(*input);
  request.cancel = g_cancel;
  ExecutionResult result = executor.run(*plan, std::move(request));
  print_json(result.to_json(!args.flag("no-data")), compact);
  host.shutdown();
  if (result.status == ExecutionStatus::kSucceeded) return kExitOk;
  if (result.error)
    std::cerr << "weft run: execution " << execution_status_name(result.status)
              << (result.error_node.empty() ? "" : " at node " + result.error_node) << ": "
              << result.error->message() << "\n";
  return kExitFailed;
}

}  // namespace weft::cli
