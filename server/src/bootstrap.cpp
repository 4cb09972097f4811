#include "bootstrap.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace weft::server {

namespace {

// Writes `text` to `path`, created or truncated with mode 0600 (also when it existed with a
// wider mode).
Status write_private_file(const std::filesystem::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::unavailable("cannot write " + path.string() + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  int saved = errno;
  ::close(fd);
  if (!ok) return Status::unavailable("cannot write " + path.string() + ": " + std::strerror(saved));
  return Status::ok();
}

}  // namespace

Result<std::optional<FirstAdmin>> create_first_admin(const UserRepository& users,
                                                     const ApiKeyRepository& keys,
                                                     const AuthPlugin& api_keys,
                                                     const std::filesystem::path& data_dir,
                                                     const std::string& email) {
  auto existing = users.list(PageRequest{1, ""});
  if (!existing) return Status(existing.status().code(), "first start: listing users: " + existing.status().message());
  if (!existing->items.empty()) return std::optional<FirstAdmin>();

  NewUser admin;
  admin.email = email;
  admin.name = "Administrator";
  admin.role = "admin";
  auto user = users.create(admin);
  if (!user) {
    // Another server sharing the database created it first: nothing to show here.
    if (user.status().code() == Code::kConflict) return std::optional<FirstAdmin>();
    return Status(user.status().code(), "first start: creating the admin user: " + user.status().message());
  }

  auto minted = api_keys.invoke({{"op", "issue"}});
  if (!minted) return Status(minted.status().code(), "first start: minting an API key: " + minted.status().message());
  NewApiKey key;
  key.user_id = user->id;
  key.name = "initial admin key";
  key.prefix = minted->value("prefix", "");
  key.hash = minted->value("hash", "");
  auto stored = keys.create(key);
  if (!stored) return Status(stored.status().code(), "first start: storing the API key: " + stored.status().message());

  FirstAdmin out;
  out.email = email;
  out.key = minted->value("key", "");
  out.key_file = data_dir / "initial-admin-key";
  if (Status st = write_private_file(out.key_file, out.key + "\n"); !st)
    return Status(st.code(), "first start: " + st.message());
  return std::optional<FirstAdmin>(std::move(out));
}

}  // namespace weft::server
