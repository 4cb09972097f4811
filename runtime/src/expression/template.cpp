// Templates: JSON parameter values whose strings hold `{{ expression }}` parts.
//
// A string that is exactly one expression (with optional whitespace around it) yields the
// expression's value with its type; a string mixing text and expressions yields a string in
// which each value is inserted in its text form (strings unquoted, null as nothing, other values
// as compact JSON). Parts of the value without any expression are kept as constants.
#include <vector>

#include "compiled.hpp"
#include "parser.hpp"
#include "render.hpp"
#include "utf8.hpp"

namespace weft::expr {

namespace {

// A piece of a mixed string: literal text, or an expression when `expression` is set.
struct TextPart {
  std::string text;
  NodePtr expression;
};

// One compiled value of the template, mirroring the shape of the parameter value.
struct TemplateValue {
  enum class Kind { kConstant, kExpression, kText, kArray, kObject };
  Kind kind = Kind::kConstant;
  Json constant;                                               // kConstant
  NodePtr expression;                                          // kExpression
  std::vector<TextPart> parts;                                 // kText
  size_t literal_bytes = 0;                                    // kText: bytes of the literal parts
  std::vector<TemplateValue> elements;                         // kArray
  std::vector<std::pair<std::string, TemplateValue>> members;  // kObject
  std::string path;  // where the value sits, for error messages
};

std::string with_path(const std::string& path, std::string message) {
  if (path.empty()) return message;
  return path + ", " + message;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

class TemplateCompiler {
 public:
  explicit TemplateCompiler(const Limits& limits) : limits_(limits), folding_(limits) {}

  Status compile(const Json& value, const std::string& path, size_t depth, TemplateValue& out) {
    out.path = path;
    if (depth > kMaxValueDepth) {
      return Status::invalid(with_path(
          path, "value nested deeper than " + std::to_string(kMaxValueDepth) + " levels"));
    }
    if (value.is_string()) {
      Status status = compile_string(value.get_ref<const std::string&>(), out);
      if (status && out.kind == TemplateValue::Kind::kConstant) out.constant = value;
      return status;
    }
    if (value.is_array()) {
      out.kind = TemplateValue::Kind::kArray;
      out.elements.resize(value.size());
      for (size_t i = 0; i < value.size(); ++i) {
        Status status =
            compile(value[i], path + "[" + std::to_string(i) + "]", depth + 1, out.elements[i]);
        if (!status) return status;
      }
    } else if (value.is_object()) {
      out.kind = TemplateValue::Kind::kObject;
      out.members.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) {
        out.members.emplace_back(it.key(), TemplateValue{});
        Status status = compile(it.value(), path.empty() ? it.key() : path + "." + it.key(),
                                depth + 1, out.members.back().second);
        if (!status) return status;
      }
    } else {
      out.kind = TemplateValue::Kind::kConstant;
    }
    // A container without any expression inside is one constant.
    if (is_all_constant(out)) {
      out = TemplateValue{};
      out.kind = TemplateValue::Kind::kConstant;
      out.constant = value;
      out.path = path;
    }
    return Status::ok();
  }

 private:
  static bool is_all_constant(const TemplateValue& value) {
    for (const auto& element : value.elements) {
      if (element.kind != TemplateValue::Kind::kConstant) return false;
    }
    for (const auto& member : value.members) {
      if (member.second.kind != TemplateValue::Kind::kConstant) return false;
    }
    return value.kind != TemplateValue::Kind::kExpression &&
           value.kind != TemplateValue::Kind::kText;
  }

  Status compile_string(const std::string& text, TemplateValue& out) {
    size_t open = text.find("{{");
    if (open == std::string::npos) {
      out.kind = TemplateValue::Kind::kConstant;
      return Status::ok();
    }
    size_t pos = 0;
    // The column of `open`, counted on from the previous expression's end (not from the start
    // of the text every time), so that a long text with many expressions compiles in linear time.
    size_t open_column = 1;
    while (open != std::string::npos) {
      if (open > pos) out.parts.push_back({text.substr(pos, open - pos), nullptr});
      open_column += utf8::count(std::string_view(text).substr(pos, open - pos));
      size_t close = 0;
      NodePtr expression;
      Status status = compile_embedded(text, open, open_column, expression, close);
      if (!status) return Status::invalid(with_path(out.path, status.message()));
      out.parts.push_back({std::string(), std::move(expression)});
      open_column += utf8::count(std::string_view(text).substr(open, close + 2 - open));
      pos = close + 2;
      open = text.find("{{", pos);
    }
    if (pos < text.size()) out.parts.push_back({text.substr(pos), nullptr});

    size_t expressions = 0;
    bool blank_text = true;
    for (const TextPart& part : out.parts) {
      if (part.expression) {
        ++expressions;
      } else {
        blank_text = blank_text && is_blank(part.text);
        out.literal_bytes += part.text.size();
      }
    }
    if (expressions == 1 && blank_text) {
      out.kind = TemplateValue::Kind::kExpression;
      for (TextPart& part : out.parts) {
        if (part.expression) out.expression = std::move(part.expression);
      }
      out.parts.clear();
    } else {
      out.kind = TemplateValue::Kind::kText;
    }
    return Status::ok();
  }

  // Compiles the expression opened by the `{{` at `open` (at column `open_column`); `close`
  // receives the offset of its `}}`. The parser reads the expression token by token, so a `}}`
  // inside a string literal belongs to the string.
  Status compile_embedded(const std::string& text, size_t open, size_t open_column,
                          NodePtr& expression, size_t& close) {
    const size_t start = open + 2;
    // The parser sees at most max_source_bytes of expression (and its `}}`).
    const size_t visible = std::min(text.size(), start + limits_.max_source_bytes + 2);
    const bool truncated = visible < text.size();
    const auto too_long = [&] {
      return Status::invalid(at_column(
          open_column,
          "expression is longer than " + std::to_string(limits_.max_source_bytes) + " bytes"));
    };
    const auto unterminated = [&] {
      return Status::invalid(at_column(open_column, "unterminated '{{' (no matching '}}')"));
    };
    Parser parser(std::string_view(text).substr(0, visible), start, open_column + 2, limits_,
                  folding_);
    Result<NodePtr> root = parser.parse_prefix();
    if (!root) {
      if (parser.ran_out()) return truncated ? too_long() : unterminated();
      return root.status();
    }
    close = parser.end_offset();
    if (close >= visible) return truncated ? too_long() : unterminated();
    if (text.compare(close, 2, "}}") != 0) {
      const size_t close_column =
          open_column + utf8::count(std::string_view(text).substr(open, close - open));
      return Status::invalid(at_column(close_column, "expected '}}' after the expression"));
    }
    if (close - start > limits_.max_source_bytes) return too_long();
    expression = std::move(root).value();
    return Status::ok();
  }

  const Limits& limits_;
  FoldingBudget folding_;  // one budget for every expression of the value
};

// Evaluates one compiled value; on failure `error` holds the message with its path.
bool evaluate_value(const TemplateValue& value, EvalContext& ctx, Json& out, std::string& error) {
  const auto failed = [&] {
    error = with_path(value.path, ctx.take_error());
    return false;
  };
  switch (value.kind) {
    case TemplateValue::Kind::kConstant: out = value.constant; return true;
    case TemplateValue::Kind::kExpression: {
      Value result;
      if (!value.expression->eval(ctx, result)) return failed();
      out = result.release();
      return true;
    }
    case TemplateValue::Kind::kText: {
      // Expressions may add up to max_string_bytes to the literal text.
      const size_t max_bytes = value.literal_bytes + ctx.limits().max_string_bytes;
      std::string text;
      text.reserve(value.literal_bytes);
      for (const TextPart& part : value.parts) {
        if (!part.expression) {
          text += part.text;
          continue;
        }
        Value result;
        if (!part.expression->eval(ctx, result)) return failed();
        const size_t before = text.size();
        switch (append_text(text, result.get(), max_bytes)) {
          case RenderResult::kOk: break;
          case RenderResult::kTooLarge:
            ctx.fail(part.expression->column(),
                     "text would be longer than " + std::to_string(max_bytes) + " bytes");
            return failed();
          case RenderResult::kTooDeep:
            ctx.fail(part.expression->column(),
                     "value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
            return failed();
        }
        if (!ctx.charge(part.expression->column(), text.size() - before)) return failed();
      }
      out = std::move(text);
      return true;
    }
    case TemplateValue::Kind::kArray: {
      out = Json::array();
      for (const TemplateValue& element : value.elements) {
        Json rendered;
        if (!evaluate_value(element, ctx, rendered, error)) return false;
        out.push_back(std::move(rendered));
      }
      return true;
    }
    case TemplateValue::Kind::kObject: {
      out = Json::object();
      for (const auto& [key, member] : value.members) {
        Json rendered;
        if (!evaluate_value(member, ctx, rendered, error)) return false;
        append_member(out, key, std::move(rendered));
      }
      return true;
    }
  }
  return true;
}

}  // namespace

struct Template::Impl {
  Limits limits;
  TemplateValue root;
};

Result<Template> Template::compile(const Json& value, const Limits& limits) {
  auto impl = std::make_shared<Impl>();
  impl->limits = limits;
  TemplateCompiler compiler(impl->limits);
  Status status = compiler.compile(value, std::string(), 0, impl->root);
  if (!status) return status;
  return Template(std::move(impl));
}

bool Template::is_constant() const { return impl_->root.kind == TemplateValue::Kind::kConstant; }

Result<Json> Template::evaluate(const Scope& scope) const {
  if (is_constant()) return impl_->root.constant;
  // One context for the whole value: the limits bound the evaluation of all its expressions.
  EvalContext ctx(scope, impl_->limits);
  Json out;
  std::string error;
  if (!evaluate_value(impl_->root, ctx, out, error)) return Status::invalid(std::move(error));
  return out;
}

Template::Template(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::~Template() = default;

}  // namespace weft::expr
