#include "documents.hpp"
#include "record.hpp"
#include "sql.hpp"

#include <map>
#include <utility>

namespace weft::postgres {

namespace {

// The recordset a JSON parameter of document rows is read as.
constexpr const char* kRowsParam =
    "jsonb_to_recordset($1::jsonb) AS r(c text, i text, v bigint, b text,"
    " s1 text, s2 text, s3 text, n1 bigint, n2 bigint, n3 bigint)";

// What the batch does to one document.
struct Effect {
  int64_t found = 0;    // version before the batch, 0: absent
  int64_t version = 0;  // version after the writes so far, 0: absent
  const storage::WriteOp* put = nullptr;  // the last put, while the document exists
};

using Key = std::pair<std::string, std::string>;

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;
    const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      const unsigned char ck = static_cast<unsigned char>(s[i + k]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

// The JSON text of the rows parameter of one statement, written directly rather than built as
// host values and serialized (which escaped every 3 KiB body a second time, character by
// character).
class RowsText {
 public:
  explicit RowsText(Context& ctx) : ctx_(ctx) { text_ = "["; }

  void key_row(const Key& key) {
    begin_row();
    member_string("c", key.first);
    member_string("i", key.second);
    text_ += '}';
  }

  void document_row(const Key& key, const Effect& e) {
    begin_row();
    member_string("c", key.first);
    member_string("i", key.second);
    member_int("v", e.version);
    member_string("b", e.put->body);
    const storage::IndexValues& index = e.put->index;
    static constexpr const char* kStrings[] = {"s1", "s2", "s3"};
    static constexpr const char* kInts[] = {"n1", "n2", "n3"};
    for (size_t i = 0; i < storage::kMaxIndexFields; ++i) {
      if (index.strings[i]) member_string(kStrings[i], *index.strings[i]);
      if (index.ints[i]) member_int(kInts[i], *index.ints[i]);
    }
    text_ += '}';
  }

  size_t rows() const { return rows_; }
  std::string take() {
    text_ += ']';
    return std::move(text_);
  }

 private:
  void begin_row() {
    if (rows_++ > 0) text_ += ',';
    text_ += '{';
    first_member_ = true;
  }
  void member(const char* name) {
    if (!first_member_) text_ += ',';
    first_member_ = false;
    text_ += '"';
    text_ += name;
    text_ += "\":";
  }
  void member_int(const char* name, int64_t v) {
    member(name);
    text_ += std::to_string(v);
  }
  void member_string(const char* name, std::string_view v) {
    member(name);
    append_string(v);
  }

  // `s` as a JSON string, escaped as the host escapes it. Text that is not well-formed UTF-8 is
  // left to the host, which replaces what is malformed.
  void append_string(std::string_view s) {
    if (!valid_utf8(s)) {
      text_ += ctx_.to_json(ctx_.string(s).view());
      return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    text_.reserve(text_.size() + s.size() + 2);
    text_ += '"';
    size_t plain = 0;  // start of the run of characters not yet copied
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      text_.append(s.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"': text_ += "\\\""; break;
        case '\\': text_ += "\\\\"; break;
        case '\b': text_ += "\\b"; break;
        case '\f': text_ += "\\f"; break;
        case '\n': text_ += "\\n"; break;
        case '\r': text_ += "\\r"; break;
        case '\t': text_ += "\\t"; break;
        default:
          text_ += "\\u00";
          text_ += kHex[c >> 4];
          text_ += kHex[c & 15];
      }
    }
    text_.append(s.data() + plain, s.size() - plain);
    text_ += '"';
  }

  Context& ctx_;
  std::string text_;
  size_t rows_ = 0;
  bool first_member_ = true;
};

}  // namespace

std::vector<int64_t> write_documents(Poco::Data::Session& session, Context& ctx,
                                     const std::vector<storage::WriteOp>& ops) {
  std::map<Key, Effect> effects;
  for (const storage::WriteOp& op : ops) effects[{op.collection->name, op.id}];
  if (effects.empty()) return {};

  RowsText keys(ctx);
  for (const auto& [key, effect] : effects) keys.key_row(key);
  Rows locked = execute(session,
                        "SELECT d.collection, d.id, d.version"
                        " FROM jsonb_to_recordset($1::jsonb) AS k(c text, i text)"
                        " JOIN documents d ON d.collection = k.c AND d.id = k.i"
                        " ORDER BY d.collection, d.id FOR UPDATE OF d",
                        {keys.take()});
  for (size_t r = 0; r < locked.size(); ++r) {
    Effect& e = effects[{locked.text(r, 0), locked.text(r, 1)}];
    e.found = e.version = locked.integer(r, 2);
  }

  std::vector<int64_t> versions;
  versions.reserve(ops.size());
  for (const storage::WriteOp& op : ops) {
    Effect& e = effects[{op.collection->name, op.id}];
    if (op.kind == storage::WriteOp::Kind::kDelete && e.version == 0 && op.expected_version)
      throw Error(WEFT_ERR_NOT_FOUND, "cannot delete " + op.collection->name + "/" + op.id +
                                          ": the document does not exist");
    if (op.expected_version && *op.expected_version != e.version)
      throw storage::version_conflict(op, e.version);
    if (op.kind == storage::WriteOp::Kind::kDelete) {
      e.version = 0;
      e.put = nullptr;
    } else {
      e.version += 1;
      e.put = &op;
    }
    versions.push_back(e.version);
  }

  RowsText deletes(ctx), updates(ctx), inserts(ctx);
  for (const auto& [key, e] : effects) {
    if (e.found > 0 && e.version == 0) {
      deletes.key_row(key);
    } else if (e.found > 0) {
      updates.document_row(key, e);
    } else if (e.version > 0) {
      inserts.document_row(key, e);
    }
  }
  const size_t insert_count = inserts.rows();
  if (deletes.rows() > 0)
    execute(session,
            "DELETE FROM documents d USING jsonb_to_recordset($1::jsonb) AS k(c text, i text)"
            " WHERE d.collection = k.c AND d.id = k.i",
            {deletes.take()});
  if (updates.rows() > 0)
    execute(session,
            std::string("UPDATE documents d SET version = r.v, body = r.b, s1 = r.s1, s2 = r.s2,"
                        " s3 = r.s3, n1 = r.n1, n2 = r.n2, n3 = r.n3 FROM ") +
                kRowsParam + " WHERE d.collection = r.c AND d.id = r.i",
            {updates.take()});
  if (insert_count > 0) {
    Rows inserted = execute(
        session,
        std::string("INSERT INTO documents (collection, id, version, body, s1, s2, s3, n1, n2, n3)"
                    " SELECT c, i, v, b, s1, s2, s3, n1, n2, n3 FROM ") +
            kRowsParam + " ON CONFLICT (collection, id) DO NOTHING RETURNING 1",
        {inserts.take()});
    if (inserted.size() != insert_count) throw CreateRaceLost();
  }
  return versions;
}

}  // namespace weft::postgres
