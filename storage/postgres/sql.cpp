#include "sql.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <charconv>

namespace weft::postgres {

int64_t Rows::integer(size_t row, size_t column) const {
  const std::optional<std::string>& c = cell(row, column);
  int64_t v = 0;
  if (c) std::from_chars(c->data(), c->data() + c->size(), v);
  return v;
}

const std::string& Rows::text(size_t row, size_t column) const {
  static const std::string kEmpty;
  const std::optional<std::string>& c = cell(row, column);
  return c ? *c : kEmpty;
}

Rows execute(Poco::Data::Session& session, const std::string& sql,
             const std::vector<std::string>& params) {
  Poco::Data::Statement statement(session);
  statement << sql;
  for (const std::string& p : params) statement, Poco::Data::Keywords::useRef(p);
  size_t affected = statement.execute();
  size_t columns = statement.columnsExtracted();
  std::vector<std::optional<std::string>> cells;
  if (columns > 0) {
    Poco::Data::RecordSet rs(statement);
    size_t rows = rs.rowCount();
    cells.reserve(rows * columns);
    for (size_t r = 0; r < rows; ++r)
      for (size_t c = 0; c < columns; ++c) {
        if (rs.isNull(c, r)) {
          cells.emplace_back();
        } else {
          cells.emplace_back(rs.value(c, r).convert<std::string>());
        }
      }
  }
  return Rows(columns, std::move(cells), affected);
}

}  // namespace weft::postgres
