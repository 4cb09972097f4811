#include "database_error.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/SQLiteException.h>

#include <string>

namespace weft::storage {

Error database_error(const Poco::Exception& e, std::string_view what) {
  namespace sqlite = Poco::Data::SQLite;
  const bool retryable =
      dynamic_cast<const sqlite::DBLockedException*>(&e) ||
      dynamic_cast<const sqlite::TableLockedException*>(&e) ||
      dynamic_cast<const sqlite::IOErrorException*>(&e) ||
      dynamic_cast<const sqlite::CantOpenDBFileException*>(&e) ||
      dynamic_cast<const sqlite::ReadOnlyException*>(&e) ||
      dynamic_cast<const sqlite::DatabaseFullException*>(&e) ||
      dynamic_cast<const sqlite::DBAccessDeniedException*>(&e) ||
      dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e);
  const std::string reason = std::string(what) + ": " + e.displayText();
  if (retryable) return Error(WEFT_ERR_UNAVAILABLE, reason);
  return Error(WEFT_ERR_INTERNAL, reason);
}

}  // namespace weft::storage
