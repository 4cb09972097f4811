#include "http/problem.hpp"
#include "http/response.hpp"

#include <gtest/gtest.h>

namespace weft::http {
namespace {

TEST(Problem, DocumentHasStandardMembersAndExtensions) {
  Problem p = Problem::of(422, "node 'a': unknown type");
  p.instance = "/api/v1/workflows";
  p.with("errors", Json::array({{{"node", "a"}, {"message", "unknown type"}}}));
  Json j = p.to_json();
  EXPECT_EQ(j["type"], "urn:weft:problem:validation");
  EXPECT_EQ(j["title"], "The request is not valid");
  EXPECT_EQ(j["status"], 422);
  EXPECT_EQ(j["detail"], "node 'a': unknown type");
  EXPECT_EQ(j["instance"], "/api/v1/workflows");
  EXPECT_EQ(j["errors"][0]["node"], "a");
}

TEST(Problem, ExtensionsCannotOverwriteStandardMembers) {
  Problem p = Problem::of(404, "x");
  p.with("status", 200).with("type", "evil").with("extra", 1);
  Json j = p.to_json();
  EXPECT_EQ(j["status"], 404);
  EXPECT_EQ(j["type"], "urn:weft:problem:not-found");
  EXPECT_EQ(j["extra"], 1);
}

TEST(Problem, OmitsEmptyDetailAndInstance) {
  Json j = Problem::of(405).to_json();
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_FALSE(j.contains("instance"));
}

TEST(Problem, MapsEveryCodeToOneStatus) {
  EXPECT_EQ(http_status_of(Code::kInvalid), 422);
  EXPECT_EQ(http_status_of(Code::kNotFound), 404);
  EXPECT_EQ(http_status_of(Code::kConflict), 409);
  EXPECT_EQ(http_status_of(Code::kUnavailable), 503);
  EXPECT_EQ(http_status_of(Code::kCancelled), 409);
  EXPECT_EQ(http_status_of(Code::kTimeout), 504);
  EXPECT_EQ(http_status_of(Code::kUnsupported), 501);
  EXPECT_EQ(http_status_of(Code::kNode), 502);
  EXPECT_EQ(http_status_of(Code::kInternal), 500);
}

TEST(Problem, FromStatusKeepsUserMessages) {
  Problem p = problem_from_status(Status::not_found("workflow 'x' does not exist"));
  EXPECT_EQ(p.status, 404);
  EXPECT_EQ(p.detail, "workflow 'x' does not exist");
  EXPECT_EQ(problem_from_status(Status::invalid("bad"), 400).status, 400);
  EXPECT_EQ(problem_from_status(Status::invalid("bad")).status, 422);
  EXPECT_EQ(problem_from_status(Status::cancelled("stopped")).type, "urn:weft:problem:cancelled");
}

TEST(Problem, InternalMessageNeverReachesTheClient) {
  Problem p = problem_from_status(Status::internal("std::bad_alloc at db.cpp:42 password=hunter2"));
  EXPECT_EQ(p.status, 500);
  EXPECT_EQ(p.detail.find("hunter2"), std::string::npos);
  EXPECT_EQ(p.detail.find("db.cpp"), std::string::npos);
}

TEST(Problem, UnavailableCarriesRetryAfter) {
  Response r = Response::problem(Status::unavailable("database restarting"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers.get("Retry-After"), "5");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(Json::parse(r.body)["detail"], "database restarting");
}

TEST(Problem, UnknownStatusStillHasTypeAndTitle) {
  Problem p = Problem::of(418);
  EXPECT_EQ(p.type, "urn:weft:problem:http-418");
  EXPECT_FALSE(p.title.empty());
}

}  // namespace
}  // namespace weft::http
