// Identifiers of stored objects: 128 random bits from the operating system's CSPRNG.
#pragma once

#include <string>

namespace weft {

// 32 lower-case hex digits (128 bits) from getrandom(2). Unpredictable, so an id is never a
// guessable handle. Throws std::runtime_error only when the kernel has no random source.
std::string random_id();

}  // namespace weft
