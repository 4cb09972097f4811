#include "documents.hpp"
#include "record.hpp"
#include "sql.hpp"

#include <algorithm>
#include <variant>

namespace weft::postgres {

namespace {

const char* sql_operator(storage::Compare c) {
  switch (c) {
    case storage::Compare::kEq: return "=";
    case storage::Compare::kNe: return "<>";
    case storage::Compare::kLt: return "<";
    case storage::Compare::kLe: return "<=";
    case storage::Compare::kGt: return ">";
    case storage::Compare::kGe: return ">=";
  }
  return "=";
}

std::string text_of(const storage::Scalar& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::to_string(std::get<int64_t>(v));
}

// A statement's text and its parameters, built together so that every value is a parameter.
class Statement {
 public:
  // The placeholder of a new parameter holding `value`.
  std::string param(std::string value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }
  std::string sql;
  const std::vector<std::string>& params() const { return params_; }

 private:
  std::vector<std::string> params_;
};

// "collection = $1 AND <conditions>" for the query's collection and where conditions.
std::string where_clause(Statement& s, const storage::QueryRequest& q) {
  std::string where = "collection = " + s.param(q.collection->name);
  for (const storage::Condition& c : q.where)
    where += " AND " + column_of(c.field) + " " + sql_operator(c.op) + " " +
             s.param(text_of(c.value));
  return where;
}

// The keyset condition "strictly after `after`" in the query's order. Rows without the order
// field sort before all others when ascending (after them when descending).
std::string after_clause(Statement& s, const storage::QueryRequest& q,
                         const storage::RowKey& after) {
  const std::string id = s.param(after.id);
  if (q.order_by.type == storage::FieldType::kId) return q.descending ? "id < " + id : "id > " + id;
  const std::string col = column_of(q.order_by);
  if (!after.value)
    return q.descending ? "(" + col + " IS NULL AND id < " + id + ")"
                        : "(" + col + " IS NOT NULL OR id > " + id + ")";
  const std::string v = s.param(text_of(*after.value));
  return q.descending ? "(" + col + " < " + v + " OR (" + col + " = " + v + " AND id < " + id +
                            ") OR " + col + " IS NULL)"
                      : "(" + col + " > " + v + " OR (" + col + " = " + v + " AND id > " + id +
                            "))";
}

std::string order_clause(const storage::QueryRequest& q) {
  if (q.order_by.type == storage::FieldType::kId) return q.descending ? "id DESC" : "id ASC";
  const std::string col = column_of(q.order_by);
  return q.descending ? col + " DESC NULLS LAST, id DESC" : col + " ASC NULLS FIRST, id ASC";
}

}  // namespace

std::optional<storage::Document> get_document(Poco::Data::Session& session,
                                              std::string_view collection, std::string_view id) {
  Rows rows = execute(session,
                      std::string("SELECT ") + kDocumentColumns +
                          " FROM documents WHERE collection = $1 AND id = $2",
                      {std::string(collection), std::string(id)});
  if (rows.size() == 0) return std::nullopt;
  return document_of(rows, 0);
}

DocumentPage query_documents(Poco::Data::Session& session, const storage::QueryRequest& q) {
  Statement s;
  s.sql = std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE " +
          where_clause(s, q);
  if (q.after) s.sql += " AND " + after_clause(s, q, *q.after);
  s.sql += " ORDER BY " + order_clause(q) + " LIMIT " + s.param(std::to_string(q.limit + 1));
  Rows rows = execute(session, s.sql, s.params());
  DocumentPage page;
  size_t n = std::min<size_t>(rows.size(), static_cast<size_t>(q.limit));
  page.more = rows.size() > n;
  page.documents.reserve(n);
  for (size_t r = 0; r < n; ++r) page.documents.push_back(document_of(rows, r));
  return page;
}

int64_t count_documents(Poco::Data::Session& session, const storage::QueryRequest& q) {
  Statement s;
  s.sql = "SELECT count(*) FROM documents WHERE " + where_clause(s, q);
  return execute(session, s.sql, s.params()).integer(0, 0);
}

}  // namespace weft::postgres
