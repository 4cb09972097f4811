// `weft users create|list|disable|enable|set-role|reset-password`: user administration on the
// configured store, for the first steps and for recovery when no admin can log in. The rules
// are the API's (UserAdmin). A password is read from the first line of standard input, never
// from the command line, where other users of the machine could see it.
#include "cli.hpp"
#include "commands.hpp"
#include "users/user_admin.hpp"

#include <weft/runtime/auth_plugin.hpp>
#include <weft/runtime/storage_setup.hpp>

#include <iostream>
#include <string>

namespace weft::cli {

namespace {

constexpr const char* kUsers =
    "weft users create --email E --name N --role R   (password: first line of stdin)\n"
    "           list [--role R] [--json]\n"
    "           disable ID | enable ID | set-role ID ROLE\n"
    "           reset-password ID                      (password: first line of stdin)";

std::optional<std::string> password_from_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int fail(const std::string& op, const Status& st) {
  std::cerr << "weft users " << op << ": " << st.message() << "\n";
  return st.code() == Code::kInvalid || st.code() == Code::kConflict || st.code() == Code::kNotFound ? kExitInvalid
                                                                                                    : kExitFailed;
}

void print_user(const Json& u) {
  std::cout << u.value("id", "") << "  " << u.value("email", "") << "  " << u.value("name", "") << "  "
            << u.value("role", "") << (u.value("disabled", false) ? "  disabled" : "") << "\n";
}

}  // namespace

int command_users(int argc, char** argv) {
  Args args(argc, argv, 2, {"config", "plugins", "require-plugin", "data", "email", "name", "role"});
  if (!args.ok()) {
    std::cerr << "weft users: " << args.error() << "\n";
    return kExitInvalid;
  }
  const auto& pos = args.positionals();
  const std::string op = pos.empty() ? "" : pos[0];
  const size_t wanted = op == "create" || op == "list" ? 1 : op == "set-role" ? 3 : 2;
  if ((op != "create" && op != "list" && op != "disable" && op != "enable" && op != "set-role" &&
       op != "reset-password") ||
      pos.size() != wanted) {
    std::cerr << "usage: " << kUsers << "\n";
    return kExitInvalid;
  }
  auto config = load_config(args, "users");
  if (!config) return kExitInvalid;
  if (auto data = args.value("data"); data) (void)config->set("data", *data, "--data");
  PluginHost host;
  if (std::string e = load_plugins(host, args, *config); !e.empty()) {
    std::cerr << "weft users: " << e << "\n";
    return kExitInvalid;
  }
  auto storage = open_configured_storage(host, *config, SchemaCheck::kEnforce);
  if (!storage) {
    std::cerr << "weft users: " << storage.status().message() << "\n";
    return kExitFailed;
  }
  UserRepository users(**storage);
  std::unique_ptr<AuthPlugin> passwords;
  if (op == "create" || op == "reset-password") {
    auto opened = AuthPlugin::open(host, "weft.password", Json::object());
    if (!opened) return fail(op, opened.status());
    passwords = std::move(*opened);
  }
  server::UserAdmin admin(users, passwords.get());

  server::UserInput in;
  if (op == "list") {
    PageRequest page;
    page.limit = 1000;
    Json all = Json::array();
    for (;;) {
      auto result = users.list(page, args.value("role"));
      if (!result) return fail(op, result.status());
      for (const auto& u : result->items) all.push_back(server::UserAdmin::view(u));
      if (result->next_cursor.empty()) break;
      page.cursor = result->next_cursor;
    }
    if (args.flag("json")) print_json(all, args.flag("compact"));
    else
      for (const auto& u : all) print_user(u);
    return kExitOk;
  }
  if (op == "create") {
    in.email = args.value("email");
    in.name = args.value("name");
    in.role = args.value("role");
  } else if (op == "disable" || op == "enable") {
    in.disabled = op == "disable";
  } else if (op == "set-role") {
    in.role = pos[2];
  }
  if (op == "create" || op == "reset-password") {
    in.password = password_from_stdin();
    if (!in.password) return fail(op, Status::invalid("no password on standard input (its first line)"));
  }
  auto user = op == "create" ? admin.create(in) : admin.change(pos[1], in);
  if (!user) return fail(op, user.status());
  print_user(server::UserAdmin::view(*user));
  return kExitOk;
}

}  // namespace weft::cli
