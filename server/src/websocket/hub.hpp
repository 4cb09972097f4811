// The WebSocket connections of /ws, after their handshake: ONE event-loop thread (epoll)
// serves all of them, however many there are. It reads and answers subscribe/unsubscribe
// messages, forwards the events of the bus (one bus subscription for the whole hub) to the
// connections subscribed to their workflow or execution, pings idle peers and closes dead
// ones, and closes a connection whose outgoing queue overflows (1008) without slowing others.
#pragma once

#include "auth/principal.hpp"

#include <weft/runtime/events/event_bus.hpp>
#include <weft/runtime/status.hpp>

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace weft::websocket {

struct HubOptions {
  size_t max_connections = 10000;          // server.websocket.maxConnections
  size_t max_queued_bytes = 1 << 20;       // server.websocket.maxQueuedBytes, per connection
  size_t max_message_bytes = 64 * 1024;    // server.websocket.maxMessageBytes, client messages
  std::chrono::milliseconds ping_interval{30000};  // server.websocket.pingIntervalMs
  // How often each connection's credential and subscriptions are checked again
  // (server.websocket.revalidateIntervalMs): a revoked key, a disabled user, a revoked
  // session, a changed role or an unshared workflow counts within this time.
  std::chrono::milliseconds revalidate_interval{5000};
  size_t max_subscriptions = 1000;         // per connection
  size_t bus_queue = 65536;                // events waiting for the loop thread
};

// What a principal may watch. Both are called on the hub's thread.
struct HubAccess {
  // True when the principal may read workflow `workflow_id` (and its executions).
  std::function<bool(const auth::Principal&, const std::string& workflow_id)> workflow_readable;
  // The workflow of execution `execution_id` when the principal may read it; nullopt when the
  // execution does not exist or the principal may not read it (the same answer for both).
  std::function<std::optional<std::string>(const auth::Principal&, const std::string& execution_id)> execution_workflow;
  // The principal as the store has it now (auth::ClaimResolver::refresh): nullopt when its
  // credential was revoked or expired or its user disabled; a storage error leaves the
  // connection as it is until the next check. Empty: never checked again.
  std::function<Result<std::optional<auth::Principal>>(const auth::Principal&)> refresh;
};

class Hub {
 public:
  // OWNERSHIP: borrows `bus`, which must outlive the hub.
  Hub(events::EventBus& bus, HubOptions options, HubAccess access);
  // Stops (closing every connection with 1001) when still running.
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Starts the loop thread and subscribes to the bus. kUnavailable when epoll cannot be set up.
  Status start();
  // Closes every connection (1001 "the server is stopping") and joins the loop thread.
  // Idempotent.
  void stop();

  // Takes over `socket`, whose 101 handshake answer was just sent, for `principal`. Called on
  // a request thread; returns at once. Over server.websocket.maxConnections the connection is
  // closed with 1013.
  void adopt(const Poco::Net::StreamSocket& socket, auth::Principal principal);

  // Open WebSocket connections.
  size_t connections() const { return open_.load(); }
  // Connections closed because their outgoing queue overflowed.
  uint64_t overflow_closes() const { return overflow_closes_.load(); }

  // Called with +1 / -1 as connections open and close, and once per event dropped for a slow
  // client (metrics). Set before start().
  std::function<void(int)> on_connection_change;
  std::function<void()> on_event_dropped;

 private:
  struct Conn;
  void loop();
  void wake();
  void accept_pending();
  void deliver_events();
  void on_readable(Conn& c);
  void on_writable(Conn& c);
  void handle_message(Conn& c, const std::string& text);
  void send_json(Conn& c, const std::string& text);
  void queue_bytes(Conn& c, std::string bytes, bool droppable);
  void begin_close(Conn& c, uint16_t code, const std::string& reason);
  void destroy(Conn& c);
  void flush(Conn& c);
  void update_interest(Conn& c);
  void tick();
  // Checks the credential and every subscription of the connections due (revalidate_interval).
  void revalidate(std::chrono::steady_clock::time_point now);
  void unindex(Conn& c);
  // Whether the connection's principal may watch workflow or execution `id` (the store is
  // asked; what it throws is the caller's).
  bool may_watch(const Conn& c, bool execution, const std::string& id) const;
  // Takes `c` out of the index of workflow or execution `id` (the entry goes once empty); the
  // caller removes `id` from the connection's own map.
  void unlist(Conn& c, bool execution, const std::string& id);
  // Tells the bus whether any connection is subscribed (and whether one wants node output):
  // with none, executions publish nothing. Called after every change of subscriptions.
  void update_bus_interest();

  events::EventBus& bus_;
  const HubOptions options_;
  const HubAccess access_;
  std::shared_ptr<events::Subscription> subscription_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;

  std::mutex pending_mu_;
  std::vector<std::pair<Poco::Net::StreamSocket, auth::Principal>> pending_;

  // Loop-thread state.
  struct State;
  std::unique_ptr<State> state_;
  std::atomic<size_t> open_{0};
  std::atomic<uint64_t> overflow_closes_{0};
};

}  // namespace weft::websocket
