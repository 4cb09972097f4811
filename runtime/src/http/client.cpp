#include <weft/runtime/http_client.hpp>

#include "host_resolver.hpp"
#include "interruptible_socket.hpp"
#include "request_waiter.hpp"
#include "target_url.hpp"
#include "tls_context.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPMessage.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <istream>
#include <memory>
#include <ostream>
#include <string_view>

namespace weft::http {

namespace {

using detail::Clock;
using detail::Interruption;
using detail::RequestWaiter;
using detail::TargetUrl;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::any_of(names.begin(), names.end(), [name](std::string_view candidate) {
    return equals_ignoring_case(name, candidate);
  });
}

// RFC 9110 token: method and header names.
bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
  });
}

// RFC 9110 field value: no CR, LF, NUL or other control character but tab.
bool is_field_value(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7F); });
}

Status validate_request(const Request& request) {
  if (!is_token(request.method)) return Status::invalid("the HTTP method is not a valid token");
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) return Status::invalid("a request header name is not a valid token");
    if (!is_field_value(value)) {
      return Status::invalid("request header '" + name + "' has a control character in its value");
    }
  }
  if (!is_field_value(request.traceparent)) {
    return Status::invalid("the traceparent has a control character");
  }
  return Status::ok();
}

// Message framing is the client's: a caller's value could contradict the body actually sent.
bool is_framing_header(std::string_view name) {
  return is_one_of(name, {"Content-Length", "Transfer-Encoding", "Connection"});
}

// Headers the client sets itself unless the caller gives its own.
bool replaces_client_default(std::string_view name) {
  return is_one_of(name, {"Host", "User-Agent", "Authorization"});
}

// Methods whose requests carry a body, so that an empty one is still announced.
bool method_sends_body(std::string_view method) {
  return is_one_of(method, {"POST", "PUT", "PATCH"});
}

// Whether the response to `method` with `status` has a body (RFC 9110, 6.4.1).
bool response_has_body(std::string_view method, int status) {
  return !equals_ignoring_case(method, "HEAD") && status >= 200 && status != 204 && status != 304;
}

Poco::Timespan to_timespan(Clock::duration duration) {
  // At least a millisecond: a zero socket timeout would mean "wait forever".
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  return Poco::Timespan(std::max<Poco::Timespan::TimeDiff>(micros, 1000));
}

void fill_request(Poco::Net::HTTPRequest& http_request, const TargetUrl& url,
                  const Request& request, const ClientOptions& options) {
  http_request.setHost(url.host_header);
  if (!options.user_agent.empty()) http_request.set("User-Agent", options.user_agent);
  if (url.has_credentials) {
    Poco::Net::HTTPBasicCredentials(url.user, url.password).authenticate(http_request);
  }
  for (const auto& [name, value] : request.headers) {
    if (is_framing_header(name)) continue;
    if (replaces_client_default(name)) {
      http_request.set(name, value);
    } else {
      http_request.add(name, value);
    }
  }
  if (!request.traceparent.empty()) http_request.set("traceparent", request.traceparent);
  if (!request.body.empty() || method_sends_body(request.method)) {
    http_request.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
  }
}

// A session for one exchange with `address`, over sockets that wait through `waiter`.
std::unique_ptr<Poco::Net::HTTPClientSession> open_session(const TargetUrl& url,
                                                           const Poco::Net::IPAddress& address,
                                                           bool verify_peer,
                                                           RequestWaiter& waiter) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (url.tls) {
    const Poco::Net::SecureStreamSocket socket{
        Poco::Net::StreamSocket(new detail::InterruptibleSecureStreamSocketImpl(
            waiter, detail::client_tls_context(verify_peer), url.host))};
    session = std::make_unique<Poco::Net::HTTPSClientSession>(socket);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(
        Poco::Net::StreamSocket(new detail::InterruptibleStreamSocketImpl(waiter)));
  }
  // The address is resolved already; the Host header and TLS peer name carry the URL's host.
  session->setHost(address.toString());
  session->setPort(url.port);
  // Straight to the server, even if the process set a global Poco proxy.
  session->setProxyConfig(Poco::Net::HTTPClientSession::ProxyConfig());
  session->setKeepAlive(false);
  return session;
}

Status body_too_large(size_t limit) {
  return Status::invalid("the response body exceeds the limit of " + std::to_string(limit) +
                         " bytes");
}

Result<Response> read_response(const Poco::Net::HTTPResponse& http_response,
                               std::istream& body_stream, const Request& request,
                               const TargetUrl& url, size_t max_body_bytes) {
  Response response;
  response.status = static_cast<int>(http_response.getStatus());
  for (const auto& [name, value] : http_response) response.headers.emplace_back(name, value);

  const bool fixed_length = http_response.hasContentLength() &&
                            !http_response.getChunkedTransferEncoding() &&
                            response_has_body(request.method, response.status);
  const Poco::Int64 content_length = fixed_length ? http_response.getContentLength64() : 0;
  if (fixed_length && static_cast<Poco::UInt64>(content_length) > max_body_bytes) {
    return body_too_large(max_body_bytes);
  }

  std::array<char, 64 * 1024> chunk;
  while (body_stream) {
    body_stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto received = static_cast<size_t>(body_stream.gcount());
    if (response.body.size() + received > max_body_bytes) return body_too_large(max_body_bytes);
    response.body.append(chunk.data(), received);
  }

  if (fixed_length && response.body.size() < static_cast<Poco::UInt64>(content_length)) {
    return Status::unavailable(url.peer() + " closed the connection after " +
                               std::to_string(response.body.size()) + " of " +
                               std::to_string(content_length) + " body bytes");
  }
  return response;
}

Result<Response> exchange(const TargetUrl& url, const Request& request,
                          const ClientOptions& options, RequestWaiter& waiter) {
  const Poco::Net::IPAddress address = detail::resolve_host(url.host, waiter);
  std::unique_ptr<Poco::Net::HTTPClientSession> session =
      open_session(url, address, !request.insecure_skip_verify, waiter);
  const Clock::duration remaining = waiter.deadline() - Clock::now();
  // Sockets wait through the waiter; the socket timeouts only back the deadline up.
  session->setTimeout(to_timespan(std::min<Clock::duration>(
                          std::chrono::milliseconds(options.connect_timeout_ms), remaining)),
                      to_timespan(remaining), to_timespan(remaining));

  Poco::Net::HTTPRequest http_request(request.method, url.target, Poco::Net::HTTPMessage::HTTP_1_1);
  fill_request(http_request, url, request, options);

  // Poco's streams report I/O failures as stream states; badbit rethrows the original error.
  std::ostream& request_body = session->sendRequest(http_request);
  request_body.exceptions(std::ios::badbit);
  request_body.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
  request_body.flush();

  Poco::Net::HTTPResponse http_response;
  std::istream& response_body = session->receiveResponse(http_response);
  response_body.exceptions(std::ios::badbit);
  return read_response(http_response, response_body, request, url, options.max_response_bytes);
}

// The Status for the exception being handled. Call only from a catch block.
Status failure_status(const RequestWaiter& waiter, const TargetUrl& url,
                      std::chrono::milliseconds budget) {
  const std::string peer = url.peer();
  if (waiter.interruption() == Interruption::kCancelled) {
    return Status::cancelled("the request to " + peer + " was cancelled");
  }
  if (waiter.interruption() == Interruption::kDeadline || Clock::now() >= waiter.deadline()) {
    return Status::timeout("the request to " + peer + " did not complete within its deadline (" +
                           std::to_string(budget.count()) + " ms)");
  }
  try {
    throw;
  } catch (const Poco::Net::DNSException&) {
    return Status::unavailable("could not resolve host '" + url.host + "'");
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return Status::unavailable("connection refused by " + peer);
  } catch (const Poco::Net::ConnectionResetException&) {
    return Status::unavailable("connection reset by " + peer);
  } catch (const Poco::Net::SSLException& error) {
    return Status::unavailable("TLS with " + peer + " failed: " + error.displayText());
  } catch (const Poco::TimeoutException&) {
    return Status::unavailable("timed out connecting to " + peer);
  } catch (const Poco::Net::NoMessageException&) {
    return Status::unavailable(peer + " closed the connection without a response");
  } catch (const Poco::Net::MessageException&) {
    return Status::unavailable(peer + " sent a malformed HTTP response");
  } catch (const Poco::DataException&) {  // a status code or length that is not a number
    return Status::unavailable(peer + " sent a malformed HTTP response");
  } catch (const Poco::IOException& error) {
    return Status::unavailable("network error with " + peer + ": " + error.displayText());
  } catch (const Poco::Exception& error) {
    return Status::internal("HTTP request to " + peer + " failed: " + error.displayText());
  } catch (const std::exception& error) {
    return Status::internal("HTTP request to " + peer + " failed: " + error.what());
  } catch (...) {
    return Status::internal("HTTP request to " + peer + " failed with an unknown exception");
  }
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {}

Result<Response> Client::perform(const Request& request, const std::function<bool()>& cancelled,
                                 Clock::time_point deadline) const {
  Result<TargetUrl> url = detail::parse_target_url(request.url);
  if (!url.is_ok()) return url.status();
  if (Status valid = validate_request(request); !valid.is_ok()) return valid;

  const Clock::time_point start = Clock::now();
  const std::chrono::milliseconds budget(request.timeout_ms != 0 ? request.timeout_ms
                                                                 : options_.default_timeout_ms);
  RequestWaiter waiter(cancelled, std::min(deadline, start + budget));
  try {
    waiter.check();
    return exchange(*url, request, options_, waiter);
  } catch (...) {
    const auto allowed =
        std::max<Clock::duration>(waiter.deadline() - start, Clock::duration::zero());
    return failure_status(waiter, *url,
                          std::chrono::duration_cast<std::chrono::milliseconds>(allowed));
  }
}

}  // namespace weft::http
