// The ceiling for tests/bench/webhook.sh: a minimal Poco::Net::HTTPServer that answers every
// request 200 with its body sent back as JSON, and does nothing else. weft serve on the same
// machine, under the same wrk load, cannot be faster than this.
//
//   echo_server [--port N] [--threads N]
//
// Listens on 127.0.0.1 (port 0, the default, picks a free one), prints
// "echo_server: listening on http://127.0.0.1:PORT" once it accepts, and stops on SIGTERM or
// SIGINT (exit 0). Bad arguments: one line on stderr, exit 2.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kUsage = "usage: echo_server [--port N] [--threads N]";

// Sends the request body back, 200, as application/json (an empty body answers {}).
class EchoHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    if (body.empty()) body = "{}";
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
  }
};

class EchoFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new EchoHandler;
  }
};

// Parses a whole decimal integer in [low, high]; false otherwise.
bool parse_int(const char* text, int low, int high, int& out) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < low || v > high) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  int threads = 32;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--port" && has_value && parse_int(argv[i + 1], 0, 65535, port)) {
      ++i;
    } else if (arg == "--threads" && has_value && parse_int(argv[i + 1], 1, 4096, threads)) {
      ++i;
    } else {
      std::cerr << "echo_server: bad argument '" << arg << "' (--port takes 0-65535, --threads 1-4096); "
                << kUsage << "\n";
      return 2;
    }
  }

  // Block the stop signals before any thread starts, so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), 256);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(1000);  // as weft serve does
    Poco::ThreadPool pool(2, threads, 60);
    Poco::Net::HTTPServer server(new EchoFactory, pool, socket, params);
    server.start();
    std::cout << "echo_server: listening on http://127.0.0.1:" << socket.address().port() << std::endl;
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stopAll(true);
    pool.joinAll();
  } catch (const Poco::Exception& e) {
    std::cerr << "echo_server: " << e.displayText() << "\n";
    return 1;
  }
  return 0;
}
