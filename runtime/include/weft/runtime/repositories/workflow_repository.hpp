// Workflows and their immutable versions, over the storage contract.
//
// Collection "workflows" holds one pointer document per workflow (name, owner, active, the
// current version's number and definition, timestamps); "workflow_versions" holds one document
// per saved version, id "<workflowId>:<version>", never changed once written. Every save writes
// the new version and the pointer in ONE atomic batch conditional on the pointer's revision, so
// two concurrent saves give one success and one kConflict, never a lost update.
//
// Validating the definition is the caller's job (the server plans it before saving).
// Thread-safe: the repository holds no state of its own.
#pragma once

#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/security/object_access.hpp>
#include <weft/runtime/storage.hpp>

#include <functional>
#include <optional>
#include <string>

namespace weft {

// A workflow as currently saved.
struct WorkflowRecord {
  std::string id;
  std::string name;
  std::string owner;
  // The users the owner shares it with, and at which level (security/object_access.hpp).
  security::Shares shares;
  bool active = false;
  int64_t version = 0;   // the current version's number: 1 for the first save, then 2, 3, ...
  // The storage version of the pointer document: changes on every save, set_active, ... It is
  // what HTTP carries in ETag / If-Match, and what replace() and friends take as expected.
  int64_t revision = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // The current version's document, with "id", "name" and "version" set to the record's.
  Json definition = Json::object();
};

// One immutable version.
struct WorkflowVersion {
  std::string workflow_id;
  int64_t version = 0;
  Json definition = Json::object();  // as saved, with "id", "name" and "version" set
  std::string author;                // who saved it
  int64_t created_at_ms = 0;
};

struct NewWorkflow {
  std::string id;     // generated (random_id) when empty
  std::string name;   // when empty: the definition's "name"
  std::string owner;
  bool active = false;
  Json definition = Json::object();
  std::string author;
};

enum class WorkflowSort { kUpdatedAt, kName };

struct WorkflowFilter {
  std::optional<std::string> name;   // exactly this name
  std::optional<bool> active;
  std::optional<std::string> owner;
  WorkflowSort sort = WorkflowSort::kUpdatedAt;
  bool descending = true;            // newest (or Z) first
  PageRequest page;
};

class WorkflowRepository {
 public:
  // OWNERSHIP: `storage` is borrowed and must outlive the repository; it must declare
  // domain_collections().
  explicit WorkflowRepository(const Storage& storage) : storage_(storage) {}

  // Saves version 1 of a new workflow. kConflict when a workflow with that id exists; kInvalid
  // when the definition is not a JSON object or the id is not usable.
  Result<WorkflowRecord> create(const NewWorkflow& workflow) const;

  // The workflow as currently saved, or kNotFound.
  Result<WorkflowRecord> get(std::string_view id) const;

  // One saved version, or kNotFound.
  Result<WorkflowVersion> get_version(std::string_view id, int64_t version) const;

  // The workflow's versions, newest first. An unknown workflow gives an empty page.
  Result<Page<WorkflowVersion>> list_versions(std::string_view id, const PageRequest& page) const;

  // Workflows matching `filter`, in its order (ties by id). kInvalid for a bad limit or a
  // cursor of another listing.
  Result<Page<WorkflowRecord>> list(const WorkflowFilter& filter) const;

  // Saves `definition` as the next version (name: `name`, or the definition's "name", or the
  // current name), when the workflow is still at `expected_revision`; kConflict when it has
  // changed since, kNotFound when it does not exist. Returns the new current record.
  Result<WorkflowRecord> replace(std::string_view id, Json definition, int64_t expected_revision,
                                 std::string_view author, std::string_view name = {}) const;

  // Activates or deactivates the workflow (no new version). With `expected_revision`, kConflict
  // when it has changed since; without, a concurrent change is retried on the fresh record.
  Result<WorkflowRecord> set_active(std::string_view id, bool active,
                                    std::optional<int64_t> expected_revision = std::nullopt) const;

  // Replaces who the workflow is shared with (no new version). With `expected_revision`,
  // kConflict when it has changed since; without, a concurrent change is retried.
  Result<WorkflowRecord> set_shares(std::string_view id, security::Shares shares,
                                    std::optional<int64_t> expected_revision = std::nullopt) const;

  // Removes the workflow, then its versions in bounded batches. With `expected_revision`,
  // kConflict when it has changed since. kNotFound when there was nothing to remove. Versions
  // left by an interrupted removal are swept by the next remove of the same id.
  Status remove(std::string_view id, std::optional<int64_t> expected_revision = std::nullopt) const;

 private:
  // Writes `record` (whose version has been bumped when `new_version`) at `expected` revision.
  Result<WorkflowRecord> save(WorkflowRecord record, std::optional<int64_t> expected,
                              const std::string& author, bool new_version) const;
  // Reads the pointer, lets `change` edit it (false: nothing to do) and saves it without a new
  // version, at `expected` (kConflict when stale) or retrying a concurrent change.
  Result<WorkflowRecord> change_pointer(std::string_view id, std::optional<int64_t> expected,
                                        const std::function<bool(WorkflowRecord&)>& change) const;

  const Storage& storage_;
};

}  // namespace weft
