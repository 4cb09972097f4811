#include "http/http_server.hpp"

#include "http/connection.hpp"
#include "http/response_writer.hpp"
#include "http/security_headers.hpp"


#include <algorithm>

namespace weft::http {

namespace {

// Runs on the accepting thread before a connection is queued: when the queue is full, Poco
// would close the socket without a word; answer 503 with Retry-After instead.
class QueueGuard : public Poco::Net::TCPServerConnectionFilter {
 public:
  QueueGuard(const Poco::Net::TCPServer*& server, int max_queued) : server_(server), max_queued_(max_queued) {}

  bool accept(const Poco::Net::StreamSocket& socket) override {
    if (!server_ || server_->queuedConnections() < max_queued_) return true;
    Response r = Response::problem(Problem::of(503, "the server is busy; retry shortly"));
    r.headers.set("Retry-After", "1");
    apply_security_headers(r);
    std::string bytes = response_head(r, "HTTP/1.1", false) + r.body;
    try {
      Poco::Net::StreamSocket s(socket);
      s.setSendTimeout(Poco::Timespan(0, 100000));
      s.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
      s.shutdownSend();
    } catch (const Poco::Exception&) {
    }
    return false;
  }

 private:
  const Poco::Net::TCPServer*& server_;
  int max_queued_;
};

}  // namespace

HttpServer::HttpServer(ServerOptions options, const Router& router, const auth::AuthChain& auth)
    : options_(std::move(options)),
      dispatcher_(router, auth, options_.max_body_bytes, options_.rate_limits),
      pool_(std::min(2, options_.max_threads), options_.max_threads, 60) {}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

Status HttpServer::start() {
  const std::string address = options_.host + ":" + std::to_string(options_.port);
  try {
    // SO_REUSEADDR (restart while old connections linger in TIME_WAIT) but not SO_REUSEPORT,
    // which would let a second server share the port silently.
    socket_.bind(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), true, false);
    socket_.listen(std::max(64, options_.max_queued));
    port_ = socket_.address().port();
  } catch (const Poco::Exception& e) {
    return Status::unavailable("cannot listen on " + address + ": " + e.displayText());
  }
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.max_threads);
  params->setMaxQueued(options_.max_queued);
  // How long an idle dispatcher thread waits for a connection before it checks whether the
  // server stopped. Poco 1.11's stop wakes only the threads waiting at that instant: one that
  // finished a connection just then waits out this time before it notices, and stop() joins
  // it. One second bounds that delay; idle threads beyond the first also leave after it.
  params->setThreadIdleTime(Poco::Timespan(1, 0));
  params->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(options_.request_timeout).count()));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(
      Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(options_.keep_alive_timeout).count()));
  params->setMaxKeepAliveRequests(options_.max_keep_alive_requests);
  Poco::Net::HTTPServerParams::Ptr shared(params);
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new ConnectionFactory(dispatcher_, options_, shared, tracker_), pool_, socket_, shared);
  guarded_server_ = server_.get();
  server_->setConnectionFilter(new QueueGuard(guarded_server_, options_.max_queued));
  server_->start();
  return Status::ok();
}

uint16_t HttpServer::port() const { return port_; }

std::string HttpServer::url() const {
  std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
  return "http://" + host + ":" + std::to_string(port_);
}

size_t HttpServer::stop(std::chrono::milliseconds grace) {
  if (stopped_ || !server_) return 0;
  stopped_ = true;
  auto deadline = std::chrono::steady_clock::now() + grace;
  server_->stop();  // the accepting thread ends; queued connections are dropped
  try {
    socket_.close();  // new connections are refused from here on
  } catch (const Poco::Exception&) {
  }
  tracker_.stop();
  size_t left = tracker_.wait(deadline);
  if (left > 0) {
    tracker_.abort_all();
    tracker_.wait(std::chrono::steady_clock::now() + std::chrono::seconds(1));
    return left;
  }
  pool_.joinAll();
  return 0;
}

}  // namespace weft::http
