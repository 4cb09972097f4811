// The `weft` subcommands. Each takes main's argv (argv[1] is the command) and returns the
// process exit code (see cli.hpp).
#pragma once

namespace weft::cli {

int command_run(int argc, char** argv);
int command_validate(int argc, char** argv);
int command_plugins(int argc, char** argv);
int command_db(int argc, char** argv);
int command_serve(int argc, char** argv);
int command_credentials(int argc, char** argv);
int command_users(int argc, char** argv);

}  // namespace weft::cli
