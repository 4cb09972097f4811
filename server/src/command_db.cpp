// `weft db status|migrate|rollback [--to N]`: the schema of the configured database.
#include "commands.hpp"

#include "cli.hpp"

#include <weft/runtime/storage_setup.hpp>

#include <ctime>
#include <iostream>

namespace weft::cli {

namespace {

// Milliseconds since the epoch as ISO-8601 UTC ("2026-11-26T10:12:20Z"); other values as JSON.
std::string applied_at(const Json& v) {
  if (!v.is_number_integer()) return v.dump();
  std::time_t t = static_cast<std::time_t>(v.get<int64_t>() / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Where the configured backend keeps its data, without secrets.
std::string location(const Config& config) {
  std::string backend = config.get_string("storage.backend");
  std::string database = backend == "dual" ? config.get_string("storage.dual.database") : backend;
  std::string where;
  if (database == "sqlite") {
    where = config.get_string("storage.sqlite.path");
    if (where.empty()) where = config.get_string("data") + "/weft.db";
  } else if (database == "postgres") {
    where = redact_url(config.get_string("storage.postgres.url"));
  }
  if (backend == "dual") return database + (where.empty() ? "" : " " + where) + " behind the cache";
  return where;
}

void print_status(const Json& s, const std::string& backend, const std::string& where) {
  std::cout << "backend " << backend << (where.empty() ? "" : " (" + where + ")")
            << ": schema version " << s.value("current", 0) << " of " << s.value("latest", 0)
            << "\n";
  if (s.contains("applied") && s["applied"].is_array()) {
    for (const auto& m : s["applied"])
      std::cout << "  " << m.value("version", Json(0)).dump() << "  "
                << m.value("name", std::string()) << "  applied "
                << applied_at(m.value("appliedAt", Json(""))) << "\n";
  }
  int64_t pending = s.value("latest", int64_t(0)) - s.value("current", int64_t(0));
  if (pending > 0) std::cout << pending << " migration(s) pending: run `weft db migrate`\n";
}

}  // namespace

int command_db(int argc, char** argv) {
  Args args(argc, argv, 2, {"plugins", "require-plugin", "config", "to", "backend"});
  if (!args.ok()) {
    std::cerr << "weft db: " << args.error() << "\n";
    return kExitInvalid;
  }
  const auto& pos = args.positionals();
  std::string op = pos.empty() ? "status" : pos[0];
  if (op != "status" && op != "migrate" && op != "rollback") {
    std::cerr << "weft db: unknown subcommand '" << op << "' (status, migrate, rollback)\n";
    return kExitInvalid;
  }
  auto config = load_config(args, "db");
  if (!config) return kExitInvalid;
  if (auto b = args.value("backend"); b) {
    if (Status st = config->set("storage.backend", *b, "--backend"); !st) {
      std::cerr << "weft db: " << st.message() << "\n";
      return kExitInvalid;
    }
  }
  PluginHost host;
  if (std::string e = load_plugins(host, args, *config); !e.empty()) {
    std::cerr << "weft db: " << e << "\n";
    return kExitInvalid;
  }
  auto storage = open_configured_storage(host, *config, SchemaCheck::kSkip);
  if (!storage) {
    std::cerr << "weft db: " << storage.status().message() << "\n";
    return kExitFailed;
  }
  Json request = {{"op", op}};
  if (auto to = args.value("to")) {
    char* end = nullptr;
    long long n = std::strtoll(to->c_str(), &end, 10);
    if (to->empty() || *end || n < 0) {
      std::cerr << "weft db: --to must be a schema version (a non-negative integer)\n";
      return kExitInvalid;
    }
    request["to"] = n;
  }
  auto result = (*storage)->admin(request);
  if (!result) {
    std::cerr << "weft db " << op << ": " << result.status().message() << "\n";
    return kExitFailed;
  }
  if (args.flag("json")) print_json(*result, args.flag("compact"));
  else print_status(*result, (*storage)->backend_name(), location(*config));
  return kExitOk;
}

}  // namespace weft::cli
