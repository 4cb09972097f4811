#include "webhooks/webhook_request.hpp"

#include "http/json_body.hpp"
#include "http/url_encoding.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace weft::server {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The media type without parameters, lower-case: "text/plain".
std::string media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  return lower(t);
}

// Well-formed UTF-8: no stray continuation byte, no truncated sequence, no overlong form,
// no surrogate, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c >> 5) == 0x6) {
      n = 1, cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      n = 2, cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b >> 6) != 0x2) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// Adds `value` under `name`, turning a repeated name into an array.
void add_member(Json& object, const std::string& name, std::string value) {
  auto it = object.find(name);
  if (it == object.end()) {
    object[name] = std::move(value);
  } else {
    if (!it->is_array()) *it = Json::array({*it});
    it->push_back(std::move(value));
  }
}

bool looks_like_json(std::string_view body) {
  for (char c : body) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    return c == '{' || c == '[';
  }
  return false;
}

http::Problem bad_request(std::string detail) { return http::Problem::of(400, std::move(detail)); }

}  // namespace

std::optional<Json> webhook_item(const http::Request& request, std::string_view path,
                                 const std::map<std::string, std::string>& params, std::string_view secret_header,
                                 http::Problem& problem) {
  Json item = Json::object();
  const std::string type = media_type(request.headers.get_or("Content-Type", ""));
  const std::string_view body = request.body;
  auto read_json = [&](http::Problem& why) -> bool {
    auto parsed = http::parse_json_body(body, why);
    if (!parsed) return false;
    if (parsed->is_object()) item = std::move(*parsed);
    else item["body"] = std::move(*parsed);
    return true;
  };
  auto read_text = [&]() -> bool {
    if (!valid_utf8(body)) {
      problem = bad_request("the body is not UTF-8 text");
      return false;
    }
    item["body"] = std::string(body);
    return true;
  };
  auto read_form = [&]() -> bool {
    auto fields = http::parse_query(body);
    if (!fields) {
      problem = bad_request("the form body holds a malformed percent-escape");
      return false;
    }
    for (auto& [name, value] : *fields) {
      if (!valid_utf8(name) || !valid_utf8(value)) {
        problem = bad_request("the form body is not UTF-8 text");
        return false;
      }
      add_member(item, name, std::move(value));
    }
    return true;
  };
  const bool form = type == "application/x-www-form-urlencoded";
  bool ok = true;
  if (body.empty()) {
    // Nothing to read, whatever the type says.
  } else if (http::is_json_content_type(type)) {
    ok = read_json(problem);
  } else if (form || type.empty()) {
    // JSON sent without its type (curl -d) is read as JSON; anything else by the type's rule.
    http::Problem ignored;
    if (!looks_like_json(body) || !read_json(ignored)) ok = form ? read_form() : read_text();
  } else if (type.rfind("text/", 0) == 0) {
    ok = read_text();
  } else {
    problem = http::Problem::of(415, "a webhook reads JSON, forms (application/x-www-form-urlencoded) or text/*, not '" +
                                         type.substr(0, 100) + "'");
    ok = false;
  }
  if (!ok) return std::nullopt;
  if (item.contains("webhook")) {
    problem = bad_request("the body's member 'webhook' is reserved for the request's method, path, query and headers");
    return std::nullopt;
  }

  Json query = Json::object();
  for (const auto& [name, value] : request.query_params) {
    if (!valid_utf8(name) || !valid_utf8(value)) {
      problem = bad_request("the query string is not UTF-8 text");
      return std::nullopt;
    }
    add_member(query, name, value);
  }
  const std::string hidden = lower(secret_header);
  Json headers = Json::object();
  for (const auto& field : request.headers.fields()) {
    std::string name = lower(field.first);
    if (name == "authorization" || name == "proxy-authorization" || name == "cookie" || name == "x-api-key" ||
        name == hidden)
      continue;
    const std::string& value = field.second;
    if (!valid_utf8(value)) continue;  // obs-text: not representable as a JSON string
    auto it = headers.find(name);
    if (it == headers.end()) headers[name] = value;
    else *it = it->get<std::string>() + ", " + value;
  }
  Json path_params = Json::object();
  for (const auto& [name, value] : params) path_params[name] = value;
  item["webhook"] = {{"method", request.method},
                     {"path", std::string(path)},
                     {"params", std::move(path_params)},
                     {"query", std::move(query)},
                     {"headers", std::move(headers)}};
  return item;
}

}  // namespace weft::server
