// A local HTTP server (Poco) that records every request it gets (method, path, headers, body)
// and answers 200 with `{"ok": true}`: the far end of weft.http_request, or an OTLP collector.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace weft::test {

class RecordingServer {
 public:
  struct Seen {
    std::string method;
    std::string path;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // The first value of header `name` (case-insensitive), or "<absent>".
    std::string header(const std::string& name) const;
  };

  RecordingServer();  // listens on 127.0.0.1, a free port
  ~RecordingServer();
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  std::string url(const std::string& path) const;
  std::vector<Seen> seen() const;

 private:
  class Handler;
  class Factory;

  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
};

}  // namespace weft::test
