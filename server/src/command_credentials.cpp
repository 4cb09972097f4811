// `weft credentials rotate-key [--new-key-file F | --new-key-env]`: moves the vault to a new
// master key while servers keep running.
//
// Only the wrapped data keys change (credentials/vault.hpp): each is unwrapped with the current
// master key and wrapped again with the new one, in a conditional write. Running servers hold
// the unwrapped data keys from their start and never write them back, so they go on sealing
// and opening secrets throughout; a server started after the rotation needs the new key. The
// new key comes from:
//   --new-key-env      WEFT_NEW_ENCRYPTION_KEY (64 hex digits or base64 of 32 bytes);
//   --new-key-file F   the key in F, or a random key written to F (mode 0600) when F is absent;
//   neither            a random key in "<key file>.new" (current key from the key file only).
// When the current key comes from the key file, that file is then replaced (atomically, 0600)
// by the new key, so the next start of the same configuration works. A rotation that stopped
// half-way is finished by running the same command again (the "<key file>.new" is reused, and
// keys already under the new key are skipped).
#include "commands.hpp"

#include "cli.hpp"
#include "credentials/master_key.hpp"
#include "credentials/vault.hpp"

#include <weft/runtime/storage_setup.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace weft::cli {

namespace {

// The file read when --config is not given, as for `weft serve`.
constexpr const char* kDefaultConfigFile = "config/weft.json";

int fail(const std::string& message, int code = kExitFailed) {
  std::cerr << "weft credentials rotate-key: " << message << "\n";
  return code;
}

int rotate_key(const Args& args) {
  std::optional<std::string> file = args.value("config");
  if (!file && std::filesystem::exists(kDefaultConfigFile)) file = kDefaultConfigFile;
  auto config = Config::load(file);
  if (!config) return fail(config.status().message(), kExitInvalid);
  if (auto data = args.value("data")) {
    if (data->empty()) return fail("--data must name a folder", kExitInvalid);
    (void)config->set("data", *data, "--data");
  }
  const bool from_env = args.flag("new-key-env");
  const std::optional<std::string> new_file = args.value("new-key-file");
  if (from_env && new_file) return fail("give --new-key-file or --new-key-env, not both", kExitInvalid);

  const auto old_source = credentials::MasterKeySource::from_config(*config);
  if (!from_env && !new_file && !old_source.env_value.empty())
    return fail("the current master key comes from WEFT_ENCRYPTION_KEY: give the new one with --new-key-env "
                "(WEFT_NEW_ENCRYPTION_KEY) or --new-key-file F",
                kExitInvalid);
  auto old_key = credentials::load_master_key(old_source, false);
  if (!old_key) return fail("the current master key: " + old_key.status().message());

  std::filesystem::path generated;  // the "<key file>.new" this run may create and removes at the end
  Result<credentials::SecretKey> new_key = Status::invalid("no new key");
  if (from_env) {
    const char* text = std::getenv("WEFT_NEW_ENCRYPTION_KEY");
    if (!text || !*text) return fail("--new-key-env: WEFT_NEW_ENCRYPTION_KEY is not set", kExitInvalid);
    new_key = credentials::parse_master_key(text, "WEFT_NEW_ENCRYPTION_KEY");
  } else {
    credentials::MasterKeySource target;
    target.file = new_file ? std::filesystem::path(*new_file) : std::filesystem::path(old_source.file.string() + ".new");
    if (!new_file) generated = target.file;
    new_key = credentials::load_master_key(target, true);
  }
  if (!new_key) return fail("the new master key: " + new_key.status().message(), kExitInvalid);
  if (new_key->id() == old_key->id())
    return fail("the new master key is the current one (" + old_key->id() + ")", kExitInvalid);

  PluginHost host;
  if (std::string e = load_plugins(host, args, *config); !e.empty()) return fail(e, kExitInvalid);
  auto storage = open_configured_storage(host, *config, SchemaCheck::kEnforce);
  if (!storage) return fail(storage.status().message());
  auto report = credentials::rewrap_data_keys(**storage, *old_key, *new_key);
  if (!report) return fail(report.status().message());

  std::string where;
  if (old_source.env_value.empty()) {
    if (Status st = credentials::write_key_file(old_source.file, *new_key); !st)
      return fail("the data keys are under master key " + new_key->id() + " but " + st.message() +
                  ": put the new key there before the next start");
    if (!generated.empty()) std::filesystem::remove(generated);
    where = "; " + old_source.file.string() + " now holds it";
  } else {
    where = "; restart servers with WEFT_ENCRYPTION_KEY set to it";
  }
  std::cout << "weft: re-wrapped " << report->rewrapped << " data key(s) (" << report->already
            << " already re-wrapped) from master key " << old_key->id() << " to " << new_key->id() << where
            << "; running servers keep serving\n";
  return kExitOk;
}

}  // namespace

int command_credentials(int argc, char** argv) {
  Args args(argc, argv, 2, {"config", "data", "plugins", "require-plugin", "new-key-file"});
  if (!args.ok()) return fail(args.error(), kExitInvalid);
  const auto& pos = args.positionals();
  if (pos.size() != 1 || pos[0] != "rotate-key") {
    std::cerr << "weft credentials: unknown subcommand" << (pos.empty() ? "" : " '" + pos[0] + "'")
              << " (rotate-key [--new-key-file F | --new-key-env])\n";
    return kExitInvalid;
  }
  return rotate_key(args);
}

}  // namespace weft::cli
