// The vault's master key: it wraps the data keys (vault.hpp) and nothing else. It comes from
// WEFT_ENCRYPTION_KEY (config key vault.masterKey: 64 hex digits or the base64 of 32 bytes) or,
// when that is not set, from a key file (vault.keyFile, default <data>/master.key) that the
// first start creates with mode 0600 and 32 random bytes (written as hex). A key file that
// group or others may read or write is refused: the key would be only as safe as the file.
#pragma once

#include "credentials/vault_crypto.hpp"

#include <weft/runtime/config.hpp>

#include <filesystem>
#include <string>

namespace weft::credentials {

struct MasterKeySource {
  std::string env_value;       // the key's text from the environment/config; empty: use `file`
  std::filesystem::path file;  // the key file, used when env_value is empty

  // vault.masterKey when set, else vault.keyFile (empty: <data>/master.key).
  static MasterKeySource from_config(const Config& config);
  // Where the key comes from, for messages: "WEFT_ENCRYPTION_KEY" or "key file <path>".
  std::string describe() const;
};

// The key written as `text`: 64 hex digits or standard base64 of 32 bytes; surrounding
// whitespace is ignored. Anything else is kInvalid naming `origin` and what is expected,
// never quoting the text.
Result<SecretKey> parse_master_key(std::string_view text, std::string_view origin);

// The key in `file`. kNotFound when the file does not exist; kInvalid when its mode lets
// group or others in (naming the mode and the fix) or its content is not a key.
Result<SecretKey> read_key_file(const std::filesystem::path& file);

// Writes `key` as hex to `file` with mode 0600, atomically: a temporary file beside it, synced,
// then renamed over it. Errors name the file and the system's reason.
Status write_key_file(const std::filesystem::path& file, const SecretKey& key);

// The key of `source`. A missing key file is created with a random key when `create_if_missing`
// (exclusively: two processes starting at once end up with the same key), else kNotFound.
Result<SecretKey> load_master_key(const MasterKeySource& source, bool create_if_missing);

}  // namespace weft::credentials
