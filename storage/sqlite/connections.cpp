#include "connections.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>

namespace weft::storage {

namespace {

void execute(Poco::Data::Session& session, const std::string& sql) {
  Poco::Data::Statement stmt(session);
  stmt << sql, Poco::Data::Keywords::now;
}

}  // namespace

Connections::Connections(std::string path, int64_t busy_timeout_ms)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  writer_ = open_session();
  execute(*writer_, "PRAGMA journal_mode = WAL");
  // Writes touch the table and its six indexes at scattered pages; a larger page cache than
  // SQLite's 2 MiB default keeps them in memory instead of re-reading them for every batch.
  execute(*writer_, "PRAGMA cache_size = -32768");
}

std::unique_ptr<Poco::Data::Session> Connections::open_session() const {
  auto session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, path_);
  // PRAGMA takes no parameters; the timeout is an integer this backend formats itself.
  execute(*session, "PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms_));
  execute(*session, "PRAGMA synchronous = NORMAL");
  execute(*session, "PRAGMA foreign_keys = ON");
  return session;
}

Connections::Reader::Reader(Connections& c) : connections_(c) {
  {
    std::lock_guard lock(c.pool_mutex_);
    if (!c.idle_readers_.empty()) {
      session_ = std::move(c.idle_readers_.back());
      c.idle_readers_.pop_back();
    }
  }
  if (!session_) session_ = c.open_session();
}

Connections::Reader::~Reader() {
  std::lock_guard lock(connections_.pool_mutex_);
  connections_.idle_readers_.push_back(std::move(session_));
}

}  // namespace weft::storage
