// Real servers on 127.0.0.1 ephemeral ports for the HTTP client tests.
#pragma once

#include <weft/runtime/http_client.hpp>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace weft::http::testing {

// A private key and its certificate, as PEM files.
struct KeyPair {
  std::string key_path;
  std::string certificate_path;
};

// Throwaway certificates made with the openssl command line, in a temporary folder removed with
// the object: a test CA, two certificates it signs, and a self-signed one nobody trusts.
class TestCertificates {
 public:
  TestCertificates();
  ~TestCertificates();
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  // The test CA's certificate.
  std::string ca_path() const { return path("ca.pem"); }
  // Signed by the test CA, for localhost and 127.0.0.1.
  KeyPair for_localhost() const { return {path("localhost.key"), path("localhost.pem")}; }
  // Signed by the test CA, for elsewhere.test only.
  KeyPair for_elsewhere() const { return {path("elsewhere.key"), path("elsewhere.pem")}; }
  // Self-signed, for localhost and 127.0.0.1.
  KeyPair self_signed() const { return {path("self.key"), path("self.pem")}; }

 private:
  std::string path(const std::string& file) const { return (folder_ / file).string(); }
  // Makes a key and a certificate for `common_name` and `alt_names`, signed by the test CA.
  void make_signed(const std::string& name, const std::string& common_name,
                   const std::string& alt_names, int serial) const;

  std::filesystem::path folder_;
};

// One set of certificates for the whole test program, made on first use.
const TestCertificates& test_certificates();

// A Poco HTTPServer, plain or TLS, answering these routes:
//   /echo          200; body: the request body; headers: X-Echo-Method, X-Echo-Target (the
//                  request target as received) and X-Echo-Header-<name> for every request header
//   /chunked       200, chunked: "chunk 0\n" ... for ?pieces=N pieces (default 5)
//   /bytes         200, ?count=N bytes of 'x' with Content-Length
//   /status/<n>    status n, body "status <n>"
//   /redirect      302 to /echo
class LocalHttpServer {
 public:
  // Plain HTTP.
  LocalHttpServer();
  // HTTPS, presenting `identity`.
  explicit LocalHttpServer(const KeyPair& identity);
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port><path>" or https.
  std::string url(const std::string& path) const;

 private:
  void start(const Poco::Net::ServerSocket& socket, bool tls);

  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
  bool tls_ = false;
};

// Listens but never accepts: the kernel completes the TCP handshake, and no byte ever comes
// back — neither an HTTP response nor a TLS handshake.
class SilentServer {
 public:
  SilentServer();
  uint16_t port() const { return port_; }

 private:
  Poco::Net::ServerSocket socket_;
  uint16_t port_ = 0;
};

// Accepts one connection, reads the request head, writes `reply` byte for byte, then closes or
// (kStall) keeps the connection open, silent, until the client closes it.
class ScriptedServer {
 public:
  enum class After { kClose, kStall };
  explicit ScriptedServer(std::string reply, After after = After::kClose);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string url(const std::string& path) const;

 private:
  void serve_once(const std::string& reply, After after);

  Poco::Net::ServerSocket socket_;
  std::thread thread_;
};

// Listens with a full accept queue: a new connection attempt gets no answer at all, so connecting
// to it can only time out.
class FullBacklogServer {
 public:
  FullBacklogServer();
  uint16_t port() const { return port_; }

 private:
  Poco::Net::ServerSocket socket_;
  Poco::Net::StreamSocket queued_connection_;
  uint16_t port_ = 0;
};

// A port on 127.0.0.1 that nothing listens on.
uint16_t closed_port();

// The first value of header `name` (any case), if present.
std::optional<std::string> find_header(const Response& response, const std::string& name);

}  // namespace weft::http::testing
