#include "record.hpp"

namespace weft::postgres {

std::string column_of(const storage::Field& f) {
  switch (f.type) {
    case storage::FieldType::kString: return "s" + std::to_string(f.slot + 1);
    case storage::FieldType::kInt: return "n" + std::to_string(f.slot + 1);
    case storage::FieldType::kId: break;
  }
  return "id";
}

storage::Document document_of(const Rows& rows, size_t row) {
  storage::Document doc;
  doc.id = rows.text(row, 0);
  doc.version = rows.integer(row, 1);
  doc.body = rows.text(row, 2);
  for (size_t i = 0; i < storage::kMaxIndexFields; ++i) {
    doc.index.strings[i] = rows.cell(row, 3 + i);
    if (rows.cell(row, 6 + i)) doc.index.ints[i] = rows.integer(row, 6 + i);
  }
  return doc;
}

}  // namespace weft::postgres
