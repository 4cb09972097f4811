// A webhook request as the trigger item of its execution.
//
// The body's members are the item's members: a JSON object as sent, a form
// (application/x-www-form-urlencoded) field by field (a repeated name gives an array). Any
// other JSON value, and text (text/*), is the item's member "body". One member is reserved:
// "webhook" holds the request itself:
//   {"method", "path", "params" (the path's ":name" segments), "query" (repeated names give
//    arrays), "headers" (lower-case names; repeated ones joined with ", ")}
// Headers that carry credentials (Authorization, Cookie, Proxy-Authorization, X-API-Key, and
// the webhook's own secret header) are left out: they would otherwise be stored with the execution.
//
// A form body, or a body without a Content-Type, that is itself a JSON object or array is read
// as JSON: `curl -d '{"a":1}'` sends JSON labelled as a form. Other bodies without a type are
// text.
#pragma once

#include "http/problem.hpp"
#include "http/request.hpp"

#include <weft/runtime/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace weft::server {

// The trigger item of `request`, which matched webhook `path` with path parameters `params`.
// `secret_header` (lower- or mixed-case; empty for none) is also left out of "headers".
// nullopt with `problem` set when the body cannot be read: 415 for a content type other than
// JSON, form or text; 400 for malformed JSON, a malformed form, text that is not UTF-8, or a
// body whose member "webhook" would collide with the request's.
std::optional<Json> webhook_item(const http::Request& request, std::string_view path,
                                 const std::map<std::string, std::string>& params, std::string_view secret_header,
                                 http::Problem& problem);

}  // namespace weft::server
