// The mutable state of one evaluation: counters checked against the Limits and the first
// error. One EvalContext lives on the stack of each evaluate() call, which is what lets a
// compiled expression stay immutable and shared between threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <weft/runtime/expression.hpp>

namespace weft::expr {

// Traversals of values (equality, rendering, copies, templates) stop with an error at this
// depth, so that a deeply nested item can never exhaust the stack.
inline constexpr size_t kMaxValueDepth = 512;

// "column 7: expected ')'"
std::string at_column(size_t column, std::string_view message);

// `text` fit for an error message: quoted, cut after a few characters, malformed UTF-8 and
// control characters replaced, so that a message is always valid UTF-8 of bounded size.
std::string quote_for_message(std::string_view text);

class EvalContext {
 public:
  EvalContext(const Scope& scope, const Limits& limits) : scope_(scope), limits_(limits) {}

  const Scope& scope() const { return scope_; }
  const Limits& limits() const { return limits_; }

  // Counts `count` steps of work done at `column`; false (error recorded) past max_steps.
  bool step(size_t column, size_t count = 1) {
    if (count <= limits_.max_steps - steps_) [[likely]] {
      steps_ += count;
      return true;
    }
    steps_ = limits_.max_steps;
    return fail(column, "expression exceeded " + std::to_string(limits_.max_steps) + " steps");
  }

  // Counts `bytes` about to be allocated at `column`; false past max_memory_bytes.
  bool charge(size_t column, size_t bytes) {
    if (bytes <= limits_.max_memory_bytes - bytes_) {
      bytes_ += bytes;
      return true;
    }
    bytes_ = limits_.max_memory_bytes;
    return fail(column, "expression exceeded " + std::to_string(limits_.max_memory_bytes) +
                            " bytes of memory");
  }

  size_t memory_left() const { return limits_.max_memory_bytes - bytes_; }

  // Records the error (the first one wins: it is the innermost cause). Always false, so that
  // callers can write `return ctx.fail(...)`.
  bool fail(size_t column, std::string_view message) {
    if (error_.empty()) error_ = at_column(column, message);
    return false;
  }

  std::string take_error() { return std::move(error_); }

 private:
  const Scope& scope_;
  const Limits& limits_;
  size_t steps_ = 0;
  size_t bytes_ = 0;
  std::string error_;
};

}  // namespace weft::expr
