#include "http/route_template.hpp"

#include "http/url_encoding.hpp"

namespace weft::http {

namespace {

bool is_name(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool is_literal(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c == '_' || c == '~' || c == ':' || c == '@';
    if (!ok) return false;
  }
  return true;
}

int rank(RouteTemplate::Segment::Kind k) {
  switch (k) {
    case RouteTemplate::Segment::Kind::kLiteral: return 0;
    case RouteTemplate::Segment::Kind::kParam: return 1;
    case RouteTemplate::Segment::Kind::kRest: return 2;
  }
  return 3;
}

}  // namespace

Result<RouteTemplate> RouteTemplate::parse(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return Status::invalid("route template '" + std::string(text) + "': " + why);
  };
  if (text.empty() || text[0] != '/') return fail("must start with '/'");
  RouteTemplate t;
  t.text_ = std::string(text);
  if (text == "/") return t;
  std::string_view rest = text.substr(1);
  std::vector<std::string> names;
  while (true) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (!t.segments_.empty() && t.segments_.back().kind == Segment::Kind::kRest)
      return fail("{" + t.segments_.back().text + "...} must be the last segment");
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string_view name = seg.substr(1, seg.size() - 2);
      Segment::Kind kind = Segment::Kind::kParam;
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        name.remove_suffix(3);
        kind = Segment::Kind::kRest;
      }
      if (!is_name(name)) return fail("segment '" + std::string(seg) + "' is not a valid parameter");
      for (const auto& n : names)
        if (n == name) return fail("parameter '" + std::string(name) + "' appears twice");
      names.emplace_back(name);
      t.segments_.push_back({kind, std::string(name)});
    } else if (is_literal(seg)) {
      t.segments_.push_back({Segment::Kind::kLiteral, std::string(seg)});
    } else {
      return fail("segment '" + std::string(seg) + "' is neither a literal nor a {parameter}");
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return t;
}

bool RouteTemplate::match(const std::vector<std::string>& segments,
                          std::map<std::string, std::string, std::less<>>& params) const {
  std::map<std::string, std::string, std::less<>> found;
  size_t i = 0;
  for (const Segment& s : segments_) {
    if (s.kind == Segment::Kind::kRest) {
      if (i >= segments.size()) return false;
      std::string joined;
      for (; i < segments.size(); ++i) {
        if (segments[i].empty()) return false;
        if (!joined.empty()) joined += '/';
        joined += segments[i];
      }
      found[s.text] = std::move(joined);
      break;
    }
    if (i >= segments.size()) return false;
    const std::string& seg = segments[i++];
    if (s.kind == Segment::Kind::kLiteral) {
      if (seg != s.text) return false;
    } else {
      if (seg.empty()) return false;
      found[s.text] = seg;
    }
  }
  if (i != segments.size()) return false;
  params = std::move(found);
  return true;
}

int RouteTemplate::compare_specificity(const RouteTemplate& other) const {
  size_t n = std::min(segments_.size(), other.segments_.size());
  for (size_t i = 0; i < n; ++i) {
    int a = rank(segments_[i].kind), b = rank(other.segments_[i].kind);
    if (a != b) return a - b;
  }
  return 0;
}

std::vector<std::string> RouteTemplate::param_names() const {
  std::vector<std::string> out;
  for (const auto& s : segments_)
    if (s.kind != Segment::Kind::kLiteral) out.push_back(s.text);
  return out;
}

std::optional<std::vector<std::string>> split_path(std::string_view path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::vector<std::string> out;
  if (path == "/") return out;
  std::string_view rest = path.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    auto seg = percent_decode(rest.substr(0, slash), false);
    if (!seg) return std::nullopt;
    out.push_back(std::move(*seg));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return out;
}

}  // namespace weft::http
