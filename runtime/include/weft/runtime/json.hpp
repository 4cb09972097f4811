// The runtime's JSON value and the item type that flows along edges.
#pragma once

#include <weft/host/context.hpp>  // weft::Json

#include <memory>
#include <vector>

namespace weft {

// An item is immutable once emitted, so nodes and executions share it without copying.
using Item = std::shared_ptr<const Json>;
using Items = std::vector<Item>;

inline Item make_item(Json j) { return std::make_shared<const Json>(std::move(j)); }

}  // namespace weft
