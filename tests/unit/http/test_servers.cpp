#include "test_servers.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace weft::http::testing {

namespace {

Poco::Net::SocketAddress loopback_any_port() { return Poco::Net::SocketAddress("127.0.0.1", 0); }

std::string query_value(const std::string& target, const std::string& name,
                        const std::string& fallback) {
  for (const auto& [key, value] : Poco::URI(target).getQueryParameters()) {
    if (key == name) return value;
  }
  return fallback;
}

class RouteHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const std::string target = request.getURI();
    const std::string path = target.substr(0, target.find('?'));
    if (path == "/echo") {
      std::string body;
      Poco::StreamCopier::copyToString(request.stream(), body);
      response.set("X-Echo-Method", request.getMethod());
      response.set("X-Echo-Target", target);
      for (const auto& [name, value] : request) response.add("X-Echo-Header-" + name, value);
      response.sendBuffer(body.data(), body.size());
    } else if (path == "/chunked") {
      response.setChunkedTransferEncoding(true);
      std::ostream& out = response.send();
      const int pieces = std::stoi(query_value(target, "pieces", "5"));
      for (int i = 0; i < pieces; ++i) {
        out << "chunk " << i << "\n";
        out.flush();
      }
    } else if (path == "/bytes") {
      const std::string body(std::stoul(query_value(target, "count", "0")), 'x');
      response.sendBuffer(body.data(), body.size());
    } else if (path.rfind("/status/", 0) == 0) {
      const std::string code = path.substr(std::string("/status/").size());
      response.setStatus(code);
      const std::string body = "status " + code;
      response.sendBuffer(body.data(), body.size());
    } else if (path == "/redirect") {
      response.redirect("/echo", Poco::Net::HTTPResponse::HTTP_FOUND);
    } else {
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      response.send();
    }
  }
};

class RouteHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RouteHandler;
  }
};

void initialize_ssl_for_tests() {
  static const bool initialized = [] {
    Poco::Net::initializeSSL();
    return true;
  }();
  (void)initialized;
}

// Runs the openssl command line; throws with its output when it fails.
void run_openssl(const std::vector<std::string>& arguments) {
  Poco::Pipe output;
  Poco::ProcessHandle openssl =
      Poco::Process::launch("openssl", arguments, nullptr, &output, &output);
  Poco::PipeInputStream output_stream(output);
  std::string messages;
  Poco::StreamCopier::copyToString(output_stream, messages);
  if (openssl.wait() != 0) {
    throw std::runtime_error("openssl " + arguments.front() + " failed: " + messages);
  }
}

std::string loopback_url(bool tls, uint16_t port, const std::string& path) {
  return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port) + path;
}

}  // namespace

TestCertificates::TestCertificates() {
  std::random_device random;
  folder_ = std::filesystem::temp_directory_path() /
            ("weft-http-tests-" + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directory(folder_);
  try {
    run_openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-days", "2", "-subj", "/CN=weft test CA", "-keyout", path("ca.key"),
                 "-out", ca_path()});
    make_signed("localhost", "localhost", "DNS:localhost,IP:127.0.0.1", 1);
    make_signed("elsewhere", "elsewhere.test", "DNS:elsewhere.test", 2);
    run_openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                 "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", path("self.key"), "-out",
                 path("self.pem")});
  } catch (...) {
    std::filesystem::remove_all(folder_);
    throw;
  }
}

void TestCertificates::make_signed(const std::string& name, const std::string& common_name,
                                   const std::string& alt_names, int serial) const {
  std::ofstream(path(name + ".ext")) << "subjectAltName=" << alt_names << "\n";
  run_openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-subj", "/CN=" + common_name, "-keyout", path(name + ".key"), "-out",
               path(name + ".csr")});
  run_openssl({"x509", "-req", "-in", path(name + ".csr"), "-CA", ca_path(), "-CAkey",
               path("ca.key"), "-set_serial", std::to_string(serial), "-days", "2", "-extfile",
               path(name + ".ext"), "-out", path(name + ".pem")});
}

TestCertificates::~TestCertificates() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

const TestCertificates& test_certificates() {
  static const TestCertificates certificates;
  return certificates;
}

LocalHttpServer::LocalHttpServer() { start(Poco::Net::ServerSocket(loopback_any_port()), false); }

LocalHttpServer::LocalHttpServer(const KeyPair& identity) {
  initialize_ssl_for_tests();
  Poco::Net::Context::Params params;
  params.privateKeyFile = identity.key_path;
  params.certificateFile = identity.certificate_path;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  start(Poco::Net::SecureServerSocket(loopback_any_port(), 64, context), true);
}

void LocalHttpServer::start(const Poco::Net::ServerSocket& socket, bool tls) {
  tls_ = tls;
  port_ = socket.address().port();
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(16);
  params->setMaxQueued(64);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new RouteHandlerFactory, socket, params);
  server_->start();
}

LocalHttpServer::~LocalHttpServer() { server_->stopAll(true); }

std::string LocalHttpServer::url(const std::string& path) const {
  return loopback_url(tls_, port_, path);
}

SilentServer::SilentServer() : socket_(loopback_any_port()), port_(socket_.address().port()) {}

ScriptedServer::ScriptedServer(std::string reply, After after) : socket_(loopback_any_port()) {
  thread_ = std::thread([this, reply = std::move(reply), after] {
    try {
      serve_once(reply, after);
    } catch (const Poco::Exception&) {
      // The client went away first: what it saw is the test's to check.
    }
  });
}

void ScriptedServer::serve_once(const std::string& reply, After after) {
  // Bounded waits, so that a test that never connects or never closes still ends.
  const Poco::Timespan patience(30, 0);
  if (!socket_.poll(patience, Poco::Net::Socket::SELECT_READ)) return;
  Poco::Net::StreamSocket connection = socket_.acceptConnection();
  connection.setReceiveTimeout(patience);
  std::string head;
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    const int received = connection.receiveBytes(buffer, sizeof buffer);
    if (received <= 0) return;
    head.append(buffer, static_cast<size_t>(received));
  }
  connection.sendBytes(reply.data(), static_cast<int>(reply.size()));
  if (after == After::kStall) {
    while (connection.poll(patience, Poco::Net::Socket::SELECT_READ) &&
           connection.receiveBytes(buffer, sizeof buffer) > 0) {
    }
  }
  connection.shutdownSend();
  connection.close();
}

ScriptedServer::~ScriptedServer() { thread_.join(); }

std::string ScriptedServer::url(const std::string& path) const {
  return loopback_url(false, socket_.address().port(), path);
}

FullBacklogServer::FullBacklogServer() : socket_(loopback_any_port(), 0) {
  port_ = socket_.address().port();
  // With a backlog of 0 the queue holds one connection; this one fills it.
  queued_connection_.connect(socket_.address(), Poco::Timespan(5, 0));
}

uint16_t closed_port() {
  Poco::Net::ServerSocket socket(loopback_any_port());
  const uint16_t port = socket.address().port();
  socket.close();
  return port;
}

std::optional<std::string> find_header(const Response& response, const std::string& name) {
  const auto same_name = [&name](const Header& header) {
    return std::equal(
        header.first.begin(), header.first.end(), name.begin(), name.end(),
        [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
  };
  const auto found = std::find_if(response.headers.begin(), response.headers.end(), same_name);
  if (found == response.headers.end()) return std::nullopt;
  return found->second;
}

}  // namespace weft::http::testing
