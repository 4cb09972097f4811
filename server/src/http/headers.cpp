#include "http/headers.hpp"

#include <algorithm>

namespace weft::http {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

void HeaderList::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HeaderList::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void HeaderList::set_default(std::string name, std::string value) {
  if (!has(name)) add(std::move(name), std::move(value));
}

void HeaderList::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return equals_ignore_case(f.first, name); });
}

std::optional<std::string> HeaderList::get(std::string_view name) const {
  for (const auto& [k, v] : fields_)
    if (equals_ignore_case(k, name)) return v;
  return std::nullopt;
}

std::string HeaderList::get_or(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : std::string(fallback);
}

std::vector<std::string> HeaderList::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields_)
    if (equals_ignore_case(k, name)) out.push_back(v);
  return out;
}

bool HeaderList::has_token(std::string_view name, std::string_view token) const {
  for (const auto& value : all(name)) {
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view part = trim_ows(rest.substr(0, comma));
      if (equals_ignore_case(part, token)) return true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return false;
}

}  // namespace weft::http
