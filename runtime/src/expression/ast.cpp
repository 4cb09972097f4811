#include "ast.hpp"

#include <algorithm>
#include <array>

#include "utf8.hpp"

namespace weft::expr {

namespace {

bool all_literal(const std::vector<NodePtr>& nodes) {
  return std::all_of(nodes.begin(), nodes.end(), [](const NodePtr& n) { return n->literal(); });
}

// Resolves a possibly negative position against `size`; false when out of range.
bool resolve_position(int64_t position, size_t size, size_t& out) {
  if (position < 0) position += static_cast<int64_t>(size);
  if (position < 0 || static_cast<uint64_t>(position) >= size) return false;
  out = static_cast<size_t>(position);
  return true;
}

// Appends `element` to `array`: moved when owned, charged and copied when borrowed.
bool append_element(EvalContext& ctx, size_t column, Value& element, Json& array) {
  Json owned;
  if (!take_owned(ctx, column, element, owned)) return false;
  array.push_back(std::move(owned));
  return true;
}

}  // namespace

size_t depth_over(const std::vector<NodePtr>& children) {
  size_t depth = 0;
  for (const NodePtr& child : children) depth = std::max(depth, child->depth());
  return depth + 1;
}

bool LiteralNode::eval(EvalContext& ctx, Value& out) const {
  if (!ctx.step(column_)) return false;
  out.borrow(value_);
  return true;
}

bool ArrayNode::eval(EvalContext& ctx, Value& out) const {
  if (!ctx.step(column_) || !ctx.charge(column_, sizeof(Json) * (elements_.size() + 1)))
    return false;
  Json array = Json::array();
  array.get_ref<Json::array_t&>().reserve(elements_.size());
  for (const NodePtr& element : elements_) {
    Value value;
    if (!element->eval(ctx, value) || !append_element(ctx, column_, value, array)) return false;
  }
  out.set(std::move(array));
  return true;
}

bool ArrayNode::can_fold() const { return all_literal(elements_); }

ObjectNode::ObjectNode(size_t column, std::vector<Member> members)
    : Node(column, 1), members_(std::move(members)) {
  for (const Member& member : members_) depth_ = std::max(depth_, member.second->depth() + 1);
}

bool ObjectNode::eval(EvalContext& ctx, Value& out) const {
  if (!ctx.step(column_) || !ctx.charge(column_, (sizeof(Json) + 32) * (members_.size() + 1)))
    return false;
  Json object = Json::object();
  for (const auto& [key, node] : members_) {
    Value value;
    Json owned;
    if (!node->eval(ctx, value) || !take_owned(ctx, column_, value, owned)) return false;
    append_member(object, key, std::move(owned));
  }
  out.set(std::move(object));
  return true;
}

bool ObjectNode::can_fold() const {
  return std::all_of(members_.begin(), members_.end(),
                     [](const Member& m) { return m.second->literal(); });
}

bool VariableNode::eval(EvalContext& ctx, Value& out) const {
  if (!ctx.step(column_)) return false;
  const Json* json = nullptr;
  switch (kind_) {
    case Kind::kJson: json = ctx.scope().json(); break;
    case Kind::kExecution: json = ctx.scope().execution(); break;
    case Kind::kWorkflow: json = ctx.scope().workflow(); break;
    case Kind::kNow: out.set(Json(ctx.scope().now_ms())); return true;
  }
  out.borrow(json != nullptr ? *json : empty_object_json());
  return true;
}

NodeOutputNode::NodeOutputNode(size_t column, NodePtr node_id, Part part, NodePtr index)
    : Node(column, std::max(node_id->depth(), index ? index->depth() : 0) + 1),
      node_id_(std::move(node_id)),
      part_(part),
      index_(std::move(index)) {}

bool NodeOutputNode::eval(EvalContext& ctx, Value& out) const {
  if (!ctx.step(column_)) return false;
  Value id;
  if (!node_id_->eval(ctx, id)) return false;
  if (!id.get().is_string()) {
    return ctx.fail(column_,
                    std::string("$node needs a node id string, got ") + type_name(id.get()));
  }
  const Items* items = ctx.scope().node_output(id.get().get_ref<const std::string&>());
  const auto item_json = [](const Item& item) -> const Json& { return item ? *item : null_json(); };
  out.borrow(null_json());
  if (items == nullptr) return true;  // the node has not run
  switch (part_) {
    case Part::kFirstItem:
      if (!items->empty()) out.borrow(item_json(items->front()));
      return true;
    case Part::kItemAt: {
      Value index;
      if (!index_->eval(ctx, index)) return false;
      Number n;
      int64_t position = 0;
      if (!to_number(index.get(), n) || !to_integer(n, position)) {
        return ctx.fail(index_->column(), std::string("item index must be an integer, got ") +
                                              type_name(index.get()));
      }
      size_t at = 0;
      if (resolve_position(position, items->size(), at)) out.borrow(item_json((*items)[at]));
      return true;
    }
    case Part::kAllItems:
    case Part::kWhole: {
      if (items->size() > ctx.limits().max_array_items) {
        return ctx.fail(column_, "node output has more than " +
                                     std::to_string(ctx.limits().max_array_items) + " items");
      }
      if (!ctx.step(column_, items->size())) return false;
      Json array = Json::array();
      for (const Item& item : *items) {
        if (!charge_copy(ctx, column_, item_json(item))) return false;
        array.push_back(item_json(item));
      }
      if (part_ == Part::kAllItems) {
        out.set(std::move(array));
        return true;
      }
      Json whole = Json::object();
      whole["json"] = array.empty() ? Json() : array.front();
      whole["items"] = std::move(array);
      out.set(std::move(whole));
      return true;
    }
  }
  return true;
}

bool MemberNode::eval(EvalContext& ctx, Value& out) const {
  if (!base_->eval(ctx, out) || !ctx.step(column_)) return false;
  const Json& base = out.get();
  if (base.is_object()) {
    const auto& members = base.get_ref<const Json::object_t&>();
    for (const auto& member : members) {
      if (member.first == name_) {
        out.narrow(member.second);
        return true;
      }
    }
  }
  out.borrow(null_json());
  return true;
}

bool IndexNode::eval(EvalContext& ctx, Value& out) const {
  Value index;
  if (!base_->eval(ctx, out) || !index_->eval(ctx, index) || !ctx.step(column_)) return false;
  const Json& base = out.get();
  const Json& key = index.get();
  Number n;
  int64_t position = 0;
  const bool integer_key = to_number(key, n) && to_integer(n, position);
  if (base.is_array() || base.is_string()) {
    if (!integer_key) {
      return ctx.fail(column_, std::string("index into ") + type_name(base) +
                                   " must be an integer, got " + type_name(key));
    }
    if (base.is_array()) {
      size_t at = 0;
      if (resolve_position(position, base.size(), at)) {
        out.narrow(base[at]);
      } else {
        out.borrow(null_json());
      }
      return true;
    }
    const auto& text = base.get_ref<const std::string&>();
    size_t at = 0;
    if (!resolve_position(position, utf8::count(text), at)) {
      out.borrow(null_json());
      return true;
    }
    size_t offset = utf8::offset_of(text, at);
    std::string character = text.substr(offset, utf8::char_length(text, offset));
    if (!ctx.charge(column_, sizeof(Json) + character.size())) return false;
    out.set(Json(std::move(character)));
    return true;
  }
  if (base.is_object()) {
    std::string name;
    if (key.is_string()) {
      name = key.get_ref<const std::string&>();
    } else if (integer_key) {
      name = std::to_string(position);
    } else {
      return ctx.fail(column_,
                      std::string("index into object must be a string, got ") + type_name(key));
    }
    auto found = base.find(name);
    if (found != base.end()) {
      out.narrow(found.value());
    } else {
      out.borrow(null_json());
    }
    return true;
  }
  out.borrow(null_json());
  return true;
}

bool UnaryNode::eval(EvalContext& ctx, Value& out) const {
  if (!operand_->eval(ctx, out) || !ctx.step(column_)) return false;
  if (op_ == Op::kNot) {
    out.set(Json(!truthy(out.get())));
    return true;
  }
  return apply_negate(ctx, column_, out);
}

bool BinaryNode::eval(EvalContext& ctx, Value& out) const {
  Value rhs;
  if (!lhs_->eval(ctx, out) || !rhs_->eval(ctx, rhs) || !ctx.step(column_)) return false;
  return apply_binary(op_, ctx, column_, out, rhs);
}

bool LogicalNode::eval(EvalContext& ctx, Value& out) const {
  if (!lhs_->eval(ctx, out) || !ctx.step(column_)) return false;
  bool take_left = false;
  switch (op_) {
    case Op::kAnd: take_left = !truthy(out.get()); break;
    case Op::kOr: take_left = truthy(out.get()); break;
    case Op::kCoalesce: take_left = !out.get().is_null(); break;
  }
  if (take_left) return true;
  out = Value();
  return rhs_->eval(ctx, out);
}

bool ConditionalNode::eval(EvalContext& ctx, Value& out) const {
  Value condition;
  if (!condition_->eval(ctx, condition) || !ctx.step(column_)) return false;
  return (truthy(condition.get()) ? then_ : else_)->eval(ctx, out);
}

bool CallNode::eval(EvalContext& ctx, Value& out) const {
  if (!ctx.step(column_)) return false;
  // Most calls take a few arguments: keep them on the stack.
  constexpr size_t kInlineArgs = 4;
  std::array<Value, kInlineArgs> inline_args;
  std::vector<Value> heap_args;
  std::span<Value> args;
  if (args_.size() <= kInlineArgs) {
    args = std::span<Value>(inline_args.data(), args_.size());
  } else {
    heap_args.resize(args_.size());
    args = heap_args;
  }
  for (size_t i = 0; i < args_.size(); ++i) {
    if (!args_[i]->eval(ctx, args[i])) return false;
  }
  Call call(ctx, function_, column_, args);
  return function_.function(call, out);
}

bool CallNode::can_fold() const { return function_.pure && all_literal(args_); }

}  // namespace weft::expr
