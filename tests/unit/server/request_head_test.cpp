#include "http/request_head.hpp"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

using Kind = HeadOutcome::Kind;

HeadOutcome read(const std::string& bytes, RequestHead& head, HeadLimits limits = {}) {
  StringSource src(bytes);
  return read_request_head(src, limits, head);
}

TEST(RequestHead, ParsesLineAndFieldsAndStopsAtTheBody) {
  std::string bytes = "POST /api/v1/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n{}";
  StringSource src(bytes);
  RequestHead head;
  auto r = read_request_head(src, {}, head);
  ASSERT_EQ(r.kind, Kind::kOk) << r.detail;
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.target, "/api/v1/x?y=1");
  EXPECT_EQ(head.version, "HTTP/1.1");
  EXPECT_EQ(head.headers.get("content-length"), "2");
  EXPECT_EQ(head.headers.all("X-Dup").size(), 2u);
  EXPECT_EQ(src.remaining(), 2u);
}

TEST(RequestHead, BareLineFeedsAndLeadingEmptyLinesAreAccepted) {
  RequestHead head;
  EXPECT_EQ(read("\r\nGET / HTTP/1.0\nHost: a\n\n", head).kind, Kind::kOk);
  EXPECT_EQ(head.version, "HTTP/1.0");
}

TEST(RequestHead, TooManyFieldsIs431) {
  std::string bytes = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 11; ++i) bytes += "X-" + std::to_string(i) + ": v\r\n";
  bytes += "\r\n";
  RequestHead head;
  EXPECT_EQ(read(bytes, head, {10, 8192}).kind, Kind::kTooLarge);
  EXPECT_EQ(read(bytes, head, {11, 8192}).kind, Kind::kOk);
}

TEST(RequestHead, TooManyBytesIs431) {
  std::string bytes = "GET / HTTP/1.1\r\nX-Big: " + std::string(600, 'v') + "\r\n\r\n";
  RequestHead head;
  auto r = read(bytes, head, {100, 512});
  EXPECT_EQ(r.kind, Kind::kTooLarge);
  EXPECT_NE(r.detail.find("512"), std::string::npos);
  EXPECT_EQ(read(bytes, head, {100, 1024}).kind, Kind::kOk);
}

TEST(RequestHead, LongRequestLineIs414) {
  std::string bytes = "GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n\r\n";
  RequestHead head;
  EXPECT_EQ(read(bytes, head, {100, 1024}).kind, Kind::kUriTooLong);
}

TEST(RequestHead, GarbageIsMalformedWithoutWaitingForMore) {
  RequestHead head;
  EXPECT_EQ(read("GARBAGE\r\n\r\n", head).kind, Kind::kMalformed);
  EXPECT_EQ(read("GET /\r\nHost: x\r\n\r\n", head).kind, Kind::kMalformed);
  EXPECT_EQ(read("GET / HTTP/2.0\r\n\r\n", head).kind, Kind::kMalformed);
  EXPECT_EQ(read("GET  / HTTP/1.1\r\n\r\n", head).kind, Kind::kMalformed);
}

TEST(RequestHead, HeadEndingEarlyIsMalformed) {
  RequestHead head;
  EXPECT_EQ(read("GET / HTTP/1.1\r\nHost: a\r\n", head).kind, Kind::kMalformed);
}

TEST(RequestHead, NoBytesIsNoRequest) {
  RequestHead head;
  EXPECT_EQ(read("", head).kind, Kind::kNoRequest);
}

}  // namespace
}  // namespace weft::http
