#include <weft/runtime/repositories/workflow_repository.hpp>

#include <weft/runtime/repositories/random_id.hpp>

#include "repository_support.hpp"

namespace weft {

namespace {

constexpr const char* kWorkflows = "workflows";
constexpr const char* kVersions = "workflow_versions";
// Attempts of set_active without an expected revision when others keep changing the workflow.
constexpr int kPointerChangeAttempts = 5;
constexpr size_t kMaxIdBytes = 200;

std::string version_id(std::string_view workflow_id, int64_t version) {
  return std::string(workflow_id) + ":" + std::to_string(version);
}

WorkflowRecord workflow_from(Record r) {
  WorkflowRecord w;
  w.id = r.id;
  w.revision = r.version;
  w.name = repo::text_field(r.body, "name");
  w.owner = repo::text_field(r.body, "owner");
  w.active = repo::bool_field(r.body, "active");
  if (auto shares = security::shares_from_json(r.body.is_object() ? r.body.value("shares", Json()) : Json())) w.shares = std::move(*shares);
  w.version = repo::int_field(r.body, "currentVersion");
  w.created_at_ms = repo::int_field(r.body, "createdAt");
  w.updated_at_ms = repo::int_field(r.body, "updatedAt");
  if (auto it = r.body.find("definition"); r.body.is_object() && it != r.body.end())
    w.definition = std::move(*it);
  return w;
}

WorkflowVersion version_from(Record r) {
  WorkflowVersion v;
  v.workflow_id = repo::text_field(r.body, "workflowId");
  v.version = repo::int_field(r.body, "version");
  v.author = repo::text_field(r.body, "author");
  v.created_at_ms = repo::int_field(r.body, "createdAt");
  if (auto it = r.body.find("definition"); r.body.is_object() && it != r.body.end())
    v.definition = std::move(*it);
  return v;
}

Json pointer_body(const WorkflowRecord& w) {
  Json b = repo::object_with_room(9);
  b["id"] = w.id;
  b["name"] = w.name;
  b["owner"] = w.owner;
  b["shares"] = security::shares_to_json(w.shares);
  b["active"] = w.active;
  b["currentVersion"] = w.version;
  b["createdAt"] = w.created_at_ms;
  b["updatedAt"] = w.updated_at_ms;
  b["definition"] = w.definition;
  return b;
}

Json pointer_index(const WorkflowRecord& w) {
  return {{"name", w.name}, {"owner", w.owner}, {"updatedAt", w.updated_at_ms},
          {"active", w.active ? 1 : 0}};
}

std::string changed_message(std::string_view id, std::optional<int64_t> expected) {
  std::string m = "workflow '" + std::string(id) + "' was changed by another save";
  if (expected) m += " since revision " + std::to_string(*expected);
  return m + "; reload it and apply the change again";
}

Status check_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes)
    return Status::invalid("workflow id must be 1 to " + std::to_string(kMaxIdBytes) + " bytes");
  for (char c : id)
    if (static_cast<unsigned char>(c) < 0x20)
      return Status::invalid("workflow id must not contain control characters");
  return Status::ok();
}

}  // namespace

Result<WorkflowRecord> WorkflowRepository::save(WorkflowRecord w, std::optional<int64_t> expected,
                                                const std::string& author,
                                                bool new_version) const {
  w.updated_at_ms = repo::now_ms();
  if (new_version) {
    w.version += 1;
    w.definition["id"] = w.id;
    w.definition["name"] = w.name;
    w.definition["version"] = w.version;
  }
  Json writes = Json::array();
  writes.push_back(repo::put_op(kWorkflows, w.id, pointer_body(w), pointer_index(w), expected));
  if (new_version) {
    Json body = repo::object_with_room(5);
    body["workflowId"] = w.id;
    body["version"] = w.version;
    body["author"] = author;
    body["createdAt"] = w.updated_at_ms;
    body["definition"] = w.definition;
    Json index = {{"workflowId", w.id}, {"version", w.version}, {"createdAt", w.updated_at_ms}};
    writes.push_back(repo::put_op(kVersions, version_id(w.id, w.version), std::move(body),
                                  std::move(index), 0));
  }
  auto versions = storage_.write({{"writes", std::move(writes)}});
  if (!versions) {
    if (expected == 0 && versions.status().code() == Code::kConflict)
      return Status::conflict("workflow '" + w.id + "' already exists");
    return repo::name_conflict(versions.status(), changed_message(w.id, expected));
  }
  w.revision = versions->empty() ? 0 : (*versions)[0];
  return w;
}

Result<WorkflowRecord> WorkflowRepository::create(const NewWorkflow& n) const {
  if (!n.definition.is_object()) return Status::invalid("the workflow definition must be a JSON object");
  WorkflowRecord w;
  w.id = n.id.empty() ? random_id() : n.id;
  if (Status st = check_id(w.id); !st) return st;
  w.name = !n.name.empty() ? n.name : repo::text_field(n.definition, "name");
  w.owner = n.owner;
  w.active = n.active;
  w.definition = n.definition;
  w.created_at_ms = repo::now_ms();
  auto saved = save(w, 0, n.author, true);
  if (saved || saved.status().code() != Code::kConflict) return saved;
  // The pointer is absent but versions were left by an interrupted remove(): sweep, retry once.
  auto existing = storage_.get(kWorkflows, w.id);
  if (existing || existing.status().code() != Code::kNotFound) return saved;
  auto swept = repo::delete_matching(storage_, kVersions, Json::array({repo::where("workflowId", "eq", w.id)}));
  if (!swept) return swept.status();
  return save(w, 0, n.author, true);
}

Result<WorkflowRecord> WorkflowRepository::get(std::string_view id) const {
  auto r = storage_.get(kWorkflows, id);
  if (!r) return repo::name_not_found(r.status(), "workflow", id);
  return workflow_from(std::move(*r));
}

Result<WorkflowVersion> WorkflowRepository::get_version(std::string_view id, int64_t version) const {
  auto r = storage_.get(kVersions, version_id(id, version));
  if (!r) return repo::name_not_found(r.status(), "workflow version", version_id(id, version));
  return version_from(std::move(*r));
}

Result<Page<WorkflowVersion>> WorkflowRepository::list_versions(std::string_view id,
                                                                const PageRequest& page) const {
  if (Status st = check_page_request(page); !st) return st;
  Json q = repo::page_query(kVersions, Json::array({repo::where("workflowId", "eq", id)}), "version",
                            true, page);
  return repo::query_page<WorkflowVersion>(storage_, q, version_from);
}

Result<Page<WorkflowRecord>> WorkflowRepository::list(const WorkflowFilter& f) const {
  if (Status st = check_page_request(f.page); !st) return st;
  Json where = Json::array();
  if (f.name) where.push_back(repo::where("name", "eq", *f.name));
  if (f.owner) where.push_back(repo::where("owner", "eq", *f.owner));
  if (f.active) where.push_back(repo::where("active", "eq", *f.active ? 1 : 0));
  Json q = repo::page_query(kWorkflows, std::move(where),
                            f.sort == WorkflowSort::kName ? "name" : "updatedAt", f.descending,
                            f.page);
  return repo::query_page<WorkflowRecord>(storage_, q, workflow_from);
}

Result<WorkflowRecord> WorkflowRepository::replace(std::string_view id, Json definition,
                                                   int64_t expected_revision,
                                                   std::string_view author,
                                                   std::string_view name) const {
  if (!definition.is_object()) return Status::invalid("the workflow definition must be a JSON object");
  auto current = get(id);
  if (!current) return current.status();
  if (current->revision != expected_revision)
    return Status::conflict(changed_message(id, expected_revision));
  WorkflowRecord w = std::move(*current);
  std::string from_definition = repo::text_field(definition, "name");
  if (!name.empty()) w.name = std::string(name);
  else if (!from_definition.empty()) w.name = from_definition;
  w.definition = std::move(definition);
  return save(std::move(w), expected_revision, std::string(author), true);
}

Result<WorkflowRecord> WorkflowRepository::set_active(std::string_view id, bool active,
                                                      std::optional<int64_t> expected) const {
  return change_pointer(id, expected, [active](WorkflowRecord& w) {
    if (w.active == active) return false;
    w.active = active;
    return true;
  });
}

Result<WorkflowRecord> WorkflowRepository::set_shares(std::string_view id, security::Shares shares,
                                                      std::optional<int64_t> expected) const {
  return change_pointer(id, expected, [&shares](WorkflowRecord& w) {
    if (w.shares == shares) return false;
    w.shares = shares;
    return true;
  });
}

Result<WorkflowRecord> WorkflowRepository::change_pointer(std::string_view id, std::optional<int64_t> expected,
                                                          const std::function<bool(WorkflowRecord&)>& change) const {
  for (int attempt = 1;; ++attempt) {
    auto current = get(id);
    if (!current) return current.status();
    if (expected && current->revision != *expected)
      return Status::conflict(changed_message(id, expected));
    WorkflowRecord w = std::move(*current);
    if (!change(w)) return w;
    const int64_t at = w.revision;
    auto saved = save(std::move(w), at, {}, false);
    if (saved || expected || saved.status().code() != Code::kConflict ||
        attempt == kPointerChangeAttempts)
      return saved;
  }
}

Status WorkflowRepository::remove(std::string_view id, std::optional<int64_t> expected) const {
  bool existed = false;
  auto current = storage_.get(kWorkflows, id);
  if (current) {
    if (expected && current->version != *expected)
      return Status::conflict(changed_message(id, expected));
    auto done = storage_.write({{"writes", Json::array({repo::delete_op(kWorkflows, id, expected)})}});
    if (!done) return repo::name_conflict(done.status(), changed_message(id, expected));
    existed = true;
  } else if (current.status().code() != Code::kNotFound) {
    return current.status();
  } else if (expected) {
    return Status::not_found("workflow '" + std::string(id) + "' not found");
  }
  auto swept = repo::delete_matching(storage_, kVersions,
                                     Json::array({repo::where("workflowId", "eq", id)}));
  if (!swept) return swept.status();
  if (!existed && *swept == 0) return Status::not_found("workflow '" + std::string(id) + "' not found");
  return Status::ok();
}

}  // namespace weft
