// Running one SQL statement on a Poco session and reading its rows as text.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft::postgres {

// The rows of one statement, every cell as text (NULL: nullopt).
class Rows {
 public:
  Rows(size_t columns, std::vector<std::optional<std::string>> cells, size_t affected)
      : columns_(columns), cells_(std::move(cells)), affected_(affected) {}

  size_t size() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  // Rows a data-changing statement changed (or rows a query returned).
  size_t affected() const { return affected_; }
  const std::optional<std::string>& cell(size_t row, size_t column) const {
    return cells_[row * columns_ + column];
  }
  // The cell as an integer; 0 when NULL.
  int64_t integer(size_t row, size_t column) const;
  // The cell as text; empty when NULL.
  const std::string& text(size_t row, size_t column) const;

 private:
  size_t columns_;
  std::vector<std::optional<std::string>> cells_;
  size_t affected_;
};

// Runs `sql` with placeholders $1..$n bound, as text, to `params` (PostgreSQL infers each
// parameter's type from where it is used). Throws the Poco exception of a failure.
Rows execute(Poco::Data::Session& session, const std::string& sql,
             const std::vector<std::string>& params = {});

}  // namespace weft::postgres
