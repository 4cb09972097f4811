#include "http/query_params.hpp"

#include <charconv>

namespace weft::http {

Result<int64_t> query_int(const Request& request, std::string_view name, int64_t fallback,
                          int64_t min, int64_t max) {
  auto text = request.query(name);
  if (!text) return fallback;
  auto fail = [&] {
    return Status::invalid("query parameter '" + std::string(name) + "' must be an integer from " +
                           std::to_string(min) + " to " + std::to_string(max));
  };
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end) return fail();
  if (value < min || value > max) return fail();
  return value;
}

Result<bool> query_bool(const Request& request, std::string_view name, bool fallback) {
  auto text = request.query(name);
  if (!text) return fallback;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  if (*text == "false" || *text == "0") return false;
  return Status::invalid("query parameter '" + std::string(name) + "' must be true or false");
}

}  // namespace weft::http
