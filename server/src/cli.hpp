// Shared pieces of the `weft` command line: argument reading, plugin loading, output.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/json.hpp>
#include <weft/runtime/plugin_host.hpp>

#include <optional>
#include <string>
#include <vector>

namespace weft::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;   // the work ran and failed (e.g. execution failed)
inline constexpr int kExitInvalid = 2;  // bad usage or bad input; nothing was run

// Arguments after the command name: positionals and --options. An option may repeat.
class Args {
 public:
  // Options that take a value; every other --flag is boolean.
  Args(int argc, char** argv, int first, const std::vector<std::string>& valued);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool flag(const std::string& name) const;
  std::optional<std::string> value(const std::string& name) const;  // the last one given
  std::vector<std::string> values(const std::string& name) const;

 private:
  std::vector<std::string> positionals_;
  std::vector<std::pair<std::string, std::string>> options_;
  std::string error_;
};

// Loads plugins from `--plugins DIR` (repeatable) when given, else from the configuration's
// plugins.directories (WEFT_PLUGIN_PATH, colon-separated), else the default folders; then
// checks plugins.required and `--require-plugin NAME`. Refused files are reported on stderr as
// warnings. Returns the error text, or empty on success.
std::string load_plugins(PluginHost& host, const Args& args, const Config& config);

// Loads the configuration of `--config FILE` (or defaults) and the environment; prints the
// error as "weft <command>: ..." and returns nullopt when it is invalid.
std::optional<Config> load_config(const Args& args, const std::string& command);

// Reads a whole file; error text names the file.
std::optional<std::string> read_file(const std::string& path, std::string& error);

// Parses JSON text; error text names `origin` with line and column.
std::optional<Json> parse_json(const std::string& text, const std::string& origin,
                               std::string& error);

// Prints JSON to stdout, indented unless compact.
void print_json(const Json& j, bool compact);

}  // namespace weft::cli
