#include <weft/runtime/repositories/api_key_repository.hpp>

#include <weft/runtime/repositories/random_id.hpp>

#include "repository_support.hpp"

namespace weft {

namespace {

constexpr const char* kApiKeys = "api_keys";
constexpr const char* kUniqueKeys = "unique_keys";

std::string hash_key(std::string_view hash) { return repo::unique_key_id("api_keys.hash", hash); }

Json optional_ms(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

ApiKeyRecord key_from(const Record& r) {
  ApiKeyRecord k;
  k.id = r.id;
  k.revision = r.version;
  k.user_id = repo::text_field(r.body, "userId");
  k.name = repo::text_field(r.body, "name");
  k.prefix = repo::text_field(r.body, "prefix");
  k.hash = repo::text_field(r.body, "hash");
  if (r.body.is_object())
    if (auto it = r.body.find("scopes"); it != r.body.end() && it->is_array())
      for (const auto& s : *it)
        if (s.is_string()) k.scopes.push_back(s.get<std::string>());
  k.created_at_ms = repo::int_field(r.body, "createdAt");
  k.last_used_at_ms = repo::optional_int_field(r.body, "lastUsedAt");
  k.expires_at_ms = repo::optional_int_field(r.body, "expiresAt");
  k.revoked_at_ms = repo::optional_int_field(r.body, "revokedAt");
  return k;
}

}  // namespace

Result<ApiKeyRecord> ApiKeyRepository::create(const NewApiKey& n) const {
  if (n.user_id.empty()) return Status::invalid("an API key needs a user id");
  if (n.hash.empty()) return Status::invalid("an API key needs a hash");
  const std::string id = random_id();
  const int64_t now = repo::now_ms();
  Json body = {{"id", id},
               {"userId", n.user_id},
               {"name", n.name},
               {"prefix", n.prefix},
               {"hash", n.hash},
               {"scopes", n.scopes},
               {"createdAt", now},
               {"lastUsedAt", nullptr},
               {"expiresAt", optional_ms(n.expires_at_ms)},
               {"revokedAt", nullptr}};
  Json index = {{"prefix", n.prefix}, {"userId", n.user_id}, {"hash", n.hash}, {"createdAt", now}};
  auto versions = storage_.write(
      {{"writes", Json::array({repo::put_op(kApiKeys, id, body, std::move(index), 0),
                               repo::put_op(kUniqueKeys, hash_key(n.hash),
                                            {{"collection", kApiKeys}, {"id", id}},
                                            {{"owner", id}}, 0)})}});
  if (!versions) {
    // The id is fresh and random: a conflict is the hash's reservation.
    if (versions.status().code() == Code::kConflict)
      return Status::conflict("an API key with this hash already exists");
    return versions.status();
  }
  return key_from(Record{id, (*versions)[0], std::move(body), Json::object()});
}

Result<ApiKeyRecord> ApiKeyRepository::get(std::string_view id) const {
  auto r = storage_.get(kApiKeys, id);
  if (!r) return repo::name_not_found(r.status(), "API key", id);
  return key_from(*r);
}

Result<ApiKeyRecord> ApiKeyRepository::find_by_hash(std::string_view hash) const {
  auto page = storage_.query({{"collection", kApiKeys},
                              {"where", Json::array({repo::where("hash", "eq", hash)})},
                              {"limit", 1}});
  if (!page) return page.status();
  // Never echo the hash: it identifies a secret.
  if ((*page)["items"].empty()) return Status::not_found("no API key has this hash");
  return key_from(Storage::record_from_json(std::move((*page)["items"][0])));
}

Result<Page<ApiKeyRecord>> ApiKeyRepository::list_for_user(std::string_view user_id,
                                                           const PageRequest& page) const {
  if (Status st = check_page_request(page); !st) return st;
  Json q = repo::page_query(kApiKeys, Json::array({repo::where("userId", "eq", user_id)}),
                            "createdAt", true, page);
  return repo::query_page<ApiKeyRecord>(storage_, q, key_from);
}

Result<ApiKeyRecord> ApiKeyRepository::revoke(std::string_view id, int64_t now_ms) const {
  auto r = repo::update_record(storage_, kApiKeys, id, [&](Record& rec) {
    if (rec.body.is_object() && rec.body.contains("revokedAt") && !rec.body["revokedAt"].is_null())
      return false;
    rec.body["revokedAt"] = now_ms;
    return true;
  });
  if (!r) return repo::name_not_found(r.status(), "API key", id);
  return key_from(*r);
}

Status ApiKeyRepository::mark_used(std::string_view id, int64_t now_ms) const {
  auto r = repo::update_record(storage_, kApiKeys, id, [&](Record& rec) {
    rec.body["lastUsedAt"] = now_ms;
    return true;
  });
  return r ? Status::ok() : repo::name_not_found(r.status(), "API key", id);
}

Status ApiKeyRepository::remove(std::string_view id) const {
  auto current = get(id);
  if (!current) return current.status();
  auto done = storage_.write(
      {{"writes", Json::array({repo::delete_op(kApiKeys, id, std::nullopt),
                               repo::delete_op(kUniqueKeys, hash_key(current->hash), std::nullopt)})}});
  return done.status();
}

}  // namespace weft
