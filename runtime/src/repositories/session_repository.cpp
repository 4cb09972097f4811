#include <weft/runtime/repositories/session_repository.hpp>

#include <weft/runtime/repositories/random_id.hpp>

#include "repository_support.hpp"

namespace weft {

namespace {

constexpr const char* kSessions = "sessions";

SessionRecord session_from(const Record& r) {
  SessionRecord s;
  s.id = r.id;
  s.revision = r.version;
  s.user_id = repo::text_field(r.body, "userId");
  s.family = repo::text_field(r.body, "family");
  s.token_hash = repo::text_field(r.body, "tokenHash");
  s.created_at_ms = repo::int_field(r.body, "createdAt");
  s.expires_at_ms = repo::int_field(r.body, "expiresAt");
  s.revoked_at_ms = repo::optional_int_field(r.body, "revokedAt");
  s.rotated = repo::bool_field(r.body, "rotated");
  return s;
}

Json body_of(const SessionRecord& s) {
  return {{"id", s.id},
          {"userId", s.user_id},
          {"family", s.family},
          {"tokenHash", s.token_hash},
          {"createdAt", s.created_at_ms},
          {"expiresAt", s.expires_at_ms},
          {"revokedAt", s.revoked_at_ms ? Json(*s.revoked_at_ms) : Json(nullptr)},
          {"rotated", s.rotated}};
}

Json index_of(const SessionRecord& s) {
  return {{"userId", s.user_id}, {"family", s.family}, {"tokenHash", s.token_hash},
          {"expiresAt", s.expires_at_ms}};
}

Json put_session(const SessionRecord& s, std::optional<int64_t> expected) {
  return repo::put_op(kSessions, s.id, body_of(s), index_of(s), expected);
}

Result<SessionRecord> new_session(const NewSession& n) {
  if (n.user_id.empty()) return Status::invalid("a session needs a user id");
  if (n.token_hash.empty()) return Status::invalid("a session needs a refresh token hash");
  SessionRecord s;
  s.id = random_id();
  s.user_id = n.user_id;
  s.family = n.family.empty() ? random_id() : n.family;
  s.token_hash = n.token_hash;
  s.created_at_ms = repo::now_ms();
  s.expires_at_ms = n.expires_at_ms;
  return s;
}

bool is_revoked(const Json& body) {
  return body.is_object() && body.contains("revokedAt") && !body["revokedAt"].is_null();
}

}  // namespace

Result<SessionRecord> SessionRepository::create(const NewSession& n) const {
  auto s = new_session(n);
  if (!s) return s.status();
  auto versions = storage_.write({{"writes", Json::array({put_session(*s, 0)})}});
  if (!versions) return versions.status();
  s->revision = (*versions)[0];
  return s;
}

Result<SessionRecord> SessionRepository::get(std::string_view id) const {
  auto r = storage_.get(kSessions, id);
  if (!r) return repo::name_not_found(r.status(), "session", id);
  return session_from(*r);
}

Result<SessionRecord> SessionRepository::find_by_hash(std::string_view token_hash) const {
  auto page = storage_.query({{"collection", kSessions},
                              {"where", Json::array({repo::where("tokenHash", "eq", token_hash)})},
                              {"limit", 1}});
  if (!page) return page.status();
  // Never echo the hash: it identifies a secret.
  if ((*page)["items"].empty()) return Status::not_found("no session has this refresh token");
  return session_from(Storage::record_from_json(std::move((*page)["items"][0])));
}

Result<SessionRecord> SessionRepository::rotate(const SessionRecord& current,
                                                std::string token_hash,
                                                int64_t expires_at_ms) const {
  if (current.rotated || current.revoked_at_ms)
    return Status::conflict("session '" + current.id + "' was already rotated or revoked");
  auto next = new_session({current.user_id, current.family, std::move(token_hash), expires_at_ms});
  if (!next) return next.status();
  SessionRecord old = current;
  old.rotated = true;
  auto versions = storage_.write(
      {{"writes", Json::array({put_session(old, current.revision), put_session(*next, 0)})}});
  if (!versions) {
    return repo::name_conflict(versions.status(), "session '" + current.id +
                                                      "' was rotated or revoked concurrently");
  }
  next->revision = (*versions)[1];
  return next;
}

Result<SessionRecord> SessionRepository::revoke(std::string_view id, int64_t now_ms) const {
  auto r = repo::update_record(storage_, kSessions, id, [&](Record& rec) {
    if (is_revoked(rec.body)) return false;
    rec.body["revokedAt"] = now_ms;
    return true;
  });
  if (!r) return repo::name_not_found(r.status(), "session", id);
  return session_from(*r);
}

Result<int64_t> SessionRepository::revoke_family(std::string_view family, int64_t now_ms) const {
  int64_t revoked = 0;
  PageRequest page{repo::kDeleteBatch, {}};
  for (;;) {
    Json q = repo::page_query(kSessions, Json::array({repo::where("family", "eq", family)}), "id",
                              false, page);
    auto result = storage_.query(q);
    if (!result) return result.status();
    // One batch for the page, each write conditional on the version read; when something
    // changed meanwhile, fall back to one conditional update per session.
    Json writes = Json::array();
    std::vector<std::string> ids;
    for (auto& item : (*result)["items"]) {
      Record r = Storage::record_from_json(std::move(item));
      if (is_revoked(r.body)) continue;
      r.body["revokedAt"] = now_ms;
      ids.push_back(r.id);
      writes.push_back(repo::put_op(kSessions, r.id, std::move(r.body), std::move(r.index), r.version));
    }
    if (!writes.empty()) {
      auto done = storage_.write({{"writes", std::move(writes)}});
      if (done) {
        revoked += static_cast<int64_t>(ids.size());
      } else if (done.status().code() == Code::kConflict || done.status().code() == Code::kNotFound) {
        for (const std::string& id : ids) {
          bool changed = false;
          auto one = repo::update_record(storage_, kSessions, id, [&](Record& rec) {
            if (is_revoked(rec.body)) return false;
            rec.body["revokedAt"] = now_ms;
            return changed = true;
          });
          if (!one && one.status().code() != Code::kNotFound) return one.status();
          if (one && changed) ++revoked;
        }
      } else {
        return done.status();
      }
    }
    const Json& next = (*result)["nextCursor"];
    if (!next.is_string()) return revoked;
    page.cursor = next.get<std::string>();
  }
}

Result<int64_t> SessionRepository::remove_expired(int64_t now_ms) const {
  return repo::delete_matching(storage_, kSessions,
                               Json::array({repo::where("expiresAt", "lt", now_ms)}));
}

}  // namespace weft
