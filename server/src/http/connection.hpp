// One accepted HTTP/1.1 connection, served on a thread of the server's pool: reads request
// heads within the header limits and a per-request deadline, lets the dispatcher answer, writes
// responses, keeps the connection alive while that is safe, and takes part in a graceful stop.
#pragma once

#include "http/connection_tracker.hpp"
#include "http/dispatcher.hpp"
#include "http/server_options.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

namespace weft::http {

class Connection : public Poco::Net::TCPServerConnection {
 public:
  // OWNERSHIP: borrows everything but `socket`; the server outlives its connections.
  Connection(const Poco::Net::StreamSocket& socket, const Dispatcher& dispatcher,
             const ServerOptions& options, Poco::Net::HTTPServerParams::Ptr params,
             ConnectionTracker& tracker);
  void run() override;

 private:
  void serve(ConnectionTracker::Id id);

  const Dispatcher& dispatcher_;
  const ServerOptions& options_;
  Poco::Net::HTTPServerParams::Ptr params_;
  ConnectionTracker& tracker_;
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  ConnectionFactory(const Dispatcher& dispatcher, const ServerOptions& options,
                    Poco::Net::HTTPServerParams::Ptr params, ConnectionTracker& tracker)
      : dispatcher_(dispatcher), options_(options), params_(std::move(params)), tracker_(tracker) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, dispatcher_, options_, params_, tracker_);
  }

 private:
  const Dispatcher& dispatcher_;
  const ServerOptions& options_;
  Poco::Net::HTTPServerParams::Ptr params_;
  ConnectionTracker& tracker_;
};

}  // namespace weft::http
