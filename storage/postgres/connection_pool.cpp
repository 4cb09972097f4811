#include "connection_pool.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/SessionPool.h>

#include <chrono>

namespace weft::postgres {

namespace {

// How long a call waits for a free session before giving up.
constexpr std::chrono::seconds kSessionWait{30};

// The SQLSTATE Poco appends to statement errors (" State: 23505 ..."), or empty.
std::string sqlstate_of(const std::string& message) {
  size_t at = message.find(" State: ");
  if (at == std::string::npos) return {};
  std::string state = message.substr(at + 8, 5);
  return state.size() == 5 ? state : std::string();
}

// The first line of PostgreSQL's own message inside a Poco exception text.
std::string reason_of(const Poco::Exception& e) {
  std::string text = e.message().empty() ? e.displayText() : e.message();
  for (std::string_view prefix :
       {"postgresql_stmt_execute error: ", "postgresql_stmt_prepare error: ",
        "postgresql_stmt_describe error: ", "Connection Error: "})
    if (size_t at = text.find(prefix); at != std::string::npos) text.erase(0, at + prefix.size());
  if (text.rfind("ERROR:  ", 0) == 0 || text.rfind("FATAL:  ", 0) == 0) text.erase(0, 8);
  if (size_t nl = text.find('\n'); nl != std::string::npos) text.erase(nl);
  if (text.empty()) text = e.displayText();
  return text;
}

}  // namespace

ConnectionPool::Permit::Permit(ConnectionPool& pool) : pool_(pool) {
  if (!pool_.permits_.try_acquire_for(kSessionWait))
    throw Error(WEFT_ERR_UNAVAILABLE, "all " + std::to_string(pool_.size_) +
                                          " database sessions stayed busy for " +
                                          std::to_string(kSessionWait.count()) + " s");
  pool_.in_use_.fetch_add(1, std::memory_order_relaxed);
}

ConnectionPool::Permit::~Permit() {
  pool_.in_use_.fetch_sub(1, std::memory_order_relaxed);
  pool_.permits_.release();
}

ConnectionPool::ConnectionPool(ConnectionTarget target, int size)
    : target_(std::move(target)), size_(size), permits_(size) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
  pool_ = make_pool();
}

ConnectionPool::~ConnectionPool() = default;

std::shared_ptr<Poco::Data::SessionPool> ConnectionPool::make_pool() const {
  return std::make_shared<Poco::Data::SessionPool>(Poco::Data::PostgreSQL::Connector::KEY,
                                                   target_.conninfo, 1, size_, 60);
}

std::shared_ptr<Poco::Data::SessionPool> ConnectionPool::current_pool() {
  std::lock_guard lock(mu_);
  return pool_;
}

void ConnectionPool::renew(const std::shared_ptr<Poco::Data::SessionPool>& broken) {
  std::lock_guard lock(mu_);
  if (pool_ != broken) return;
  pool_ = make_pool();
  reconnects_.fetch_add(1, std::memory_order_relaxed);
}

ConnectionPool::Failure ConnectionPool::classify(const Poco::Exception& e,
                                                 bool still_connected) const {
  const std::string reason = scrub_password(reason_of(e), target_.password);
  const std::string state = sqlstate_of(e.message());
  const bool refused = dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) != nullptr;
  const bool broken =
      !still_connected || dynamic_cast<const Poco::Data::NotConnectedException*>(&e) ||
      dynamic_cast<const Poco::Data::PostgreSQL::ConnectionException*>(&e) ||
      state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
  if (refused || broken)
    return {Error(WEFT_ERR_UNAVAILABLE,
                  "database " + target_.where + " unavailable: " + reason),
            broken && !refused};
  if (state == "23505") return {Error(WEFT_ERR_CONFLICT, reason), false};
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "53300" ||
      state == "57014" || dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&e))
    return {Error(WEFT_ERR_UNAVAILABLE, "database busy: " + reason), false};
  return {Error(WEFT_ERR_INTERNAL, "database error: " + reason), false};
}

void ConnectionPool::rollback_quietly(Poco::Data::Session& session) noexcept {
  try {
    if (session.isConnected() && session.isTransaction()) session.rollback();
  } catch (...) {
    // The connection is gone; the server has rolled the transaction back.
  }
}

}  // namespace weft::postgres
