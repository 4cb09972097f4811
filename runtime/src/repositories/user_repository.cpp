#include <weft/runtime/repositories/user_repository.hpp>

#include <weft/runtime/repositories/random_id.hpp>

#include "repository_support.hpp"

namespace weft {

namespace {

constexpr const char* kUsers = "users";
constexpr const char* kUniqueKeys = "unique_keys";
constexpr const char* kEmailKey = "users.email";

UserRecord user_from(const Record& r) {
  UserRecord u;
  u.id = r.id;
  u.revision = r.version;
  u.email = repo::text_field(r.body, "email");
  u.name = repo::text_field(r.body, "name");
  u.role = repo::text_field(r.body, "role");
  u.disabled = repo::bool_field(r.body, "disabled");
  u.password_hash = repo::text_field(r.body, "passwordHash");
  u.created_at_ms = repo::int_field(r.body, "createdAt");
  u.updated_at_ms = repo::int_field(r.body, "updatedAt");
  return u;
}

Json body_of(const UserRecord& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", u.role},
          {"disabled", u.disabled},
          {"passwordHash", u.password_hash},
          {"createdAt", u.created_at_ms},
          {"updatedAt", u.updated_at_ms}};
}

Json index_of(const UserRecord& u) {
  return {{"email", repo::lower_ascii(u.email)}, {"role", u.role}, {"createdAt", u.created_at_ms}};
}

std::string email_key(std::string_view email) {
  return repo::unique_key_id(kEmailKey, repo::lower_ascii(email));
}

Json reserve_email(const UserRecord& u) {
  return repo::put_op(kUniqueKeys, email_key(u.email), {{"collection", kUsers}, {"id", u.id}},
                      {{"owner", u.id}}, 0);
}

Status taken(std::string_view email) {
  return Status::conflict("a user with e-mail address '" + std::string(email) + "' already exists");
}

}  // namespace

Result<UserRecord> UserRepository::create(const NewUser& n) const {
  if (n.email.empty()) return Status::invalid("a user needs an e-mail address");
  UserRecord u;
  u.id = random_id();
  u.email = n.email;
  u.name = n.name;
  u.role = n.role;
  u.disabled = n.disabled;
  u.password_hash = n.password_hash;
  u.created_at_ms = u.updated_at_ms = repo::now_ms();
  auto versions = storage_.write(
      {{"writes", Json::array({repo::put_op(kUsers, u.id, body_of(u), index_of(u), 0), reserve_email(u)})}});
  if (!versions) {
    // The id is fresh and random: a conflict is the e-mail address's reservation.
    if (versions.status().code() == Code::kConflict) return taken(n.email);
    return versions.status();
  }
  u.revision = (*versions)[0];
  return u;
}

Result<UserRecord> UserRepository::get(std::string_view id) const {
  auto r = storage_.get(kUsers, id);
  if (!r) return repo::name_not_found(r.status(), "user", id);
  return user_from(*r);
}

Result<UserRecord> UserRepository::find_by_email(std::string_view email) const {
  auto page = storage_.query({{"collection", kUsers},
                              {"where", Json::array({repo::where("email", "eq", repo::lower_ascii(email))})},
                              {"limit", 1}});
  if (!page) return page.status();
  if ((*page)["items"].empty())
    return Status::not_found("no user has e-mail address '" + std::string(email) + "'");
  return user_from(Storage::record_from_json(std::move((*page)["items"][0])));
}

Result<Page<UserRecord>> UserRepository::list(const PageRequest& page,
                                               std::optional<std::string> role) const {
  if (Status st = check_page_request(page); !st) return st;
  Json where = Json::array();
  if (role) where.push_back(repo::where("role", "eq", *role));
  Json q = repo::page_query(kUsers, std::move(where), "email", false, page);
  return repo::query_page<UserRecord>(storage_, q, user_from);
}

Result<UserRecord> UserRepository::update(std::string_view id, const UserChange& change,
                                          int64_t expected_revision) const {
  if (change.email && change.email->empty()) return Status::invalid("a user needs an e-mail address");
  auto current = get(id);
  if (!current) return current.status();
  if (current->revision != expected_revision)
    return Status::conflict("user '" + std::string(id) + "' was changed since revision " +
                            std::to_string(expected_revision) + "; reload it and retry");
  UserRecord u = *current;
  if (change.email) u.email = *change.email;
  if (change.name) u.name = *change.name;
  if (change.role) u.role = *change.role;
  if (change.disabled) u.disabled = *change.disabled;
  if (change.password_hash) u.password_hash = *change.password_hash;
  u.updated_at_ms = repo::now_ms();
  Json writes = Json::array({repo::put_op(kUsers, u.id, body_of(u), index_of(u), expected_revision)});
  const bool moves_key = email_key(u.email) != email_key(current->email);
  if (moves_key) {
    writes.push_back(repo::delete_op(kUniqueKeys, email_key(current->email), std::nullopt));
    writes.push_back(reserve_email(u));
  }
  auto versions = storage_.write({{"writes", std::move(writes)}});
  if (!versions) {
    if (versions.status().code() != Code::kConflict) return versions.status();
    if (moves_key) {
      auto holder = storage_.get(kUniqueKeys, email_key(u.email));
      if (holder && repo::text_field(holder->body, "id") != u.id) return taken(u.email);
    }
    return Status::conflict("user '" + std::string(id) + "' was changed since revision " +
                            std::to_string(expected_revision) + "; reload it and retry");
  }
  u.revision = (*versions)[0];
  return u;
}

Status UserRepository::remove(std::string_view id) const {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    auto current = get(id);
    if (!current) return current.status();
    // Conditional on the version read, so that the e-mail reservation freed is the current one.
    auto done = storage_.write(
        {{"writes", Json::array({repo::delete_op(kUsers, id, current->revision),
                                 repo::delete_op(kUniqueKeys, email_key(current->email), std::nullopt)})}});
    if (done || done.status().code() != Code::kConflict || attempt == kAttempts) return done.status();
  }
}

}  // namespace weft
