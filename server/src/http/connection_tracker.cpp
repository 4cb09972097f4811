#include "http/connection_tracker.hpp"

namespace weft::http {

std::optional<ConnectionTracker::Id> ConnectionTracker::open(const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(mutex_);
  if (stopping_) return std::nullopt;
  Id id = next_++;
  connections_[id] = Entry{socket, false, false};
  return id;
}

bool ConnectionTracker::begin_request(Id id) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  if (stopping_ && !it->second.spared) return false;
  it->second.spared = false;
  it->second.busy = true;
  return true;
}

void ConnectionTracker::end_request(Id id) {
  std::lock_guard lock(mutex_);
  if (auto it = connections_.find(id); it != connections_.end()) {
    it->second.busy = false;
    // A stop that began while this request was answered passed the connection by: settle it
    // now, or its thread would wait out the keep-alive timeout.
    if (stopping_ && !it->second.spared) settle_idle(it->second);
  }
  changed_.notify_all();
}

void ConnectionTracker::settle_idle(Entry& entry) {
  try {
    if (entry.socket.available() > 0) {
      entry.spared = true;
      return;
    }
    entry.socket.shutdownReceive();
  } catch (const Poco::Exception&) {
    // Already closed by the peer: the connection's thread will notice.
  }
}

void ConnectionTracker::close(Id id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
  changed_.notify_all();
}

void ConnectionTracker::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (auto& [id, entry] : connections_)
    if (!entry.busy) settle_idle(entry);
}

bool ConnectionTracker::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

size_t ConnectionTracker::wait(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return connections_.empty(); });
  return connections_.size();
}

void ConnectionTracker::abort_all() {
  std::lock_guard lock(mutex_);
  for (auto& [id, entry] : connections_) {
    try {
      entry.socket.shutdown();
    } catch (const Poco::Exception&) {
    }
  }
}

size_t ConnectionTracker::in_flight() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& [id, entry] : connections_) n += entry.busy ? 1 : 0;
  return n;
}

size_t ConnectionTracker::open_connections() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace weft::http
