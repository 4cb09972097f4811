#include "http/request.hpp"

namespace weft::http {

const std::string& Request::param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (const auto& [k, v] : query_params)
    if (k == name) return v;
  return std::nullopt;
}

std::vector<std::string> Request::query_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query_params)
    if (k == name) out.push_back(v);
  return out;
}

}  // namespace weft::http
