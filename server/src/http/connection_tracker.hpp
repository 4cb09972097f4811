// The open connections of the server and whether each is inside a request, so that a graceful
// stop can close the idle ones at once and wait for the busy ones.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

namespace weft::http {

class ConnectionTracker {
 public:
  using Id = uint64_t;

  // Registers a connection; nullopt when the server is stopping (close it without serving).
  std::optional<Id> open(const Poco::Net::StreamSocket& socket);
  // Marks the connection busy when the first bytes of a request arrived. False when the server
  // is stopping and this connection was idle when the stop began: close it unanswered (a
  // client may retry such a request, RFC 9110 section 9.2.2).
  bool begin_request(Id id);
  void end_request(Id id);
  void close(Id id);

  // Starts stopping: idle connections are woken (their read side is shut down) unless bytes of
  // a next request are already waiting on them, which earns that one request an answer.
  void stop();
  bool stopping() const;
  // Waits until every connection closed, or `deadline`; returns the connections still open.
  size_t wait(std::chrono::steady_clock::time_point deadline);
  // Shuts down every remaining socket (both directions): the last step of a stop whose grace
  // ran out.
  void abort_all();

  size_t in_flight() const;
  size_t open_connections() const;

 private:
  struct Entry {
    Poco::Net::StreamSocket socket;
    bool busy = false;
    bool spared = false;  // bytes were waiting when the stop began
  };

  // What a stop does to a connection between requests: one whose next request has begun to
  // arrive is spared (served once more); the others stop reading, which wakes their thread.
  static void settle_idle(Entry& entry);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Id, Entry> connections_;
  Id next_ = 1;
  bool stopping_ = false;
};

}  // namespace weft::http
