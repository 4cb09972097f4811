// weft's expression language: the `{{ ... }}` parts of node parameters.
//
// Small and safe by construction: no I/O, no code execution, no access to anything but the
// data the Scope hands in, and every evaluation is bounded in steps, memory, string and array
// size, and nesting. A hostile expression ends in a Status, never a crash or a hang.
//
// The language (full reference in runtime/src/expression/README.md):
//   literals      1  2.5  "s"  's'  true  false  null  [1, 2]  {a: 1, "b": 2}
//   operators     + - * / %   == != < <= > >=   && || !   cond ? a : b   ?? (null coalescing)
//   access        $json.a.b   $json["a"]   $json.list[0]   $node["id"].json   $node["id"].items
//   variables     $json  $node  $execution  $workflow  $now
//   functions     a fixed, documented set (strings, numbers, dates, arrays, objects)
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace weft::expr {

// Bounds on one evaluation. The defaults suit parameters of ordinary workflows.
struct Limits {
  size_t max_source_bytes = 16 * 1024;    // length of one expression's source
  size_t max_depth = 64;                  // nesting of the syntax tree and of values built
  size_t max_steps = 100'000;             // evaluation steps per evaluation
  size_t max_string_bytes = 1 << 20;      // any string produced
  size_t max_array_items = 100'000;       // any array or object produced
  size_t max_memory_bytes = 16 << 20;     // approximate bytes allocated per evaluation
};

// What an expression can see. Implemented by the executor (and by tests).
class Scope {
 public:
  virtual ~Scope() = default;
  // $json: the current item; nullptr reads as an empty object.
  virtual const Json* json() const = 0;
  // $node["id"]: the output items of an earlier node of this execution (port 0), or nullptr when
  // that node has not run. `.json` is the first item, `.items` all of them.
  virtual const Items* node_output(std::string_view node_id) const = 0;
  // $execution ({id, mode, ...}) and $workflow ({id, name, version, ...}); nullptr reads as {}.
  virtual const Json* execution() const = 0;
  virtual const Json* workflow() const = 0;
  // $now, in milliseconds since the Unix epoch (UTC). Constant during one node run.
  virtual int64_t now_ms() const = 0;
};

// A compiled expression (the text between `{{` and `}}`). Immutable and thread-safe.
class Expression {
 public:
  // Parses `source`. Errors are kInvalid with a message naming the 1-based column:
  // "column 7: expected ')'".
  static Result<Expression> compile(std::string_view source, const Limits& limits = {});

  // Evaluates against `scope`. Errors (kInvalid) name the column of the failing part.
  Result<Json> evaluate(const Scope& scope) const;

  const std::string& source() const;

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  struct Impl;

 private:
  explicit Expression(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// A JSON parameter value in which every string may contain `{{ expression }}` parts, compiled
// once and evaluated per item. A string that is exactly one expression (surrounding whitespace
// allowed) yields the expression's JSON value with its type; a string mixing text and
// expressions yields a string (values rendered as JSON, strings unquoted); other values are
// copied as they are. Immutable and thread-safe.
class Template {
 public:
  // Errors are kInvalid and name the path inside the value and the column:
  // "fields[0].value, column 12: unknown function 'evl'".
  static Result<Template> compile(const Json& value, const Limits& limits = {});

  // True when the value holds no expression (evaluate() then returns it unchanged).
  bool is_constant() const;

  Result<Json> evaluate(const Scope& scope) const;

  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  ~Template();

  struct Impl;

 private:
  explicit Template(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace weft::expr
