#include "tls_context.hpp"

#include <Poco/Net/NetSSL.h>
#include <openssl/ssl.h>

namespace weft::http::detail {

namespace {

void initialize_ssl_once() {
  static const bool initialized = [] {
    Poco::Net::initializeSSL();
    return true;
  }();
  (void)initialized;
}

Poco::Net::Context::Ptr make_client_context(bool verify_peer) {
  initialize_ssl_once();
  using Poco::Net::Context;
  Context::Params params;
  params.verificationMode = verify_peer ? Context::VERIFY_RELAXED : Context::VERIFY_NONE;
  params.loadDefaultCAs = verify_peer;
  Context::Ptr context = new Context(Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Context::PROTO_TLSV1_2);
  // The peer name is checked by InterruptibleSecureStreamSocketImpl with OpenSSL. Poco's own check
  // skips loopback peers and resolves names again, outside the request's waits.
  context->enableExtendedCertificateVerification(false);
  if (verify_peer) {
    // OpenSSL's own verdict on the chain decides, rather than Poco's SSLManager callback: that one
    // asks the process-wide certificate handlers, which any other part of the process may have
    // set to accept everything.
    SSL_CTX_set_verify(context->sslContext(), SSL_VERIFY_PEER, nullptr);
  }
  return context;
}

}  // namespace

Poco::Net::Context::Ptr client_tls_context(bool verify_peer) {
  if (verify_peer) {
    static const Poco::Net::Context::Ptr verifying = make_client_context(true);
    return verifying;
  }
  static const Poco::Net::Context::Ptr accepting_any = make_client_context(false);
  return accepting_any;
}

}  // namespace weft::http::detail
