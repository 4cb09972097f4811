#include "http/request_head.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NetException.h>

#include <istream>
#include <streambuf>

namespace weft::http {

namespace {

// Hands Poco the source's bytes one at a time (so nothing past the head is consumed) and stops
// at the byte limit.
class LimitedHeadBuffer : public std::streambuf {
 public:
  LimitedHeadBuffer(ByteSource& source, size_t limit) : source_(source), limit_(limit) {}

  bool limit_hit() const { return limit_hit_; }
  // The first non-empty line was not "METHOD TARGET VERSION": reading stopped there, since
  // Poco's parser would otherwise read on past the line end looking for the missing parts.
  bool bad_request_line() const { return bad_request_line_; }
  bool saw_line_end() const { return saw_line_end_; }
  size_t consumed() const { return consumed_; }
  // True when the bytes consumed end with an empty line: the head arrived whole.
  bool ended_with_blank_line() const {
    std::string_view t(tail_, tail_len_);
    return t.ends_with("\n\r\n") || t.ends_with("\n\n");
  }

 protected:
  int_type underflow() override {
    if (bad_request_line_) return traits_type::eof();
    if (consumed_ >= limit_) {
      limit_hit_ = true;
      return traits_type::eof();
    }
    int c = source_.get();
    if (c < 0) return traits_type::eof();
    ++consumed_;
    ch_ = static_cast<char>(c);
    if (!saw_line_end_) check_request_line(ch_);
    if (tail_len_ == sizeof tail_) {
      tail_[0] = tail_[1];
      tail_[1] = tail_[2];
      tail_len_ = 2;
    }
    tail_[tail_len_++] = ch_;
    setg(&ch_, &ch_, &ch_ + 1);
    return traits_type::to_int_type(ch_);
  }

 private:
  void check_request_line(char c) {
    if (c != '\n') {
      if (c != '\r') line_.push_back(c);
      return;
    }
    if (line_.empty()) return;  // empty lines before a request are ignored (RFC 9112 2.2)
    saw_line_end_ = true;
    size_t first = line_.find(' '), last = line_.rfind(' ');
    if (first == std::string::npos || first == last || first == 0 || last + 1 == line_.size() ||
        line_.find(' ', first + 1) != last)
      bad_request_line_ = true;
  }

  ByteSource& source_;
  size_t limit_;
  std::string line_;  // the request line so far
  bool bad_request_line_ = false;
  size_t consumed_ = 0;
  bool limit_hit_ = false;
  bool saw_line_end_ = false;
  char ch_ = 0;
  char tail_[3] = {};
  size_t tail_len_ = 0;
};

HeadOutcome outcome(HeadOutcome::Kind kind, std::string detail) { return {kind, std::move(detail)}; }

}  // namespace

HeadOutcome read_request_head(ByteSource& source, const HeadLimits& limits, RequestHead& head) {
  LimitedHeadBuffer buffer(source, limits.max_bytes);
  std::istream in(&buffer);
  Poco::Net::HTTPRequest request;
  request.setFieldLimit(limits.max_fields);
  std::string parse_error;
  bool no_message = false;
  try {
    request.read(in);
  } catch (const Poco::Net::NoMessageException&) {
    no_message = true;
  } catch (const Poco::Exception& e) {
    parse_error = e.message().empty() ? e.displayText() : e.message();
  }
  using Kind = HeadOutcome::Kind;
  if (buffer.bad_request_line())
    return outcome(Kind::kMalformed, "the request line must be METHOD TARGET HTTP-VERSION");
  if (buffer.limit_hit()) {
    if (!buffer.saw_line_end())
      return outcome(Kind::kUriTooLong, "the request line is longer than the limit of " +
                                            std::to_string(limits.max_bytes) + " bytes");
    return outcome(Kind::kTooLarge, "the request header is larger than the limit of " +
                                        std::to_string(limits.max_bytes) + " bytes");
  }
  switch (source.failure()) {
    case ByteSource::Failure::kTimeout:
      return outcome(Kind::kTimeout, "the request header was not received in time");
    case ByteSource::Failure::kBroken: return outcome(Kind::kBroken, "the connection failed");
    case ByteSource::Failure::kNone: break;
  }
  if (no_message || (buffer.consumed() == 0)) return outcome(Kind::kNoRequest, {});
  if (!parse_error.empty()) {
    if (parse_error.find("Too many header fields") != std::string::npos)
      return outcome(Kind::kTooLarge, "the request has more than " + std::to_string(limits.max_fields) +
                                          " header fields");
    if (parse_error.find("too long") != std::string::npos && parse_error.find("URI") != std::string::npos)
      return outcome(Kind::kUriTooLong, "the request target is too long");
    if (parse_error.find("Field value too long") != std::string::npos ||
        parse_error.find("Field name too long") != std::string::npos)
      return outcome(Kind::kTooLarge, "a request header field is too long or malformed");
    return outcome(Kind::kMalformed, "the request head is malformed");
  }
  // An input that ended inside the head parses as a short request: refuse it.
  if (!buffer.ended_with_blank_line())
    return outcome(Kind::kMalformed, "the request head ended before its empty line");
  const std::string& version = request.getVersion();
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return outcome(Kind::kMalformed, "unsupported HTTP version (HTTP/1.1 and HTTP/1.0 are served)");
  if (request.getURI().empty()) return outcome(Kind::kMalformed, "the request target is empty");
  head.method = request.getMethod();
  head.target = request.getURI();
  head.version = version;
  head.headers = HeaderList();
  for (const auto& [name, value] : request) head.headers.add(name, value);
  return outcome(Kind::kOk, {});
}

}  // namespace weft::http
