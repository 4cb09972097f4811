#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace weft::http {
namespace {

Handler ok_handler(std::string tag) {
  return [tag](Request&) { return Response::json({{"route", tag}}); };
}

RouteSpec spec(std::string id) {
  RouteSpec s;
  s.operation_id = std::move(id);
  s.self_service = true;
  return s;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("GET", "/api/v1/workflows", spec("listWorkflows"), ok_handler("list"));
    router.add("POST", "/api/v1/workflows", spec("createWorkflow"), ok_handler("create"));
    router.add("GET", "/api/v1/workflows/{id}", spec("getWorkflow"), ok_handler("get"));
    router.add("DELETE", "/api/v1/workflows/{id}", spec("deleteWorkflow"), ok_handler("delete"));
    router.add("GET", "/api/v1/workflows/count", spec("countWorkflows"), ok_handler("count"));
    router.add("GET", "/api/v1/workflows/{id}/versions/{version}", spec("getVersion"), ok_handler("version"));
    router.add("POST", "/webhook/{path...}", spec("webhook"), ok_handler("webhook"));
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralPath) {
  auto m = router.match("GET", "/api/v1/workflows");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->spec.operation_id, "listWorkflows");
  EXPECT_EQ(m.route->path.text(), "/api/v1/workflows");
  EXPECT_TRUE(m.params.empty());
}

TEST_F(RouterTest, ExtractsDecodedPathParameters) {
  auto m = router.match("GET", "/api/v1/workflows/wf%2F1%20x/versions/7");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->path.text(), "/api/v1/workflows/{id}/versions/{version}");
  EXPECT_EQ(m.params.at("id"), "wf/1 x");
  EXPECT_EQ(m.params.at("version"), "7");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  auto m = router.match("GET", "/api/v1/workflows/count");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->spec.operation_id, "countWorkflows");
  auto other = router.match("GET", "/api/v1/workflows/abc");
  ASSERT_EQ(other.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(other.route->spec.operation_id, "getWorkflow");
}

TEST_F(RouterTest, MoreSpecificPathWithOtherMethodAnswers405) {
  // DELETE /workflows/{id} must not take /workflows/count, which only answers GET.
  auto m = router.match("DELETE", "/api/v1/workflows/count");
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD"}));
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router.match("GET", "/api/v1/nothing").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/workflows/").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/api/v1/workflows/a/b").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/").kind, Router::Match::Kind::kNotFound);
}

TEST_F(RouterTest, KnownPathOtherMethodListsAllowedMethods) {
  auto m = router.match("PUT", "/api/v1/workflows/abc");
  ASSERT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
  auto list = router.match("PATCH", "/api/v1/workflows");
  EXPECT_EQ(list.allowed, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  auto m = router.match("HEAD", "/api/v1/workflows/abc");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_EQ(m.params.at("id"), "abc");
}

TEST_F(RouterTest, RestParameterTakesSeveralSegments) {
  auto m = router.match("POST", "/webhook/orders/new/eu");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.params.at("path"), "orders/new/eu");
  EXPECT_EQ(router.match("POST", "/webhook").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.match("POST", "/webhook/a//b").kind, Router::Match::Kind::kNotFound);
}

TEST_F(RouterTest, MalformedEscapeIsBadPath) {
  EXPECT_EQ(router.match("GET", "/api/v1/workflows/%zz").kind, Router::Match::Kind::kBadPath);
  EXPECT_EQ(router.match("GET", "/api/v1/workflows/%4").kind, Router::Match::Kind::kBadPath);
  EXPECT_EQ(router.match("GET", "/api/v1/workflows/%00").kind, Router::Match::Kind::kBadPath);
  EXPECT_EQ(router.match("GET", "no-slash").kind, Router::Match::Kind::kBadPath);
}

TEST(RouterRegistration, RefusesProgrammingErrors) {
  Router r;
  r.add("GET", "/a/{id}", spec("getA"), ok_handler("a"));
  EXPECT_THROW(r.add("GET", "/a/{id}", spec("getA2"), ok_handler("a")), std::logic_error);  // duplicate
  EXPECT_THROW(r.add("POST", "/a", spec("getA"), ok_handler("a")), std::logic_error);       // operationId
  EXPECT_THROW(r.add("GET", "a", spec("x1"), ok_handler("a")), std::logic_error);
  EXPECT_THROW(r.add("GET", "/a/{id}/{id}", spec("x2"), ok_handler("a")), std::logic_error);
  EXPECT_THROW(r.add("GET", "/a/{1d}", spec("x3"), ok_handler("a")), std::logic_error);
  EXPECT_THROW(r.add("GET", "/a/x{id}", spec("x4"), ok_handler("a")), std::logic_error);
  EXPECT_THROW(r.add("GET", "/a/{rest...}/b", spec("x5"), ok_handler("a")), std::logic_error);
  EXPECT_THROW(r.add("get", "/b", spec("x6"), ok_handler("a")), std::logic_error);
  EXPECT_THROW(r.add("GET", "/b", RouteSpec{}, ok_handler("a")), std::logic_error);  // no operationId
  RouteSpec unknown_schema = spec("x7");
  unknown_schema.response_schema = "Missing";
  EXPECT_THROW(r.add("GET", "/c", unknown_schema, ok_handler("a")), std::logic_error);
  RouteSpec json_without_schema = spec("x8");
  json_without_schema.body = BodyKind::kJson;
  EXPECT_THROW(r.add("POST", "/d", json_without_schema, ok_handler("a")), std::logic_error);
  // An authenticated route names its permission (or says it is self-service); a public one cannot.
  RouteSpec unguarded = spec("x9");
  unguarded.self_service = false;
  EXPECT_THROW(r.add("GET", "/e", unguarded, ok_handler("a")), std::logic_error);
  RouteSpec public_with_permission = spec("x10");
  public_with_permission.self_service = false;
  public_with_permission.is_public = true;
  public_with_permission.permission = security::Permission::kWorkflowRead;
  EXPECT_THROW(r.add("GET", "/f", public_with_permission, ok_handler("a")), std::logic_error);
  EXPECT_EQ(r.routes().size(), 1u);
}

TEST(RouteTemplateParse, ErrorNamesTemplateAndSegment) {
  auto t = RouteTemplate::parse("/api/{bad id}");
  ASSERT_FALSE(t);
  EXPECT_NE(t.status().message().find("/api/{bad id}"), std::string::npos);
  EXPECT_NE(t.status().message().find("{bad id}"), std::string::npos);
}

TEST(RouteTemplateParse, RootTemplateMatchesRootOnly) {
  Router r;
  r.add("GET", "/", spec("root"), ok_handler("root"));
  EXPECT_EQ(r.match("GET", "/").kind, Router::Match::Kind::kFound);
  EXPECT_EQ(r.match("GET", "/x").kind, Router::Match::Kind::kNotFound);
}

}  // namespace
}  // namespace weft::http
