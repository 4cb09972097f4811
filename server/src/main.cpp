// The `weft` executable: dispatches to a subcommand.
#include "cli.hpp"
#include "commands.hpp"

#include <cstring>
#include <iostream>

namespace {

constexpr const char* kUsage = R"(usage: weft <command> [options]

commands:
  run FILE [--input JSON|@FILE] [--no-data] [--compact] [--threads N]
                          run a workflow document once, in memory, and print the execution
                          (exit 0 succeeded, 1 failed, 2 invalid input)
  validate FILE           check a workflow document and print every problem (exit 0 or 2)
  plugins list [--json]   loaded plugins with versions and ABI, and refused files with why
  plugins inspect FILE [--json]
                          what one plugin file registers, or why it is refused
  db status|migrate|rollback [--to N] [--json]
                          the configured database's schema: applied migrations, apply
                          pending ones, or undo them down to version N
  serve [--port N] [--host H] [--data DIR] [--print-routes]
                          serve the HTTP API (config: defaults < config/weft.json or
                          --config < WEFT_* environment < these flags); prints
                          "weft: listening on http://HOST:PORT"; SIGTERM/SIGINT stop it
                          gracefully; --print-routes lists the routes and exits
  users create --email E --name N --role R | list [--role R] [--json] | disable ID |
        enable ID | set-role ID ROLE | reset-password ID   [--data DIR]
                          manage users on the configured store; passwords are read from
                          the first line of stdin (argon2id through weft.password)
  credentials rotate-key [--new-key-file F | --new-key-env] [--data DIR]
                          re-wrap the credential vault's data keys under a new master key
                          (F: read, or created 0600; --new-key-env: WEFT_NEW_ENCRYPTION_KEY;
                          neither: a random key) while servers keep running; a key file in
                          use is replaced by the new key
  version                 print the weft and plugin ABI versions
  help                    this text

options for every command:
  --config FILE           configuration file (default: built-in defaults; WEFT_* environment
                          variables override the file)
  --plugins DIR           load plugins from DIR instead of the configured folders (repeatable;
                          default: $WEFT_PLUGIN_PATH, else lib/weft/plugins beside the binary)
  --require-plugin NAME   fail unless plugin NAME loads (repeatable)
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return weft::cli::kExitInvalid;
  }
  std::string command = argv[1];
  if (command == "run") return weft::cli::command_run(argc, argv);
  if (command == "validate") return weft::cli::command_validate(argc, argv);
  if (command == "plugins") return weft::cli::command_plugins(argc, argv);
  if (command == "db") return weft::cli::command_db(argc, argv);
  if (command == "serve") return weft::cli::command_serve(argc, argv);
  if (command == "credentials") return weft::cli::command_credentials(argc, argv);
  if (command == "users") return weft::cli::command_users(argc, argv);
  if (command == "version" || command == "--version") {
    std::cout << "weft " << WEFT_VERSION << " (plugin ABI " << WEFT_ABI_MAJOR << "."
              << WEFT_ABI_MINOR << ")\n";
    return weft::cli::kExitOk;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return weft::cli::kExitOk;
  }
  std::cerr << "weft: unknown command '" << command << "'\n" << kUsage;
  return weft::cli::kExitInvalid;
}
