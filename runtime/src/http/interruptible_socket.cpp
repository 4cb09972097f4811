#include "interruptible_socket.hpp"

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/Socket.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <functional>

namespace weft::http::detail {

using Poco::Net::SecureStreamSocket;
using Poco::Net::Socket;

InterruptibleStreamSocketImpl::InterruptibleStreamSocketImpl(RequestWaiter& waiter)
    : waiter_(waiter) {}

void InterruptibleStreamSocketImpl::connect(const Poco::Net::SocketAddress& address,
                                            const Poco::Timespan& timeout) {
  const Clock::time_point give_up_at =
      Clock::now() + std::chrono::microseconds(timeout.totalMicroseconds());
  connectNB(address);
  waiter_.wait_until_ready(*this, Socket::SELECT_WRITE | Socket::SELECT_ERROR, give_up_at);
  if (const int error_code = socketError(); error_code != 0) error(error_code, address.toString());
  setBlocking(true);
}

int InterruptibleStreamSocketImpl::sendBytes(const void* buffer, int length, int flags) {
  waiter_.wait_until_ready(*this, Socket::SELECT_WRITE);
  return StreamSocketImpl::sendBytes(buffer, length, flags);
}

int InterruptibleStreamSocketImpl::receiveBytes(void* buffer, int length, int flags) {
  waiter_.wait_until_ready(*this, Socket::SELECT_READ);
  return StreamSocketImpl::receiveBytes(buffer, length, flags);
}

InterruptibleSecureStreamSocketImpl::InterruptibleSecureStreamSocketImpl(
    RequestWaiter& waiter, Poco::Net::Context::Ptr context, const std::string& peer_host_name)
    : InterruptibleSecureStreamSocketImpl(
          Poco::AutoPtr<InterruptibleStreamSocketImpl>(new InterruptibleStreamSocketImpl(waiter)),
          waiter, std::move(context), peer_host_name) {}

InterruptibleSecureStreamSocketImpl::InterruptibleSecureStreamSocketImpl(
    Poco::AutoPtr<InterruptibleStreamSocketImpl> transport, RequestWaiter& waiter,
    Poco::Net::Context::Ptr context, const std::string& peer_host_name)
    : SecureStreamSocketImpl(transport.get(), std::move(context)),
      transport_(std::move(transport)),
      waiter_(waiter) {
  setPeerHostName(peer_host_name);
  // connect() performs the handshake itself, in slices, rather than Poco blocking on it.
  setLazyHandshake(true);
}

void InterruptibleSecureStreamSocketImpl::connect(const Poco::Net::SocketAddress& address,
                                                  const Poco::Timespan& timeout) {
  SecureStreamSocketImpl::connect(address, timeout);
  transport_->setBlocking(false);
  if (call_until_done([this] { return completeHandshake(); }) != 1) {
    throw Poco::Net::SSLConnectionUnexpectedlyClosedException("peer closed during the handshake");
  }
  verify_peer_name();
}

int InterruptibleSecureStreamSocketImpl::sendBytes(const void* buffer, int length, int flags) {
  return call_until_done([&] { return SecureStreamSocketImpl::sendBytes(buffer, length, flags); });
}

int InterruptibleSecureStreamSocketImpl::receiveBytes(void* buffer, int length, int flags) {
  return call_until_done(
      [&] { return SecureStreamSocketImpl::receiveBytes(buffer, length, flags); });
}

void InterruptibleSecureStreamSocketImpl::verify_peer_name() {
  if (context()->verificationMode() == Poco::Net::Context::VERIFY_NONE) return;
  const Poco::Net::X509Certificate certificate = peerCertificate();
  // OpenSSL 3 declares the certificate non-const for its internal caches only.
  X509* const x509 = const_cast<X509*>(certificate.certificate());
  const std::string& host = getPeerHostName();
  Poco::Net::IPAddress address;
  const bool matches = Poco::Net::IPAddress::tryParse(host, address)
                           ? X509_check_ip_asc(x509, host.c_str(), 0) == 1
                           : X509_check_host(x509, host.data(), host.size(), 0, nullptr) == 1;
  if (!matches) {
    throw Poco::Net::CertificateValidationException("the certificate is not valid for " + host);
  }
}

int InterruptibleSecureStreamSocketImpl::call_until_done(const std::function<int()>& tls_call) {
  for (;;) {
    waiter_.check();
    // Newer Poco releases read errno to tell a socket error from a TLS one; a stale EAGAIN left
    // by an earlier "want read" would turn a TLS failure into a timeout.
    errno = 0;
    const int result = tls_call();
    if (result == SecureStreamSocket::ERR_SSL_WANT_READ) {
      waiter_.wait_until_ready(*transport_, Socket::SELECT_READ);
    } else if (result == SecureStreamSocket::ERR_SSL_WANT_WRITE) {
      waiter_.wait_until_ready(*transport_, Socket::SELECT_WRITE);
    } else {
      return result;
    }
  }
}

}  // namespace weft::http::detail
