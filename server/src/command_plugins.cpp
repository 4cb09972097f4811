// `weft plugins list` and `weft plugins inspect FILE`.
#include "commands.hpp"

#include "cli.hpp"
#include "plugin_catalog.hpp"

#include <iomanip>
#include <iostream>

namespace weft::cli {

namespace {

void print_plugin_text(const PluginInfo& p) {
  std::cout << p.name << " " << p.version << "  (ABI " << p.abi_major << "." << p.abi_minor
            << ", build " << p.build_id << ")\n"
            << "  file:       " << p.file << "\n";
  if (!p.node_types.empty()) {
    std::cout << "  node types:";
    for (const auto& t : p.node_types) std::cout << " " << t;
    std::cout << "\n";
  }
  if (!p.storage_backends.empty()) {
    std::cout << "  storage:   ";
    for (const auto& b : p.storage_backends) std::cout << " " << b;
    std::cout << "\n";
  }
  if (!p.auth_providers.empty()) {
    std::cout << "  auth:      ";
    for (const auto& a : p.auth_providers) std::cout << " " << a;
    std::cout << "\n";
  }
}

int list(const Args& args) {
  auto config = load_config(args, "plugins list");
  if (!config) return kExitInvalid;
  PluginHost host;
  if (std::string e = load_plugins(host, args, *config); !e.empty()) {
    std::cerr << "weft plugins list: " << e << "\n";
    return kExitInvalid;
  }
  if (args.flag("json")) {
    print_json(plugins_document(host), args.flag("compact"));
    return kExitOk;
  }
  std::cout << host.plugins().size() << " plugin(s) loaded, " << host.registry().size()
            << " node type(s), " << host.storage_backends().size() << " storage backend(s), "
            << host.auth_providers().size() << " auth provider(s); host ABI " << WEFT_ABI_MAJOR
            << "." << WEFT_ABI_MINOR << "\n";
  for (const auto& p : host.plugins()) print_plugin_text(*p);
  if (!host.refused().empty()) {
    std::cout << host.refused().size() << " refused:\n";
    for (const auto& r : host.refused()) std::cout << "  " << r.reason << "\n";
  }
  return kExitOk;
}

int inspect(const Args& args) {
  if (args.positionals().size() != 2) {
    std::cerr << "weft plugins inspect: expected one plugin file\n";
    return kExitInvalid;
  }
  const std::string& file = args.positionals()[1];
  PluginHost host;
  Status st = host.load_file(file);
  if (!st) {
    if (args.flag("json")) print_json({{"refused", refused_plugins_json(host)}}, args.flag("compact"));
    std::cerr << "weft plugins inspect: refused " << st.message() << "\n";
    return kExitInvalid;
  }
  const PluginInfo& p = *host.plugins().front();
  if (args.flag("json")) {
    print_json(plugin_json(p, host.registry(), true), args.flag("compact"));
    return kExitOk;
  }
  print_plugin_text(p);
  for (const auto& key : p.node_types) {
    const NodeType* t = &node_type_of(host.registry(), key);
    std::cout << "\n" << key << (t->trigger ? "  (trigger)" : "") << "\n";
    if (t->description.contains("description") && t->description["description"].is_string())
      std::cout << "  " << t->description["description"].get<std::string>() << "\n";
    std::cout << "  inputs: " << Json(t->inputs).dump() << "  outputs: "
              << (t->outputs_from_parameter ? "one per '" + *t->outputs_from_parameter + "' entry + " : "")
              << Json(t->outputs).dump() << "\n";
    for (const auto& param : t->parameters) {
      std::cout << "  - " << std::left << std::setw(18) << param.name << " " << param.type
                << (param.required ? ", required" : "");
      if (param.default_value) std::cout << ", default " << param.default_value->dump();
      std::cout << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

int command_plugins(int argc, char** argv) {
  Args args(argc, argv, 2, {"plugins", "require-plugin", "config"});
  if (!args.ok()) {
    std::cerr << "weft plugins: " << args.error() << "\n";
    return kExitInvalid;
  }
  const auto& pos = args.positionals();
  if (pos.empty() || pos[0] == "list") return list(args);
  if (pos[0] == "inspect") return inspect(args);
  std::cerr << "weft plugins: unknown subcommand '" << pos[0] << "' (list, inspect)\n";
  return kExitInvalid;
}

}  // namespace weft::cli
