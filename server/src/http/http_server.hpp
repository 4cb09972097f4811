// weft's HTTP/1.1 server on Poco Net: a listening socket, Poco's TCPServer accepting onto a
// bounded thread pool, and our own connections (see connection.hpp). Beyond Poco's server it
// bounds header fields, header bytes and bodies, puts a deadline on every request, answers 503
// instead of silently dropping a connection when the accept queue is full, and stops
// gracefully.
#pragma once

#include "auth/auth_chain.hpp"
#include "http/connection_tracker.hpp"
#include "http/dispatcher.hpp"
#include "http/router.hpp"
#include "http/server_options.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>
#include <string>

namespace weft::http {

class HttpServer {
 public:
  // OWNERSHIP: borrows `router` and `auth`, which must outlive the server and not change
  // while it runs.
  HttpServer(ServerOptions options, const Router& router, const auth::AuthChain& auth);
  // Stops without grace when still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds server.host:server.port and starts accepting. kUnavailable naming the address when
  // it cannot listen (port taken, unknown host, no permission).
  Status start();

  // The port actually bound (the ephemeral one when server.port is 0). Precondition: started.
  uint16_t port() const;
  // "http://HOST:PORT" (an IPv6 host in brackets).
  std::string url() const;

  // Stops accepting and closes idle keep-alive connections at once; requests in flight finish
  // (answered with Connection: close) within `grace`, after which the remaining connections
  // are shut down. Returns how many connections were still open when the grace ran out (0 for
  // a clean stop). Idempotent.
  size_t stop(std::chrono::milliseconds grace);

  // Tells `observer` of every request answered (metrics). Call before start().
  // OWNERSHIP: borrowed; must outlive the server.
  void set_observer(metrics::HttpObserver* observer) { dispatcher_.set_observer(observer); }
  // Starts a span per request, the child of the request's `traceparent` when it has a valid
  // one. Call before start(). OWNERSHIP: borrowed; must outlive the server.
  void set_tracer(const tracing::Tracer* tracer) { dispatcher_.set_tracer(tracer); }

  // Requests being served now.
  size_t in_flight() const { return tracker_.in_flight(); }
  const ServerOptions& options() const { return options_; }

 private:
  ServerOptions options_;
  Dispatcher dispatcher_;
  ConnectionTracker tracker_;
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  const Poco::Net::TCPServer* guarded_server_ = nullptr;  // for the queue guard
  uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace weft::http
