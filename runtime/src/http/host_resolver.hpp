// Name resolution that a request can walk away from.
#pragma once

#include "request_waiter.hpp"

#include <Poco/Net/IPAddress.h>

#include <string>

namespace weft::http::detail {

// The address to connect to for `host`: the host itself when it is an IP literal, otherwise the
// first IPv4 address the system resolver gives (or the first address, when none is IPv4), as
// Poco::Net::SocketAddress chooses. The system resolver cannot be interrupted, so a lookup runs on
// a thread of its own while the caller waits through `waiter`; on cancellation or at the deadline
// the caller returns (RequestInterrupted) and the lookup finishes unobserved. Throws Poco's
// DNSException family when the name does not resolve.
Poco::Net::IPAddress resolve_host(const std::string& host, RequestWaiter& waiter);

}  // namespace weft::http::detail
