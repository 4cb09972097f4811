// weft.http_request: one HTTP request per item through the host's HTTP client.
#include <weft/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr int64_t kMaxTimeoutMs = 3'600'000;  // 1 hour

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

// RFC 3986 percent-encoding: everything but unreserved characters.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The URL as error messages show it: no user info, query or fragment, which may hold secrets.
std::string url_for_messages(std::string_view url) {
  size_t authority = url.find("://");
  authority = authority == std::string_view::npos ? 0 : authority + 3;
  size_t end = url.find_first_of("?#", authority);
  std::string_view head = url.substr(0, end);
  size_t path = head.find('/', authority);
  size_t at = head.substr(0, path).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(head);
  return std::string(head.substr(0, authority)) + std::string(head.substr(at + 1));
}

// Whether a Content-Type names JSON: application/json or any */*+json, parameters ignored.
bool is_json_media_type(std::string_view content_type) {
  std::string media = lower(content_type.substr(0, content_type.find(';')));
  media.erase(
      std::remove_if(media.begin(), media.end(), [](unsigned char c) { return std::isspace(c); }),
      media.end());
  return media == "application/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

// A scalar parameter member as text: strings as they are, numbers and booleans as JSON.
std::string scalar_text(const weft::Context& ctx, weft::Value v, std::string_view param,
                        std::string_view key, int64_t item) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_number() || v.is_bool()) return std::string(ctx.to_json(v));
  throw weft::param_error(param, item,
                          "member '" + std::string(key) +
                              "' must be a string, number or boolean, got " +
                              std::string(weft::type_name(v)));
}

// RFC 4648 base64, for the Basic scheme.
std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) n |= uint32_t(uint8_t(in[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// The header a credential adds to every request of the node: its name and value. The value is
// a secret: it goes into the outgoing request only, never into an item, a log line or an error.
struct AuthHeader {
  std::string name;
  std::string value;
};

// Reads the node's credential when `authentication` is not none: a weft.httpHeaderAuth
// credential for "header" (its name and value), a weft.basicAuth one for "basic"
// (Authorization: Basic base64(user:password)). Errors name the parameter, never a value.
std::optional<AuthHeader> auth_header(weft::Context& ctx) {
  std::string mode = ctx.param_enum("authentication", -1, {"none", "header", "basic"}, "none");
  if (mode == "none") return std::nullopt;
  weft::Value credential = ctx.credential("credential");
  std::string_view type = credential["type"].as_string();
  weft::Value data = credential["data"];
  auto text = [&](std::string_view field) -> std::string {
    weft::Value v = data[field];
    if (!v.is_string() || v.as_string().empty())
      throw weft::param_error("credential", -1,
                              "names a credential without its '" + std::string(field) + "' field");
    return std::string(v.as_string());
  };
  if (mode == "header") {
    if (type != "weft.httpHeaderAuth")
      throw weft::param_error("credential", -1,
                              "must be a weft.httpHeaderAuth credential when authentication is "
                              "'header', not a " + std::string(type));
    return AuthHeader{text("name"), text("value")};
  }
  if (type != "weft.basicAuth")
    throw weft::param_error("credential", -1,
                            "must be a weft.basicAuth credential when authentication is 'basic', "
                            "not a " + std::string(type));
  return AuthHeader{"Authorization", "Basic " + base64(text("user") + ":" + text("password"))};
}

// For each input item: builds a request from the parameters evaluated for that item, performs
// it through the host, and emits {statusCode, headers (lower-case names; repeated headers
// joined with ", "), body}. The body is parsed as JSON when responseFormat says so ("auto":
// when the response's Content-Type is JSON). A status >= 400 fails the node unless
// ignoreHttpErrors; the message names the method, status and URL without its query and never
// any header. Transport errors are the host's. Stops between items when cancelled.
class HttpRequestNode : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    // Read once per run: one audited credential read however many items there are.
    const std::optional<AuthHeader> auth = ctx.input_count(0) > 0 ? auth_header(ctx) : std::nullopt;
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) {
      if (ctx.cancelled())
        return weft::Result::error(WEFT_ERR_CANCELLED, "the execution was cancelled");
      auto item = static_cast<int64_t>(i);
      weft::HttpRequest request = build_request(ctx, item);
      if (auth) {
        // The credential's header replaces one of the same name from `headers`.
        std::string name = lower(auth->name);
        std::erase_if(request.headers, [&](const auto& h) { return lower(h.first) == name; });
        request.headers.emplace_back(auth->name, auth->value);
      }
      std::string format = ctx.param_enum("responseFormat", item, {"auto", "json", "text"}, "auto");
      bool ignore_http_errors = ctx.param_bool("ignoreHttpErrors", item, false);

      weft::HttpResponse response = ctx.http(request);
      if (response.status >= 400 && !ignore_http_errors)
        throw weft::Error(http_status_code(response.status),
                          weft::item_prefix(item) + request.method + " " +
                              url_for_messages(request.url) + " returned HTTP " +
                              std::to_string(response.status));
      ctx.emit(0, to_item(ctx, request, response, format, item));
    }
    return weft::Result::ok();
  }

 private:
  // Server-side and throttling statuses may pass on retry; other client errors will not.
  static weft_status http_status_code(int status) {
    return status >= 500 || status == 408 || status == 429 ? WEFT_ERR_UNAVAILABLE : WEFT_ERR_NODE;
  }

  static weft::HttpRequest build_request(weft::Context& ctx, int64_t item) {
    weft::HttpRequest request;
    request.method = ctx.param_enum(
        "method", item, {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}, "GET");
    request.url = url_with_query(ctx, item);
    bool has_content_type = add_headers(ctx, request, item);

    weft::Value body = ctx.param("body", item);
    if (body.exists() && !body.is_null()) {
      std::string content_type;
      if (body.is_string()) {
        request.body = body.as_string();
        content_type = ctx.param_string("contentType", item, "text/plain");
      } else {
        request.body = ctx.to_json(body);
        content_type = "application/json";
      }
      if (!has_content_type) request.headers.emplace_back("Content-Type", content_type);
    }

    int64_t timeout = ctx.param_int("timeoutMs", item, 30'000);
    if (timeout < 1 || timeout > kMaxTimeoutMs)
      throw weft::param_error("timeoutMs", item, "must be from 1 to 3600000");
    request.timeout_ms = static_cast<uint32_t>(timeout);
    request.insecure_skip_verify = ctx.param_bool("insecureSkipVerify", item, false);
    return request;
  }

  // `url` with the `query` parameters appended, before any fragment.
  static std::string url_with_query(weft::Context& ctx, int64_t item) {
    weft::Value url_param = ctx.required("url", item);
    if (!url_param.is_string())
      throw weft::param_error("url", item,
                              "must be a string, got " + std::string(weft::type_name(url_param)));
    std::string url(url_param.as_string());
    bool http = starts_with_ci(url, "http://") && url.size() > 7;
    bool https = starts_with_ci(url, "https://") && url.size() > 8;
    if (!http && !https)
      throw weft::param_error("url", item, "must be an absolute http:// or https:// URL");

    weft::Value query = ctx.param("query", item);
    if (!query.exists() || query.is_null()) return url;
    if (!query.is_object())
      throw weft::param_error("query", item,
                              "must be an object, got " + std::string(weft::type_name(query)));
    std::string encoded;
    auto add = [&](std::string_view key, weft::Value v) {
      encoded += (encoded.empty() ? "" : "&") + percent_encode(key) + "=" +
                 percent_encode(scalar_text(ctx, v, "query", key, item));
    };
    for (size_t q = 0; q < query.size(); ++q) {
      std::string_view key = query.key_at(q);
      weft::Value v = query.value_at(q);
      if (v.is_null()) continue;
      if (!v.is_array()) {
        add(key, v);
        continue;
      }
      for (size_t e = 0; e < v.size(); ++e) add(key, v[e]);  // key=a&key=b
    }
    if (encoded.empty()) return url;

    size_t fragment = url.find('#');
    std::string tail = fragment == std::string::npos ? "" : url.substr(fragment);
    url.resize(std::min(fragment, url.size()));
    size_t question = url.find('?');
    if (question == std::string::npos)
      url += '?';
    else if (question + 1 < url.size() && url.back() != '&')
      url += '&';
    return url + encoded + tail;
  }

  // Adds the `headers` parameter; returns whether it sets Content-Type.
  static bool add_headers(weft::Context& ctx, weft::HttpRequest& request, int64_t item) {
    weft::Value headers = ctx.param("headers", item);
    if (!headers.exists() || headers.is_null()) return false;
    if (!headers.is_object())
      throw weft::param_error("headers", item,
                              "must be an object, got " + std::string(weft::type_name(headers)));
    bool has_content_type = false;
    for (size_t h = 0; h < headers.size(); ++h) {
      std::string_view name = headers.key_at(h);
      request.headers.emplace_back(name,
                                   scalar_text(ctx, headers.value_at(h), "headers", name, item));
      has_content_type = has_content_type || lower(name) == "content-type";
    }
    return has_content_type;
  }

  static weft::OwnedValue to_item(weft::Context& ctx, const weft::HttpRequest& request,
                                  const weft::HttpResponse& response, const std::string& format,
                                  int64_t item) {
    weft::OwnedValue out = ctx.object();
    out.set("statusCode", int64_t{response.status});

    // Lower-case names; a repeated header's values joined as HTTP allows.
    std::vector<std::pair<std::string, std::string>> headers;
    bool json_content_type = false;
    for (const auto& [name, value] : response.headers) {
      std::string key = lower(name);
      if (key == "content-type") json_content_type = is_json_media_type(value);
      auto same = std::find_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return h.first == key; });
      if (same == headers.end())
        headers.emplace_back(std::move(key), std::string(value));
      else
        same->second += ", " + std::string(value);
    }
    weft::OwnedValue header_object = ctx.object();
    for (const auto& [name, value] : headers) header_object.set(name, std::string_view(value));
    out.set("headers", std::move(header_object));

    bool as_json = format == "json" || (format == "auto" && json_content_type);
    out.set("body",
            as_json ? parse_body(ctx, request, response.body, item) : ctx.string(response.body));
    return out;
  }

  // The body parsed as JSON; an empty body is null.
  static weft::OwnedValue parse_body(weft::Context& ctx, const weft::HttpRequest& request,
                                     std::string_view body, int64_t item) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return ctx.null();
    try {
      return ctx.parse_json(body);
    } catch (const weft::Error&) {
      throw weft::Error(WEFT_ERR_INVALID, weft::item_prefix(item) + "the response of " +
                                              request.method + " " + url_for_messages(request.url) +
                                              " is not valid JSON");
    }
  }
};

constexpr const char* kDescription = R"({
  "displayName": "HTTP request",
  "description": "Sends one HTTP request per item and emits {statusCode, headers, body} for each.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "method", "type": "string", "required": false, "default": "GET",
     "options": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
     "description": "HTTP method."},
    {"name": "url", "type": "string", "required": true,
     "description": "Absolute http:// or https:// URL."},
    {"name": "headers", "type": "object", "required": false,
     "description": "Request headers: header name to value."},
    {"name": "query", "type": "object", "required": false,
     "description": "Query parameters: name to value (an array repeats the name; null is left out), percent-encoded and appended to the URL."},
    {"name": "body", "type": "any", "required": false,
     "description": "A string is sent as is (with 'contentType'); any other JSON is sent as JSON with Content-Type application/json. A Content-Type in 'headers' wins."},
    {"name": "contentType", "type": "string", "required": false, "default": "text/plain",
     "description": "Content-Type of a string body."},
    {"name": "timeoutMs", "type": "number", "required": false, "default": 30000,
     "description": "Request timeout in milliseconds, 1 to 3600000."},
    {"name": "responseFormat", "type": "string", "required": false, "default": "auto",
     "options": ["auto", "json", "text"],
     "description": "auto: parse the body as JSON when the response's Content-Type is JSON, else keep text; json: always parse; text: never parse."},
    {"name": "ignoreHttpErrors", "type": "boolean", "required": false, "default": false,
     "description": "false: a status of 400 or more fails the node; true: emit it like any response."},
    {"name": "insecureSkipVerify", "type": "boolean", "required": false, "default": false,
     "description": "Do not verify the server's TLS certificate (testing only)."},
    {"name": "authentication", "type": "string", "required": false, "default": "none",
     "options": ["none", "header", "basic"],
     "description": "none; header: add the header of a weft.httpHeaderAuth credential; basic: HTTP basic auth with a weft.basicAuth credential. The secret goes into the request only, never into the output."},
    {"name": "credential", "type": "credential", "required": false,
     "credentialTypes": ["weft.httpHeaderAuth", "weft.basicAuth"],
     "requiredWhen": {"parameter": "authentication", "in": ["header", "basic"]},
     "description": "Id of the credential (a literal id, not an expression): a weft.httpHeaderAuth one for authentication 'header', a weft.basicAuth one for 'basic'."}
  ]
})";

// The credential types this plugin declares; the host checks the formats when one is saved.
constexpr const char* kHttpHeaderAuth = R"json({
  "name": "weft.httpHeaderAuth",
  "displayName": "HTTP header auth",
  "description": "A header sent with a request (or required of a webhook's caller): its name and its secret value.",
  "fields": [
    {"name": "name", "type": "string", "required": true, "secret": false, "format": "httpHeaderName",
     "description": "the header to send, e.g. X-API-Key"},
    {"name": "value", "type": "string", "required": true, "secret": true, "format": "httpHeaderValue",
     "description": "the header's value"}
  ]
})json";

constexpr const char* kBasicAuth = R"json({
  "name": "weft.basicAuth",
  "displayName": "HTTP basic auth",
  "description": "A user name and a secret password for HTTP basic authentication (RFC 7617).",
  "fields": [
    {"name": "user", "type": "string", "required": true, "secret": false, "format": "noColon",
     "description": "the user name (a colon is not allowed)"},
    {"name": "password", "type": "string", "required": true, "secret": true, "format": "noControl",
     "description": "the password"}
  ]
})json";

}  // namespace

WEFT_PLUGIN("weft-http-request", "1.0.0") {
  registry.add_credential_type(kHttpHeaderAuth);
  registry.add_credential_type(kBasicAuth);
  registry.add_node<HttpRequestNode>("weft.http_request", 1, kDescription);
}
