// Poco socket implementations whose every wait goes through a RequestWaiter. Poco's HTTP
// sessions drive them unchanged; only the waiting differs from Poco's own sockets.
#pragma once

#include "request_waiter.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timespan.h>

#include <functional>
#include <string>

namespace weft::http::detail {

// A TCP socket for plain HTTP, and the transport under TLS. Blocking once connected, but each
// send or receive first waits for readiness through the waiter, so none waits in the kernel for
// data that is not there (a send may still wait for buffer space, up to the socket timeout).
class InterruptibleStreamSocketImpl final : public Poco::Net::StreamSocketImpl {
 public:
  // `waiter` must outlive the socket.
  explicit InterruptibleStreamSocketImpl(RequestWaiter& waiter);

  // Starts a non-blocking connect and waits for it in slices. Throws Poco::TimeoutException
  // when `timeout` passes first (before the deadline, the only source of that exception in a
  // request), and Poco's connection exceptions (ConnectionRefusedException, ...) when the connect
  // fails.
  void connect(const Poco::Net::SocketAddress& address, const Poco::Timespan& timeout) override;
  int sendBytes(const void* buffer, int length, int flags = 0) override;
  int receiveBytes(void* buffer, int length, int flags = 0) override;

 private:
  RequestWaiter& waiter_;
};

// A TLS client socket over an InterruptibleStreamSocketImpl. The TLS layer runs non-blocking:
// when OpenSSL wants to read or write, the socket waits for that through the waiter and retries,
// so the handshake and every record end promptly on cancellation or at the deadline.
class InterruptibleSecureStreamSocketImpl final : public Poco::Net::SecureStreamSocketImpl {
 public:
  // `peer_host_name` (a name or an IP literal) is sent as SNI and, when `context` verifies
  // peers, must match the certificate. `waiter` must outlive the socket.
  InterruptibleSecureStreamSocketImpl(RequestWaiter& waiter, Poco::Net::Context::Ptr context,
                                      const std::string& peer_host_name);

  // Connects TCP, performs the TLS handshake (where OpenSSL checks the chain) and checks the peer
  // name. Throws Poco's SSLException family when TLS fails (CertificateValidationException for a
  // name mismatch), otherwise as InterruptibleStreamSocketImpl::connect.
  void connect(const Poco::Net::SocketAddress& address, const Poco::Timespan& timeout) override;
  int sendBytes(const void* buffer, int length, int flags = 0) override;
  int receiveBytes(void* buffer, int length, int flags = 0) override;

 private:
  InterruptibleSecureStreamSocketImpl(Poco::AutoPtr<InterruptibleStreamSocketImpl> transport,
                                      RequestWaiter& waiter, Poco::Net::Context::Ptr context,
                                      const std::string& peer_host_name);

  // Unless the context accepts any peer, throws CertificateValidationException when the peer's
  // certificate is not for the peer host name (subjectAltName, else common name; RFC 6125 rules
  // as OpenSSL applies them, IP literals against IP entries).
  void verify_peer_name();

  // Calls `tls_call`, a non-blocking TLS step, until it no longer asks to wait for reading or
  // writing, waiting for that through the waiter in between; returns its last result.
  int call_until_done(const std::function<int()>& tls_call);

  Poco::AutoPtr<InterruptibleStreamSocketImpl> transport_;
  RequestWaiter& waiter_;
};

}  // namespace weft::http::detail
