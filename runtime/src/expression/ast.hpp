// The syntax tree, which is also the evaluator: each node evaluates itself. A tree is built
// once by the parser and never changes, so one tree serves any number of threads; all
// per-evaluation state is in the EvalContext.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "eval_context.hpp"
#include "functions.hpp"
#include "operators.hpp"
#include "value.hpp"

namespace weft::expr {

class Node {
 public:
  // `column` is where the node's error messages point; `depth` its height in the tree.
  Node(size_t column, size_t depth) : column_(column), depth_(depth) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Evaluates into `out` (a fresh Value). False when evaluation failed: the reason is in ctx.
  virtual bool eval(EvalContext& ctx, Value& out) const = 0;
  // True when the node has no free inputs, so the parser may evaluate it once at compile time.
  virtual bool can_fold() const { return false; }
  // The constant value of a literal node; nullptr for every other node.
  virtual const Json* literal() const { return nullptr; }

  size_t column() const { return column_; }
  size_t depth() const { return depth_; }

 protected:
  size_t column_;
  size_t depth_;
};

using NodePtr = std::unique_ptr<const Node>;

// Height of a node over these children.
size_t depth_over(const std::vector<NodePtr>& children);

// A constant: written in the source or folded by the parser. Evaluates by borrowing.
class LiteralNode final : public Node {
 public:
  LiteralNode(size_t column, Json value) : Node(column, 1), value_(std::move(value)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  const Json* literal() const override { return &value_; }

 private:
  Json value_;
};

// `[a, b, ...]`
class ArrayNode final : public Node {
 public:
  ArrayNode(size_t column, std::vector<NodePtr> elements)
      : Node(column, depth_over(elements)), elements_(std::move(elements)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override;

 private:
  std::vector<NodePtr> elements_;
};

// `{key: value, "key": value, ...}`.
class ObjectNode final : public Node {
 public:
  using Member = std::pair<std::string, NodePtr>;
  // Precondition: the keys are distinct (the parser keeps the last value of a repeated key).
  ObjectNode(size_t column, std::vector<Member> members);
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override;

 private:
  std::vector<Member> members_;
};

// `$json`, `$execution`, `$workflow`, `$now`.
class VariableNode final : public Node {
 public:
  enum class Kind { kJson, kExecution, kWorkflow, kNow };
  VariableNode(size_t column, Kind kind) : Node(column, 1), kind_(kind) {}
  bool eval(EvalContext& ctx, Value& out) const override;

 private:
  Kind kind_;
};

// `$node[id]` and its forms `.json`, `.items`, `.items[i]`: the last two borrow the item
// instead of building the array of all items.
class NodeOutputNode final : public Node {
 public:
  enum class Part { kWhole, kFirstItem, kAllItems, kItemAt };
  NodeOutputNode(size_t column, NodePtr node_id, Part part, NodePtr index);
  bool eval(EvalContext& ctx, Value& out) const override;

 private:
  NodePtr node_id_;
  Part part_;
  NodePtr index_;  // kItemAt only
};

// `base.name`: null when base is not an object or has no such member.
class MemberNode final : public Node {
 public:
  MemberNode(size_t column, NodePtr base, std::string name)
      : Node(column, base->depth() + 1), base_(std::move(base)), name_(std::move(name)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override { return base_->literal() != nullptr; }

 private:
  NodePtr base_;
  std::string name_;
};

// `base[index]`: arrays by integer (negative counts from the end), objects by string,
// strings by integer (one character); out of range or missing is null.
class IndexNode final : public Node {
 public:
  IndexNode(size_t column, NodePtr base, NodePtr index)
      : Node(column, std::max(base->depth(), index->depth()) + 1),
        base_(std::move(base)),
        index_(std::move(index)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override { return base_->literal() && index_->literal(); }

 private:
  NodePtr base_;
  NodePtr index_;
};

// `!x` and `-x`.
class UnaryNode final : public Node {
 public:
  enum class Op { kNot, kNegate };
  UnaryNode(size_t column, Op op, NodePtr operand)
      : Node(column, operand->depth() + 1), op_(op), operand_(std::move(operand)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override { return operand_->literal() != nullptr; }

 private:
  Op op_;
  NodePtr operand_;
};

// A node of two operands and an operator; foldable when both operands are literals.
template <class OpT>
class TwoOperandNode : public Node {
 public:
  TwoOperandNode(size_t column, OpT op, NodePtr lhs, NodePtr rhs)
      : Node(column, std::max(lhs->depth(), rhs->depth()) + 1),
        op_(op),
        lhs_(std::move(lhs)),
        rhs_(std::move(rhs)) {}
  bool can_fold() const override { return lhs_->literal() && rhs_->literal(); }

 protected:
  OpT op_;
  NodePtr lhs_;
  NodePtr rhs_;
};

// Arithmetic, comparison and equality (operators.hpp).
class BinaryNode final : public TwoOperandNode<BinaryOp> {
 public:
  using TwoOperandNode::TwoOperandNode;
  bool eval(EvalContext& ctx, Value& out) const override;
};

enum class LogicalOp { kAnd, kOr, kCoalesce };

// `a && b`, `a || b`, `a ?? b`: short-circuit; the result is one of the operands.
class LogicalNode final : public TwoOperandNode<LogicalOp> {
 public:
  using Op = LogicalOp;
  using TwoOperandNode::TwoOperandNode;
  bool eval(EvalContext& ctx, Value& out) const override;
};

// `condition ? a : b`; only the chosen branch is evaluated.
class ConditionalNode final : public Node {
 public:
  ConditionalNode(size_t column, NodePtr condition, NodePtr then_branch, NodePtr else_branch)
      : Node(column,
             std::max({condition->depth(), then_branch->depth(), else_branch->depth()}) + 1),
        condition_(std::move(condition)),
        then_(std::move(then_branch)),
        else_(std::move(else_branch)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override {
    return condition_->literal() && then_->literal() && else_->literal();
  }

 private:
  NodePtr condition_;
  NodePtr then_;
  NodePtr else_;
};

// `name(args)`: the function is resolved at compile time; arguments are evaluated first.
class CallNode final : public Node {
 public:
  CallNode(size_t column, const FunctionSpec& function, std::vector<NodePtr> args)
      : Node(column, depth_over(args)), function_(function), args_(std::move(args)) {}
  bool eval(EvalContext& ctx, Value& out) const override;
  bool can_fold() const override;

 private:
  const FunctionSpec& function_;
  std::vector<NodePtr> args_;
};

}  // namespace weft::expr
