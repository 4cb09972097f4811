// Wall-clock time as weft records it: Unix milliseconds (execution times, createdAt, expiry).
#pragma once

#include <chrono>
#include <cstdint>

namespace weft {

// Now, in milliseconds since the Unix epoch.
inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace weft
