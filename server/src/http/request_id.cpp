#include "http/request_id.hpp"

#include <Poco/UUIDGenerator.h>

namespace weft::http {

namespace {

bool sane(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string choose_request_id(const std::optional<std::string>& offered) {
  if (offered && sane(*offered)) return *offered;
  return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

}  // namespace weft::http
