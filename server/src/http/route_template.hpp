// A route's path template: "/api/v1/workflows/{id}/versions/{version}". Each segment is a
// literal or a whole-segment parameter `{name}`; the last may be `{name...}`, which takes the
// rest of the path (one or more segments, e.g. webhook paths).
#pragma once

#include <weft/runtime/status.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace weft::http {

class RouteTemplate {
 public:
  struct Segment {
    enum class Kind { kLiteral, kParam, kRest };
    Kind kind;
    std::string text;  // the literal, or the parameter name
  };

  // Parses a template; errors name the template and the segment at fault.
  static Result<RouteTemplate> parse(std::string_view text);

  // Matches a path already split into decoded segments (without the leading empty one);
  // fills `params` on success.
  bool match(const std::vector<std::string>& segments,
             std::map<std::string, std::string, std::less<>>& params) const;

  // Negative when this template is more specific than `other` at the first segment where
  // they differ (literal before parameter before rest), positive when less, 0 when alike.
  int compare_specificity(const RouteTemplate& other) const;

  const std::string& text() const { return text_; }
  const std::vector<Segment>& segments() const { return segments_; }
  // Parameter names in order.
  std::vector<std::string> param_names() const;

 private:
  std::string text_;
  std::vector<Segment> segments_;
};

// Splits a percent-encoded path ("/a/b%2Fc") into decoded segments ("a", "b/c"); nullopt when
// the path does not start with '/' or holds a malformed escape.
std::optional<std::vector<std::string>> split_path(std::string_view path);

}  // namespace weft::http
