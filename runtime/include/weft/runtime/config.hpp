// weft's configuration: built-in defaults < the config file < WEFT_* environment variables
// (< command-line flags, applied by the caller with set()). Every key is declared once in the
// table of config.cpp with its type and environment variable; unknown keys and wrong types
// are errors naming the key and where it came from.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace weft {

class Config {
 public:
  // Defaults only.
  Config();

  // Defaults, then `file` (when given; a missing file is an error), then the environment.
  static Result<Config> load(const std::optional<std::string>& file);

  // Sets a dotted key ("storage.backend") from a flag; checks its type.
  Status set(std::string_view key, const Json& value, std::string_view origin);

  // The value of a declared key.
  const Json& get(std::string_view key) const;
  std::string get_string(std::string_view key) const { return get(key).get<std::string>(); }
  int64_t get_int(std::string_view key) const { return get(key).get<int64_t>(); }
  double get_number(std::string_view key) const { return get(key).get<double>(); }
  // The integer `key` when it lies in [low, high]; otherwise kInvalid with the one-line reason
  // "<key> must be from <low> to <high> (got <value>)".
  Result<int64_t> get_int_in(std::string_view key, int64_t low, int64_t high) const;
  bool get_bool(std::string_view key) const { return get(key).get<bool>(); }

  // The whole configuration as JSON, with secrets (the database URL's password) masked.
  Json to_json_redacted() const;

 private:
  Status merge_file(const Json& doc, const std::string& file);
  Status merge_environment();

  Json values_;  // flat: dotted key -> value
};

// Removes the password from a URL: postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string redact_url(std::string_view url);

}  // namespace weft
