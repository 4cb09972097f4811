// The database sessions of one postgres store.
#pragma once

#include "connection_url.hpp"

#include <weft/sdk.hpp>

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Exception.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <type_traits>

namespace weft::postgres {

// A Poco SessionPool of `size` sessions behind a semaphore, so that callers beyond `size` wait
// for a session instead of failing. A pooled connection can break without Poco noticing (the
// server restarted); when a call finds its connection broken, the whole pool is replaced by a
// fresh one, so the next call reconnects instead of meeting the other dead sessions one by one.
// Every database failure leaves as a weft::Error: a broken or refused connection as
// WEFT_ERR_UNAVAILABLE (the message names host:port/database, never the password), a unique
// violation as WEFT_ERR_CONFLICT, a deadlock or serialization failure as WEFT_ERR_UNAVAILABLE,
// anything else as WEFT_ERR_INTERNAL. weft::Error thrown by the caller's function passes as is.
// Thread-safe.
class ConnectionPool {
 public:
  ConnectionPool(ConnectionTarget target, int size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs f(session) outside a transaction. f must only read (or be safe to run twice): when
  // the connection it got turns out broken, f is run once more on a fresh connection.
  template <class F>
  auto read(F&& f) {
    return run([&](Poco::Data::Session& s, bool& /*committing*/) { return f(s); });
  }

  // Runs f(session) inside one transaction, committed when f returns and rolled back when it
  // throws. When the connection breaks before COMMIT is sent the transaction never happened,
  // and it is run once more on a fresh connection.
  template <class F>
  auto transact(F&& f) {
    return run([&](Poco::Data::Session& s, bool& committing) {
      s.begin();
      try {
        auto result = f(s);
        committing = true;
        s.commit();
        return result;
      } catch (...) {
        if (!committing) rollback_quietly(s);
        throw;
      }
    });
  }

  int size() const { return size_; }
  int in_use() const { return in_use_.load(std::memory_order_relaxed); }
  // Pools replaced after a broken connection since the store opened.
  int64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }
  const ConnectionTarget& target() const { return target_; }

 private:
  // A database failure, as the caller sees it.
  struct Failure {
    Error error;
    bool connection_broken;
  };

  // Holds one of the `size` permits while a call uses a session.
  class Permit {
   public:
    explicit Permit(ConnectionPool& pool);
    ~Permit();
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

   private:
    ConnectionPool& pool_;
  };

  template <class F>
  auto run(F&& f) -> std::invoke_result_t<F&, Poco::Data::Session&, bool&> {
    Permit permit(*this);
    for (int attempt = 0;; ++attempt) {
      std::shared_ptr<Poco::Data::SessionPool> pool = current_pool();
      bool committing = false;
      std::optional<Failure> failure;
      try {
        Poco::Data::Session session = pool->get();
        try {
          return f(session, committing);
        } catch (const Poco::Exception& e) {
          failure.emplace(classify(e, session.isConnected()));
        }
      } catch (const Poco::Exception& e) {
        failure.emplace(classify(e, true));  // opening a session failed: nothing is broken
      }
      if (failure->connection_broken) renew(pool);
      if (!failure->connection_broken || committing || attempt > 0) throw failure->error;
    }
  }

  std::shared_ptr<Poco::Data::SessionPool> current_pool();
  // Replaces `broken` by a fresh pool unless another call already did.
  void renew(const std::shared_ptr<Poco::Data::SessionPool>& broken);
  std::shared_ptr<Poco::Data::SessionPool> make_pool() const;
  Failure classify(const Poco::Exception& e, bool still_connected) const;
  static void rollback_quietly(Poco::Data::Session& session) noexcept;

  const ConnectionTarget target_;
  const int size_;
  std::counting_semaphore<4096> permits_;
  std::atomic<int> in_use_{0};
  std::atomic<int64_t> reconnects_{0};
  std::mutex mu_;
  std::shared_ptr<Poco::Data::SessionPool> pool_;  // guarded by mu_
};

}  // namespace weft::postgres
