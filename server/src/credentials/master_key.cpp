#include "credentials/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace weft::credentials {

namespace {

std::string_view trimmed(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Writes all of `text` to `fd`; false on error (errno set).
bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

MasterKeySource MasterKeySource::from_config(const Config& config) {
  MasterKeySource s;
  s.env_value = config.get_string("vault.masterKey");
  std::string file = config.get_string("vault.keyFile");
  s.file = file.empty() ? std::filesystem::path(config.get_string("data")) / "master.key" : std::filesystem::path(file);
  return s;
}

std::string MasterKeySource::describe() const {
  return env_value.empty() ? "key file " + file.string() : "WEFT_ENCRYPTION_KEY";
}

Result<SecretKey> parse_master_key(std::string_view text, std::string_view origin) {
  const std::string_view t = trimmed(text);
  if (t.size() == 2 * kKeyBytes) {
    if (auto bytes = from_hex(t); bytes) return SecretKey(std::move(*bytes));
  }
  if (auto bytes = from_base64(t); bytes && bytes->size() == kKeyBytes) return SecretKey(std::move(*bytes));
  return Status::invalid(std::string(origin) +
                         " is not a 256-bit key: give 64 hex digits or the base64 of 32 bytes "
                         "(e.g. `openssl rand -hex 32`)");
}

Result<SecretKey> read_key_file(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::not_found("master key file " + file.string() + " does not exist");
    return Status::unavailable("cannot read the master key file " + file.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::invalid("the master key file " + file.string() + " is not a regular file");
  if ((st.st_mode & 077) != 0)
    return Status::invalid("the master key file " + file.string() + " has mode " + mode_text(st.st_mode) +
                           ", which lets group or others in: run `chmod 600 " + file.string() + "`");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::unavailable("cannot read the master key file " + file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto key = parse_master_key(text, "the master key file " + file.string());
  std::fill(text.begin(), text.end(), '\0');
  return key;
}

Status write_key_file(const std::filesystem::path& file, const SecretKey& key) {
  const std::filesystem::path temp = file.string() + ".tmp";
  ::unlink(temp.c_str());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::unavailable("cannot write " + temp.string() + ": " + std::strerror(errno));
  std::string text = to_hex(key.bytes()) + "\n";
  const bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  const int err = errno;
  std::fill(text.begin(), text.end(), '\0');
  ::close(fd);
  if (!ok) {
    ::unlink(temp.c_str());
    return Status::unavailable("cannot write " + temp.string() + ": " + std::strerror(err));
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    const int e = errno;
    ::unlink(temp.c_str());
    return Status::unavailable("cannot replace " + file.string() + ": " + std::strerror(e));
  }
  // The rename is durable once the folder is.
  int dir = ::open(file.parent_path().empty() ? "." : file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Status::ok();
}

Result<SecretKey> load_master_key(const MasterKeySource& source, bool create_if_missing) {
  if (!source.env_value.empty()) return parse_master_key(source.env_value, "WEFT_ENCRYPTION_KEY");
  auto existing = read_key_file(source.file);
  if (existing || existing.status().code() != Code::kNotFound || !create_if_missing) return existing;
  auto key = random_key();
  if (!key) return key.status();
  // O_EXCL: when another process created it first, its key is the one.
  int fd = ::open(source.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return read_key_file(source.file);
    return Status::unavailable("cannot create the master key file " + source.file.string() + ": " +
                               std::strerror(errno));
  }
  std::string text = to_hex(key->bytes()) + "\n";
  const bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  const int err = errno;
  std::fill(text.begin(), text.end(), '\0');
  ::close(fd);
  if (!ok) {
    ::unlink(source.file.c_str());
    return Status::unavailable("cannot write the master key file " + source.file.string() + ": " +
                               std::strerror(err));
  }
  return key;
}

}  // namespace weft::credentials
