#include "http/body_reader.hpp"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

using Kind = BodyOutcome::Kind;

TEST(BodyReader, ReadsContentLengthExactly) {
  std::string bytes = "{\"a\":1}GET /next";
  StringSource src(bytes);
  std::string out;
  auto r = read_body(src, BodyFraming::kLength, 7, 100, out);
  EXPECT_EQ(r.kind, Kind::kComplete);
  EXPECT_EQ(out, "{\"a\":1}");
  EXPECT_EQ(src.remaining(), 9u);  // the next request stays unread
}

TEST(BodyReader, DeclaredLengthOverLimitIsRefusedUnread) {
  std::string bytes(5000, 'x');
  StringSource src(bytes);
  std::string out;
  auto r = read_body(src, BodyFraming::kLength, 5000, 4096, out);
  EXPECT_EQ(r.kind, Kind::kTooLarge);
  EXPECT_EQ(src.remaining(), 5000u);
  EXPECT_TRUE(out.empty());
  EXPECT_NE(r.detail.find("4096"), std::string::npos);
}

TEST(BodyReader, ShortBodyIsTruncated) {
  std::string bytes = "abc";
  StringSource src(bytes);
  std::string out;
  EXPECT_EQ(read_body(src, BodyFraming::kLength, 10, 100, out).kind, Kind::kTruncated);
}

TEST(BodyReader, DecodesChunkedWithExtensionsAndTrailer) {
  std::string bytes = "4\r\nWiki\r\n5;name=v\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
  StringSource src(bytes);
  std::string out;
  auto r = read_body(src, BodyFraming::kChunked, 0, 100, out);
  EXPECT_EQ(r.kind, Kind::kComplete) << r.detail;
  EXPECT_EQ(out, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_EQ(src.remaining(), 4u);
}

TEST(BodyReader, ChunkedOverLimitStopsBeforeTheCrossingChunk) {
  std::string chunk(1000, 'a');
  std::string bytes;
  for (int i = 0; i < 10; ++i) bytes += "3e8\r\n" + chunk + "\r\n";
  bytes += "0\r\n\r\n";
  StringSource src(bytes);
  std::string out;
  auto r = read_body(src, BodyFraming::kChunked, 0, 2500, out);
  EXPECT_EQ(r.kind, Kind::kTooLarge);
  EXPECT_LE(out.size(), 2500u);
  // Two chunks (2000 bytes) were taken; the third one's data was never read.
  EXPECT_EQ(out.size(), 2000u);
  EXPECT_EQ(src.remaining(), bytes.size() - 2 * 1007 - 5);
}

TEST(BodyReader, ChunkedOneHugeChunkIsRefusedByItsSize) {
  std::string bytes = "FFFFFFFF\r\nabc";
  StringSource src(bytes);
  std::string out;
  EXPECT_EQ(read_body(src, BodyFraming::kChunked, 0, 1024, out).kind, Kind::kTooLarge);
  EXPECT_EQ(src.remaining(), 3u);
}

TEST(BodyReader, MalformedChunkedIsRefused) {
  for (std::string bytes : {"zz\r\nab\r\n0\r\n\r\n", "2\r\nabX\r\n0\r\n\r\n", "2x\r\nab\r\n0\r\n\r\n",
                            "12345678901234567\r\n"}) {
    StringSource src(bytes);
    std::string out;
    EXPECT_EQ(read_body(src, BodyFraming::kChunked, 0, 1 << 20, out).kind, Kind::kMalformed) << bytes;
  }
}

TEST(BodyReader, ChunkedEndingEarlyIsTruncated) {
  std::string bytes = "5\r\nab";
  StringSource src(bytes);
  std::string out;
  EXPECT_EQ(read_body(src, BodyFraming::kChunked, 0, 100, out).kind, Kind::kTruncated);
  std::string no_last = "2\r\nab\r\n";
  StringSource src2(no_last);
  EXPECT_EQ(read_body(src2, BodyFraming::kChunked, 0, 100, out).kind, Kind::kTruncated);
}

}  // namespace
}  // namespace weft::http
