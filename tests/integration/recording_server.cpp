#include "recording_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace weft::test {

std::string RecordingServer::Seen::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (Poco::icompare(k, name) == 0) return v;
  return "<absent>";
}

class RecordingServer::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(RecordingServer& owner) : owner_(owner) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
    Seen s;
    s.method = req.getMethod();
    s.path = req.getURI();
    for (const auto& [k, v] : req) s.headers.emplace_back(k, v);
    Poco::StreamCopier::copyToString(req.stream(), s.body);
    {
      std::lock_guard<std::mutex> lock(owner_.mu_);
      owner_.seen_.push_back(std::move(s));
    }
    res.setContentType("application/json");
    res.send() << R"({"ok": true})";
  }

 private:
  RecordingServer& owner_;
};

class RecordingServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(RecordingServer& owner) : owner_(owner) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(owner_);
  }

 private:
  RecordingServer& owner_;
};

RecordingServer::RecordingServer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
  server_->start();
}

RecordingServer::~RecordingServer() { server_->stopAll(true); }

std::string RecordingServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
}

std::vector<RecordingServer::Seen> RecordingServer::seen() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_;
}

}  // namespace weft::test
