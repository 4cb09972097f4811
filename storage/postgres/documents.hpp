// The storage contract's document operations as SQL on the `documents` table (see record.hpp).
// Each runs on a session from the store's pool; its Poco failures propagate to the pool, which
// turns them into weft::Error.
#pragma once

#include "requests.hpp"
#include "schema.hpp"

#include <weft/sdk.hpp>

#include <Poco/Data/Session.h>

#include <exception>
#include <optional>
#include <string_view>
#include <vector>

namespace weft::postgres {

// Thrown by write_documents when a document the batch creates was created meanwhile by another
// transaction; the batch's transaction must be rolled back and the batch run again.
class CreateRaceLost : public std::exception {
 public:
  const char* what() const noexcept override {
    return "a document this batch creates was created concurrently";
  }
};

// The document, or nullopt.
std::optional<storage::Document> get_document(Poco::Data::Session& session,
                                              std::string_view collection, std::string_view id);

// Applies a batch inside the caller's transaction and returns the new versions in request
// order. Locks the batch's existing documents (in key order, so batches cannot deadlock),
// checks every expected version against the state earlier writes of the batch left, then
// applies the net effect with at most one DELETE, one UPDATE and one INSERT whatever the batch
// size, rows travelling as one JSON parameter. Throws weft::Error CONFLICT or NOT_FOUND, or
// CreateRaceLost.
std::vector<int64_t> write_documents(Poco::Data::Session& session, Context& ctx,
                                     const std::vector<storage::WriteOp>& ops);

// One page of a query: up to query.limit documents, and whether more follow.
struct DocumentPage {
  std::vector<storage::Document> documents;
  bool more = false;
};

// Runs a query, continuing after query.after (keyset pagination on the order column and id).
DocumentPage query_documents(Poco::Data::Session& session, const storage::QueryRequest& query);

// Counts the documents matching query.where.
int64_t count_documents(Poco::Data::Session& session, const storage::QueryRequest& query);

// Claims jobs with one UPDATE over a SELECT ... FOR UPDATE SKIP LOCKED, so that concurrent
// claims, from any process, skip each other's rows instead of waiting or sharing them. Returns
// the claimed documents as updated, in runAt, id order.
std::vector<storage::Document> claim_jobs(Poco::Data::Session& session,
                                          const storage::ClaimRequest& claim);

}  // namespace weft::postgres
