#include "http/connection.hpp"

#include "http/request_span.hpp"
#include "http/response_writer.hpp"
#include "logging/access_log.hpp"
#include "logging/logger.hpp"

#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>

#include <chrono>

namespace weft::http {

namespace {

using Clock = std::chrono::steady_clock;

// Poco's server session (buffered socket reads, keep-alive bookkeeping) with its byte-level
// reads opened up for our own head and body readers.
class ServerSession : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  using HTTPSession::get;
  using HTTPSession::read;
};

// The session as a ByteSource: never throws, and ends the input once the request's deadline
// passed.
class SessionSource : public ByteSource {
 public:
  explicit SessionSource(ServerSession& session) : session_(session) {}

  void start_request(Clock::time_point deadline) {
    deadline_ = deadline;
    failure_ = Failure::kNone;
  }

  int get() override {
    if (!usable()) return -1;
    try {
      int c = session_.get();
      return c < 0 ? -1 : c;
    } catch (const Poco::TimeoutException&) {
      failure_ = Failure::kTimeout;
    } catch (const Poco::Exception&) {
      failure_ = Failure::kBroken;
    }
    return -1;
  }

  size_t read(char* buffer, size_t size) override {
    if (!usable()) return 0;
    try {
      int n = session_.read(buffer, static_cast<std::streamsize>(size));
      return n < 0 ? 0 : static_cast<size_t>(n);
    } catch (const Poco::TimeoutException&) {
      failure_ = Failure::kTimeout;
    } catch (const Poco::Exception&) {
      failure_ = Failure::kBroken;
    }
    return 0;
  }

  Failure failure() const override { return failure_; }

 private:
  bool usable() {
    if (failure_ != Failure::kNone) return false;
    if (Clock::now() > deadline_) {
      failure_ = Failure::kTimeout;
      return false;
    }
    return true;
  }

  ServerSession& session_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Failure failure_ = Failure::kNone;
};

void send_all(Poco::Net::StreamSocket& socket, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    int n = socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    if (n <= 0) throw Poco::Net::NetException("connection closed while sending");
    sent += static_cast<size_t>(n);
  }
}

// After a response to a request whose body was not read: stop sending, then read and drop
// what the client still sends for a moment, so that closing does not reset the connection
// before the client has read the response (the "lingering close" of other servers).
void linger_close(Poco::Net::StreamSocket& socket) {
  try {
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(0, 200000));
    char buffer[16384];
    size_t dropped = 0;
    auto until = Clock::now() + std::chrono::seconds(2);
    while (dropped < (size_t(4) << 20) && Clock::now() < until) {
      int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      dropped += static_cast<size_t>(n);
    }
  } catch (const Poco::Exception&) {
  }
}

bool client_wants_keep_alive(const RequestHead& head) {
  if (head.headers.has_token("Connection", "close")) return false;
  if (head.version == "HTTP/1.0") return head.headers.has_token("Connection", "keep-alive");
  return true;
}

}  // namespace

Connection::Connection(const Poco::Net::StreamSocket& socket, const Dispatcher& dispatcher,
                       const ServerOptions& options, Poco::Net::HTTPServerParams::Ptr params,
                       ConnectionTracker& tracker)
    : TCPServerConnection(socket), dispatcher_(dispatcher), options_(options), params_(std::move(params)),
      tracker_(tracker) {}

void Connection::run() {
  auto id = tracker_.open(socket());
  if (!id) return;
  try {
    serve(*id);
  } catch (const Poco::Exception&) {
    // The peer went away or a write timed out: nothing to answer.
  } catch (const std::exception& e) {
    logging::error("http", "the connection failed", {{"error", e.what()}});
  }
  tracker_.close(*id);
}

void Connection::serve(ConnectionTracker::Id id) {
  Poco::Net::StreamSocket& sock = socket();
  const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.request_timeout).count());
  sock.setReceiveTimeout(timeout);
  sock.setSendTimeout(timeout);
  sock.setNoDelay(true);
  ServerSession session(sock, params_);
  SessionSource source(session);
  std::string remote;
  try {
    remote = sock.peerAddress().toString();
  } catch (const Poco::Exception&) {
  }
  const HeadLimits limits{options_.max_header_fields, options_.max_header_bytes};

  int served = 0;
  while (session.hasMoreRequests()) {
    if (!tracker_.begin_request(id)) break;
    source.start_request(Clock::now() + options_.request_timeout);
    RequestHead head;
    HeadOutcome got = read_request_head(source, limits, head);
    if (got.kind == HeadOutcome::Kind::kNoRequest || got.kind == HeadOutcome::Kind::kBroken) {
      tracker_.end_request(id);
      break;
    }
    const auto started = Clock::now();
    std::string client = remote;
    RequestSpan span(got.kind == HeadOutcome::Kind::kOk ? dispatcher_.tracer() : nullptr, head);
    Exchange ex;
    std::string version = "HTTP/1.1";
    if (got.kind == HeadOutcome::Kind::kOk) {
      version = head.version;
      auto send_continue = [&] { send_all(sock, version + " 100 Continue\r\n\r\n"); };
      // Behind a trusted proxy, the client it names; otherwise the TCP peer.
      client = options_.trusted_proxies.client_address(remote, head.headers);
      ex = dispatcher_.dispatch(head, source, client, send_continue);
    } else {
      ex = Dispatcher::refuse_head(got);
    }
    // Sends `bytes` and settles the request: counted before the answer leaves (a client that has
    // its response sees it in /metrics), span ended and access line written after it.
    auto answer = [&](const std::string& bytes) {
      if (auto* observer = dispatcher_.observer())
        observer->request_completed(head.method, ex.route, ex.response.status, Clock::now() - started);
      send_all(sock, bytes);
      span.finish(head, ex);
      logging::log_access({head.method, ex.route, ex.path, ex.response.status, Clock::now() - started, bytes.size(),
                           ex.principal_id, client, ex.request_id});
      tracker_.end_request(id);
    };
    if (ex.response.status == 101 && ex.response.upgrade) {
      // A protocol switch (WebSocket /ws): the head goes out with Connection: Upgrade, then the
      // socket belongs to the upgrade and this thread is free for other connections.
      std::string switching = response_head(ex.response, "HTTP/1.1", true);
      switching.insert(switching.size() - 2, "Connection: Upgrade\r\n");
      answer(switching);
      // Detached: the session would close the socket when it ends.
      ex.response.upgrade(session.detachSocket());
      return;
    }
    bool keep_alive = got.kind == HeadOutcome::Kind::kOk && !ex.response.close && ex.body_consumed &&
                      client_wants_keep_alive(head) && !tracker_.stopping() &&
                      ++served < options_.max_keep_alive_requests;
    std::string bytes = response_head(ex.response, version, keep_alive);
    if (!ex.head_only) bytes += ex.response.body;
    answer(bytes);
    if (!keep_alive) {
      if (!ex.body_consumed) linger_close(sock);
      break;
    }
  }
}

}  // namespace weft::http
