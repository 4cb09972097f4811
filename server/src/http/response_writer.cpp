#include "http/response_writer.hpp"

#include <ctime>

namespace weft::http {

std::string http_date_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string response_head(const Response& response, const std::string& version, bool keep_alive) {
  std::string out = (version == "HTTP/1.0" ? "HTTP/1.0 " : "HTTP/1.1 ") + std::to_string(response.status) +
                    " " + reason_phrase(response.status) + "\r\n";
  bool bodyless = response.status < 200 || response.status == 204 || response.status == 304;
  for (const auto& [name, value] : response.headers.fields()) {
    if (equals_ignore_case(name, "Content-Length") || equals_ignore_case(name, "Connection") ||
        equals_ignore_case(name, "Transfer-Encoding"))
      continue;
    // Header injection guard: a CR or LF in a value would start a new field.
    if (value.find_first_of("\r\n") != std::string::npos || name.find_first_of("\r\n: ") != std::string::npos)
      continue;
    out += name + ": " + value + "\r\n";
  }
  if (!response.headers.has("Date")) out += "Date: " + http_date_now() + "\r\n";
  if (!bodyless) out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  else if (version == "HTTP/1.0") out += "Connection: keep-alive\r\n";
  out += "\r\n";
  return out;
}

}  // namespace weft::http
