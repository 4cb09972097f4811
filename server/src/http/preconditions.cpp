#include "http/preconditions.hpp"

#include <charconv>

namespace weft::http {

std::string etag_of(int64_t n) { return "\"" + std::to_string(n) + "\""; }

Result<std::optional<int64_t>> if_match_number(const Request& request, std::string_view what) {
  auto header = request.headers.get("If-Match");
  if (!header) return std::optional<int64_t>();
  std::string_view v = *header;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v == "*") return std::optional<int64_t>();
  if (v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t n = -1;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || n < 0)
    return Status::invalid("If-Match must be the ETag of " + std::string(what) + ", like \"3\"");
  return std::optional<int64_t>(n);
}

}  // namespace weft::http
