// How documents sit in the `documents` table: one row per document, the index fields of a
// collection in the generic columns s1..s3 (strings) and n1..n3 (integers) by declaration order.
#pragma once

#include "schema.hpp"
#include "sql.hpp"

#include <string>

namespace weft::postgres {

// The columns a document is read from, in this order.
inline constexpr const char* kDocumentColumns = "id, version, body, s1, s2, s3, n1, n2, n3";

// The column holding field `f`: "id", "s1".."s3" or "n1".."n3".
std::string column_of(const storage::Field& f);

// The document in row `row` of rows selected as kDocumentColumns.
storage::Document document_of(const Rows& rows, size_t row);

}  // namespace weft::postgres
