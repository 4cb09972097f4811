#include <weft/runtime/node_registry.hpp>

namespace weft {

bool NodeRegistry::add(std::shared_ptr<const NodeType> type) {
  auto key = std::make_pair(type->name, type->version);
  return types_.emplace(std::move(key), std::move(type)).second;
}

const NodeType* NodeRegistry::find(std::string_view name, uint32_t version) const {
  auto it = types_.find(std::make_pair(std::string(name), version));
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<uint32_t> NodeRegistry::versions(std::string_view name) const {
  std::vector<uint32_t> out;
  for (auto it = types_.lower_bound(std::make_pair(std::string(name), uint32_t(0)));
       it != types_.end() && it->first.first == name; ++it)
    out.push_back(it->first.second);
  return out;
}

std::vector<std::shared_ptr<const NodeType>> NodeRegistry::all() const {
  std::vector<std::shared_ptr<const NodeType>> out;
  out.reserve(types_.size());
  for (const auto& [key, type] : types_) out.push_back(type);
  return out;
}

}  // namespace weft
