#include "cli.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace weft::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& valued) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), val;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      val = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    bool takes_value = false;
    for (const auto& v : valued) takes_value |= v == name;
    if (takes_value && !has_value) {
      if (i + 1 >= argc) {
        error_ = "option --" + name + " needs a value";
        return;
      }
      val = argv[++i];
    } else if (!takes_value && has_value) {
      error_ = "option --" + name + " takes no value";
      return;
    }
    options_.emplace_back(name, val);
  }
}

bool Args::flag(const std::string& name) const {
  for (const auto& [k, v] : options_)
    if (k == name) return true;
  return false;
}

std::optional<std::string> Args::value(const std::string& name) const {
  std::optional<std::string> out;
  for (const auto& [k, v] : options_)
    if (k == name) out = v;
  return out;
}

std::vector<std::string> Args::values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : options_)
    if (k == name) out.push_back(v);
  return out;
}

std::string load_plugins(PluginHost& host, const Args& args, const Config& config) {
  std::vector<std::string> folders = args.values("plugins");
  if (folders.empty()) folders = config.get("plugins.directories").get<std::vector<std::string>>();
  if (folders.empty()) folders = default_plugin_directories();
  if (Status st = host.load_directories(folders); !st) return st.message();
  for (const auto& r : host.refused()) std::cerr << "weft: refused plugin " << r.reason << "\n";
  std::vector<std::string> required = config.get("plugins.required").get<std::vector<std::string>>();
  for (const auto& name : args.values("require-plugin")) required.push_back(name);
  if (Status st = host.require(required); !st) return st.message();
  return {};
}

std::optional<Config> load_config(const Args& args, const std::string& command) {
  auto config = Config::load(args.value("config"));
  if (!config) {
    std::cerr << "weft " << command << ": " << config.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(*config);
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot be read";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<Json> parse_json(const std::string& text, const std::string& origin,
                               std::string& error) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // Turn the byte offset into line and column.
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    if (auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
    error = origin + ": line " + std::to_string(line) + ", column " + std::to_string(col) +
            ": invalid JSON (" + what + ")";
    return std::nullopt;
  }
}

void print_json(const Json& j, bool compact) {
  std::cout << j.dump(compact ? -1 : 2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace weft::cli
