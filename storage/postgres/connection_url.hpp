// The `url` of the postgres backend's config, turned into the connection string that Poco's
// PostgreSQL connector passes to libpq.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::postgres {

// Where and as whom to connect.
struct ConnectionTarget {
  std::string conninfo;  // libpq "key=value ..." pairs, split on spaces by Poco
  std::string password;  // kept only so that messages can be scrubbed of it
  std::string where;     // "host:port/database", for messages: no user, no password
};

// Parses postgresql://user:password@host[:port]/database[?key=value&...] (postgres:// too;
// user and password percent-encoded; port 5432 by default; query pairs such as sslmode are
// passed to libpq). A positive connect_timeout_ms becomes libpq's connect_timeout, rounded up
// to whole seconds. Throws weft::Error(WEFT_ERR_INVALID) with one line naming what is wrong;
// the message never contains the password.
ConnectionTarget parse_connection_url(std::string_view url, int64_t connect_timeout_ms);

// `text` with every occurrence of `password` replaced by "***".
std::string scrub_password(std::string text, std::string_view password);

}  // namespace weft::postgres
