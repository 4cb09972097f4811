// The node types every loaded plugin registered, by name and type version.
#pragma once

#include <weft/runtime/node_type.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

class NodeRegistry {
 public:
  // Adds a type; false when name@version is taken.
  bool add(std::shared_ptr<const NodeType> type);
  // The type, or nullptr.
  const NodeType* find(std::string_view name, uint32_t version) const;
  // Every registered version of `name`, ascending (empty when unknown).
  std::vector<uint32_t> versions(std::string_view name) const;
  // All types, ordered by name then version.
  std::vector<std::shared_ptr<const NodeType>> all() const;
  size_t size() const { return types_.size(); }

 private:
  std::map<std::pair<std::string, uint32_t>, std::shared_ptr<const NodeType>, std::less<>> types_;
};

}  // namespace weft
