#include <weft/runtime/repositories/credential_repository.hpp>

#include <weft/runtime/repositories/random_id.hpp>

#include "repository_support.hpp"

namespace weft {

namespace {

constexpr const char* kCredentials = "credentials";

CredentialRecord credential_from(const Record& r, bool with_data) {
  CredentialRecord c;
  c.id = r.id;
  c.revision = r.version;
  c.name = repo::text_field(r.body, "name");
  c.type = repo::text_field(r.body, "type");
  c.owner = repo::text_field(r.body, "owner");
  if (auto shares = security::shares_from_json(r.body.is_object() ? r.body.value("shares", Json()) : Json())) c.shares = std::move(*shares);
  c.created_at_ms = repo::int_field(r.body, "createdAt");
  c.updated_at_ms = repo::int_field(r.body, "updatedAt");
  if (with_data && r.body.is_object() && r.body.contains("data")) c.data = r.body["data"];
  return c;
}

Json index_of(const Json& body) {
  return {{"name", body["name"]}, {"owner", body["owner"]}, {"type", body["type"]},
          {"updatedAt", body["updatedAt"]}};
}

}  // namespace

Result<CredentialRecord> CredentialRepository::create(const NewCredential& n) const {
  if (n.name.empty()) return Status::invalid("a credential needs a name");
  if (n.type.empty()) return Status::invalid("a credential needs a type");
  const int64_t now = repo::now_ms();
  const std::string id = n.id.empty() ? random_id() : n.id;
  Json body = {{"id", id},         {"name", n.name},     {"type", n.type}, {"owner", n.owner},
               {"data", n.data},   {"createdAt", now},   {"updatedAt", now}};
  Json index = index_of(body);
  auto versions = storage_.write({{"writes", Json::array({repo::put_op(kCredentials, id, body, std::move(index), 0)})}});
  if (!versions) return versions.status();
  return credential_from(Record{id, (*versions)[0], std::move(body), Json::object()}, true);
}

Result<CredentialRecord> CredentialRepository::get(std::string_view id) const {
  auto r = storage_.get(kCredentials, id);
  if (!r) return repo::name_not_found(r.status(), "credential", id);
  return credential_from(*r, true);
}

Result<Page<CredentialRecord>> CredentialRepository::list(const CredentialFilter& f) const {
  if (Status st = check_page_request(f.page); !st) return st;
  Json where = Json::array();
  if (f.owner) where.push_back(repo::where("owner", "eq", *f.owner));
  if (f.type) where.push_back(repo::where("type", "eq", *f.type));
  Json q = repo::page_query(kCredentials, std::move(where), "name", false, f.page);
  return repo::query_page<CredentialRecord>(storage_, q,
                                            [](const Record& r) { return credential_from(r, false); });
}

Result<CredentialRecord> CredentialRepository::update(std::string_view id,
                                                      const CredentialChange& change,
                                                      int64_t expected_revision) const {
  if (change.name && change.name->empty()) return Status::invalid("a credential needs a name");
  auto r = repo::update_record(
      storage_, kCredentials, id,
      [&](Record& rec) {
        if (change.name) rec.body["name"] = *change.name;
        if (change.data) rec.body["data"] = *change.data;
        if (change.shares) rec.body["shares"] = security::shares_to_json(*change.shares);
        rec.body["updatedAt"] = repo::now_ms();
        rec.index = index_of(rec.body);
        return true;
      },
      expected_revision);
  if (!r) {
    Status st = repo::name_not_found(r.status(), "credential", id);
    return repo::name_conflict(st, "credential '" + std::string(id) + "' was changed since revision " +
                                       std::to_string(expected_revision) + "; reload it and retry");
  }
  return credential_from(*r, true);
}

Status CredentialRepository::remove(std::string_view id, std::optional<int64_t> expected) const {
  return repo::remove_record(storage_, kCredentials, "credential", id, expected);
}

}  // namespace weft
