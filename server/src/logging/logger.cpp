#include "logging/logger.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace weft::logging {

namespace {

struct Sink {
  std::mutex mutex;
  int fd = STDERR_FILENO;
  bool owned = false;  // fd is a file we opened (closed when replaced)
  Format format = Format::kText;
  std::atomic<int> level{static_cast<int>(Level::kInfo)};
};

// Never destroyed: threads may still log while static destructors run at exit.
Sink& sink() {
  static Sink* s = new Sink();
  return *s;
}

void write_all(int fd, const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere left to say it
    done += static_cast<size_t>(n);
  }
}

}  // namespace

Status configure(const LogOptions& options) {
  int fd = STDERR_FILENO;
  bool owned = false;
  if (options.destination == "stdout") {
    fd = STDOUT_FILENO;
  } else if (options.destination != "stderr") {
    fd = ::open(options.destination.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return Status::invalid("log.destination: cannot open '" + options.destination + "' for appending: " +
                             std::strerror(errno));
    owned = true;
  }
  Sink& s = sink();
  std::lock_guard lock(s.mutex);
  if (s.owned) ::close(s.fd);
  s.fd = fd;
  s.owned = owned;
  s.format = options.format;
  s.level.store(static_cast<int>(options.level));
  return Status::ok();
}

bool enabled(Level level) { return static_cast<int>(level) >= sink().level.load(std::memory_order_relaxed); }

void write(const LogRecord& record) {
  if (!enabled(record.level)) return;
  Sink& s = sink();
  try {
    Format format;
    {
      std::lock_guard lock(s.mutex);
      format = s.format;
    }
    std::string line = format_line(record, format);
    std::lock_guard lock(s.mutex);
    write_all(s.fd, line);
  } catch (...) {
    // Out of memory or a formatting failure: a lost log line must not fail the request.
  }
}

void log(Level level, std::string_view logger, std::string_view message, nlohmann::json fields) {
  if (!enabled(level)) return;
  LogRecord r;
  r.time = std::chrono::system_clock::now();
  r.level = level;
  r.logger = std::string(logger);
  r.message = std::string(message);
  r.context = current_context();
  r.fields = std::move(fields);
  write(r);
}

}  // namespace weft::logging
