// The TLS client contexts of outgoing requests.
#pragma once

#include <Poco/Net/Context.h>

namespace weft::http::detail {

// The process-wide client context: with `verify_peer`, the handshake verifies the peer's chain
// against the system CA store (OpenSSL's default paths, so SSL_CERT_FILE and SSL_CERT_DIR apply);
// without, it accepts any certificate. The peer name is left to the socket.
// Initializes Poco's SSL library and builds each context once, thread-safely, on first use; an
// OpenSSL context may be shared by concurrent connections. Throws Poco::Net::SSLException (or
// SSLContextException) when the context cannot be built; a later call tries again.
Poco::Net::Context::Ptr client_tls_context(bool verify_peer);

}  // namespace weft::http::detail
