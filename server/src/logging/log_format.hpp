// Turns a record into the one line written for it, in either of the two formats of log.format:
//
//   json: {"time":"2026-11-26T16:50:57.123Z","level":"info","logger":"access",
//          "message":"GET /api/v1/workflows/{id} 200","requestId":"...","fields":{...}}
//   text: 2026-11-26T16:50:57.123Z INFO  access: GET /api/v1/workflows/{id} 200 requestId=... status=200
//
// Both end in exactly one '\n' and hold no other: line breaks and control characters inside
// the message or the fields are escaped, so a value can never forge a line of its own. Bytes
// that are not UTF-8 are replaced (U+FFFD). `fields` are scrubbed (secret_scrubber.hpp).
#pragma once

#include "logging/log_record.hpp"

#include <string>

namespace weft::logging {

enum class Format { kJson, kText };

// RFC 3339 in UTC with milliseconds: "2026-11-26T16:50:57.123Z".
std::string format_time(std::chrono::system_clock::time_point time);

// The JSON object line: time, level, logger, message, then requestId, traceId and spanId when
// not empty, then fields (always present, an object).
std::string format_json_line(const LogRecord& record);

// The human line: time, LEVEL, logger, message, then key=value pairs (the ids, then fields;
// strings bare when they hold no space, quote or control character, else JSON-quoted).
std::string format_text_line(const LogRecord& record);

// format_json_line or format_text_line.
std::string format_line(const LogRecord& record, Format format);

}  // namespace weft::logging
