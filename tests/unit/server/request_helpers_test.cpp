// Query parameters, pagination, JSON content types, the response head.
#include "http/json_body.hpp"
#include "http/pagination.hpp"
#include "http/query_params.hpp"
#include "http/response_writer.hpp"
#include "http/url_encoding.hpp"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

Request with_query(const std::string& query) {
  Request r;
  r.query_params = *parse_query(query);
  return r;
}

TEST(QueryParams, IntegerWithinRange) {
  EXPECT_EQ(*query_int(with_query("n=5"), "n", 1, 0, 10), 5);
  EXPECT_EQ(*query_int(with_query(""), "n", 7, 0, 10), 7);
  for (auto bad : {"n=11", "n=-1", "n=abc", "n=5x", "n=", "n=99999999999999999999"}) {
    auto r = query_int(with_query(bad), "n", 1, 0, 10);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.status().message(), "query parameter 'n' must be an integer from 0 to 10");
  }
}

TEST(QueryParams, Booleans) {
  EXPECT_TRUE(*query_bool(with_query("a=true"), "a", false));
  EXPECT_TRUE(*query_bool(with_query("a=1"), "a", false));
  EXPECT_TRUE(*query_bool(with_query("a"), "a", false));
  EXPECT_FALSE(*query_bool(with_query("a=false"), "a", true));
  EXPECT_FALSE(*query_bool(with_query("a=0"), "a", true));
  EXPECT_TRUE(*query_bool(with_query(""), "a", true));
  EXPECT_FALSE(query_bool(with_query("a=yes"), "a", true));
}

TEST(QueryParams, DecodingAndRepeats) {
  Request r = with_query("a=x+y&b=%2F%26&a=2&empty=");
  EXPECT_EQ(r.query("a"), "x y");
  EXPECT_EQ(r.query("b"), "/&");
  EXPECT_EQ(r.query_all("a").size(), 2u);
  EXPECT_EQ(r.query("empty"), "");
  EXPECT_FALSE(r.query("none"));
  EXPECT_FALSE(parse_query("a=%2"));
  EXPECT_FALSE(parse_query("a=%00"));
}

TEST(Pagination, DefaultsAndBounds) {
  auto page = PageRequest::from(with_query(""));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 50);
  EXPECT_EQ(page->cursor, "");
  EXPECT_EQ(PageRequest::from(with_query("limit=1000&cursor=abc"))->limit, 1000);
  EXPECT_EQ(PageRequest::from(with_query("limit=1000&cursor=abc"))->cursor, "abc");
  EXPECT_FALSE(PageRequest::from(with_query("limit=0")));
  EXPECT_FALSE(PageRequest::from(with_query("limit=1001")));
  EXPECT_FALSE(PageRequest::from(with_query("cursor=" + std::string(3000, 'a'))));
  EXPECT_FALSE(PageRequest::from(with_query("cursor=%0A")));
}

TEST(Pagination, PageShape) {
  EXPECT_EQ(page_json(Json::array({1, 2}), "next"), Json::parse(R"({"items":[1,2],"nextCursor":"next"})"));
  EXPECT_EQ(page_json(Json::array(), ""), Json::parse(R"({"items":[],"nextCursor":null})"));
}

TEST(JsonContentType, AcceptsJsonAndSuffixTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/merge-patch+json"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
  EXPECT_FALSE(is_json_content_type(""));
}

TEST(ResponseHead, LengthConnectionAndInjectionGuard) {
  Response r = Response::json({{"a", 1}});
  r.headers.add("X-Evil", "a\r\nSet-Cookie: x=1");
  std::string head = response_head(r, "HTTP/1.1", false);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(head.find("Content-Length: 7\r\n"), std::string::npos);
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos);
  EXPECT_TRUE(head.ends_with("\r\n\r\n"));
  std::string keep = response_head(Response::no_content(), "HTTP/1.0", true);
  EXPECT_EQ(keep.find("Content-Length"), std::string::npos);
  EXPECT_NE(keep.find("Connection: keep-alive"), std::string::npos);
}

TEST(UrlEncoding, RoundTrip) {
  EXPECT_EQ(percent_encode("a b/ü"), "a%20b%2F%C3%BC");
  EXPECT_EQ(*percent_decode("a%20b%2F%C3%BC", false), "a b/ü");
  EXPECT_EQ(*percent_decode("a+b", false), "a+b");
  EXPECT_EQ(*percent_decode("a+b", true), "a b");
}

}  // namespace
}  // namespace weft::http
