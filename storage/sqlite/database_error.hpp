// How failures of the SQLite library become contract errors.
#pragma once

#include <weft/sdk.hpp>

#include <Poco/Exception.h>

#include <string_view>

namespace weft::storage {

// The error for Poco exception `e` raised while doing `what`: WEFT_ERR_UNAVAILABLE when the
// database is busy, locked, unreadable or unwritable (retrying or fixing the file may help),
// WEFT_ERR_INTERNAL otherwise. The message names `what` and SQLite's reason.
Error database_error(const Poco::Exception& e, std::string_view what);

}  // namespace weft::storage
