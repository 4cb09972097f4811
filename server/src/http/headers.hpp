// HTTP header fields: an ordered list of (name, value) with case-insensitive names, as they
// came on a request or will go out on a response.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::http {

// `s` without leading and trailing spaces and tabs (HTTP's optional whitespace).
std::string_view trim_ows(std::string_view s);

// True when `a` and `b` are equal ignoring ASCII case.
bool equals_ignore_case(std::string_view a, std::string_view b);

class HeaderList {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any of the same name.
  void add(std::string name, std::string value);
  // Replaces every field named `name` with one.
  void set(std::string name, std::string value);
  // Sets `name` only when no field of that name is present.
  void set_default(std::string name, std::string value);
  // Removes every field named `name`.
  void remove(std::string_view name);

  // The first value of `name`, or nullopt.
  std::optional<std::string> get(std::string_view name) const;
  // The first value of `name`, or `fallback`.
  std::string get_or(std::string_view name, std::string_view fallback) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // Every value of `name`, in order.
  std::vector<std::string> all(std::string_view name) const;
  // True when the comma-separated field `name` holds `token` (case-insensitive), as in
  // "Connection: keep-alive, Upgrade".
  bool has_token(std::string_view name, std::string_view token) const;

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace weft::http
