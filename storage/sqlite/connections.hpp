// The SQLite sessions of one store: one writer, used under a mutex (SQLite allows one writer at a
// time), and a pool of reader sessions that WAL mode lets read alongside it.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace weft::storage {

class Connections {
 public:
  // Opens the writer session on `path` (creating the file) with WAL journaling,
  // synchronous=NORMAL, foreign keys on and a busy timeout of `busy_timeout_ms`. Throws
  // Poco::Exception when the file cannot be opened.
  Connections(std::string path, int64_t busy_timeout_ms);

  // The writer session, held with its lock for as long as this object lives.
  class Writer {
   public:
    explicit Writer(Connections& c) : lock_(c.write_mutex_), session_(*c.writer_) {}
    Poco::Data::Session& session() { return session_; }

   private:
    std::unique_lock<std::mutex> lock_;
    Poco::Data::Session& session_;
  };

  // A reader session borrowed from the pool (a new one when all are in use), returned on
  // destruction.
  class Reader {
   public:
    explicit Reader(Connections& c);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Poco::Data::Session& session() { return *session_; }

   private:
    Connections& connections_;
    std::unique_ptr<Poco::Data::Session> session_;
  };

 private:
  std::unique_ptr<Poco::Data::Session> open_session() const;

  const std::string path_;
  const int64_t busy_timeout_ms_;
  std::mutex write_mutex_;
  std::unique_ptr<Poco::Data::Session> writer_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Poco::Data::Session>> idle_readers_;  // GUARDED_BY(pool_mutex_)
};

}  // namespace weft::storage
