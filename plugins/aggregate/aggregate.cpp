// weft.aggregate: reduces all input items to one item, or one per group.
#include <weft/sdk.hpp>

#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

enum class Op { Count, Sum, Avg, Min, Max, Collect, First, Last };

// Whether the operation reads numbers (and so needs a field).
bool needs_numbers(Op op) {
  return op == Op::Sum || op == Op::Avg || op == Op::Min || op == Op::Max;
}

// One entry of `operations`: `op` over `field` (empty: the whole item), written to `as`.
struct Operation {
  Op op;
  std::string field;
  std::string as;
};

// The running state of one operation over the items of one group. Holds views of input
// values, valid for the node call.
struct Accumulator {
  size_t count = 0;
  bool sum_is_int = true;  // an integer sum stays an integer until a double or an overflow
  int64_t int_sum = 0;
  double double_sum = 0;
  weft::Value best;  // min / max
  weft::Value first;
  weft::Value last;
  std::vector<weft::Value> collected;
};

struct Group {
  weft::Value key;
  std::vector<Accumulator> accumulators;
};

// Text identifying a group key: keys equal by weft::equals on scalars (1 and 1.0 alike) give
// the same text; a missing key groups with null.
std::string key_text(const weft::Context& ctx, weft::Value key) {
  if (!key.exists() || key.is_null()) return "null";
  if (key.type() == WEFT_DOUBLE) {
    double d = key.as_double();
    if (d == std::trunc(d) && std::fabs(d) < 9.0e15) return std::to_string(int64_t(d));
  }
  return std::string(ctx.to_json(key));
}

// Groups the items by `groupBy` (a dotted path; absent: one group of all items; a missing key
// groups as null) and emits one item per group in order of first appearance: the key under the
// groupBy path, then each operation's result under its `as` path. A field that is missing or
// null is skipped by every operation; sum, avg, min and max need numbers.
class Aggregate : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    // Parameters are per node, not per item: expressions see the first item.
    int64_t config_item = ctx.input_count(0) > 0 ? 0 : -1;
    std::vector<Operation> operations = read_operations(ctx, config_item);
    std::string group_by = group_by_param(ctx, config_item);

    std::vector<Group> groups;
    std::unordered_map<std::string, size_t> group_of_key;
    for (size_t i = 0, n = ctx.input_count(0); i < n; ++i) {
      weft::Value item = ctx.input(0, i);
      // Without groupBy every key is missing: one group.
      weft::Value key = group_by.empty() ? weft::Value() : item.path(group_by);
      auto [it, added] = group_of_key.try_emplace(key_text(ctx, key), groups.size());
      if (added) groups.push_back({key, std::vector<Accumulator>(operations.size())});
      Group& group = groups[it->second];
      for (size_t o = 0; o < operations.size(); ++o)
        accumulate(operations[o], group.accumulators[o], item, static_cast<int64_t>(i));
    }

    for (const Group& group : groups) {
      weft::OwnedValue out = ctx.object();
      if (!group_by.empty())
        out.set_path(group_by, group.key.exists() ? ctx.clone(group.key) : ctx.null());
      for (size_t o = 0; o < operations.size(); ++o)
        out.set_path(operations[o].as, result(ctx, operations[o], group.accumulators[o]));
      ctx.emit(0, std::move(out));
    }
    return weft::Result::ok();
  }

 private:
  static std::string group_by_param(weft::Context& ctx, int64_t item) {
    weft::Value v = ctx.param("groupBy", item);
    if (!v.exists() || v.is_null()) return {};
    if (!v.is_string())
      throw weft::param_error(
          "groupBy", item,
          "must be a string (a dotted path), got " + std::string(weft::type_name(v)));
    return std::string(v.as_string());
  }

  static std::vector<Operation> read_operations(weft::Context& ctx, int64_t item) {
    weft::Value list = ctx.param("operations", item);
    if (!list.exists() || list.is_null()) return {{Op::Collect, "", "items"}};
    if (!list.is_array())
      throw weft::param_error("operations", item,
                              "must be an array, got " + std::string(weft::type_name(list)));
    std::vector<Operation> operations;
    for (size_t o = 0; o < list.size(); ++o) {
      std::string where = "operations[" + std::to_string(o) + "]";
      weft::Value entry = list[o];
      if (!entry.is_object())
        throw weft::param_error(where, item,
                                "must be an object, got " + std::string(weft::type_name(entry)));
      Operation op{parse_op(entry["op"], where + ".op", item), "", ""};
      weft::Value field = entry["field"];
      if (field.exists() && !field.is_null()) {
        if (!field.is_string() || field.as_string().empty())
          throw weft::param_error(where + ".field", item, "must be a non-empty string");
        op.field = field.as_string();
      }
      if (needs_numbers(op.op) && op.field.empty())
        throw weft::param_error(where + ".field", item,
                                "is required for " + std::string(entry["op"].as_string()));
      weft::Value as = entry["as"];
      if (!as.is_string() || as.as_string().empty())
        throw weft::param_error(where + ".as", item, "must be a non-empty string");
      op.as = as.as_string();
      operations.push_back(std::move(op));
    }
    return operations;
  }

  static Op parse_op(weft::Value v, const std::string& where, int64_t item) {
    if (!v.exists()) throw weft::param_error(where, item, "is required");
    static constexpr std::pair<std::string_view, Op> kOps[] = {
        {"count", Op::Count}, {"sum", Op::Sum},         {"avg", Op::Avg},     {"min", Op::Min},
        {"max", Op::Max},     {"collect", Op::Collect}, {"first", Op::First}, {"last", Op::Last}};
    for (const auto& [name, op] : kOps)
      if (v.is_string() && v.as_string() == name) return op;
    std::string got =
        v.is_string() ? "'" + std::string(v.as_string()) + "'" : std::string(weft::type_name(v));
    throw weft::param_error(
        where, item, "must be one of count, sum, avg, min, max, collect, first, last; got " + got);
  }

  static void accumulate(const Operation& op, Accumulator& acc, weft::Value item, int64_t index) {
    weft::Value v = op.field.empty() ? item : item.path(op.field);
    if (!v.exists() || v.is_null()) return;
    if (needs_numbers(op.op) && !v.is_number())
      throw weft::Error(WEFT_ERR_INVALID, weft::item_prefix(index) + "field '" + op.field +
                                              "' must be a number, got " +
                                              std::string(weft::type_name(v)));
    ++acc.count;
    if (!acc.first.exists()) acc.first = v;
    acc.last = v;
    switch (op.op) {
      case Op::Sum:
      case Op::Avg:
        acc.double_sum += v.as_double();
        if (acc.sum_is_int &&
            (!v.is_int() || __builtin_add_overflow(acc.int_sum, v.as_int(), &acc.int_sum)))
          acc.sum_is_int = false;
        break;
      case Op::Min:
        if (!acc.best.exists() || v.as_double() < acc.best.as_double()) acc.best = v;
        break;
      case Op::Max:
        if (!acc.best.exists() || v.as_double() > acc.best.as_double()) acc.best = v;
        break;
      case Op::Collect:
        acc.collected.push_back(v);
        break;
      default:
        break;
    }
  }

  static weft::OwnedValue result(weft::Context& ctx, const Operation& op, const Accumulator& acc) {
    auto copy_or_null = [&](weft::Value v) { return v.exists() ? ctx.clone(v) : ctx.null(); };
    switch (op.op) {
      case Op::Count:
        return ctx.integer(static_cast<int64_t>(acc.count));
      case Op::Sum:
        return acc.sum_is_int ? ctx.integer(acc.int_sum) : ctx.number(acc.double_sum);
      case Op::Avg:
        return acc.count == 0 ? ctx.null() : ctx.number(acc.double_sum / double(acc.count));
      case Op::Min:
      case Op::Max:
        return copy_or_null(acc.best);
      case Op::First:
        return copy_or_null(acc.first);
      case Op::Last:
        return copy_or_null(acc.last);
      case Op::Collect: {
        weft::OwnedValue array = ctx.array();
        for (weft::Value v : acc.collected) array.push(v);
        return array;
      }
    }
    return ctx.null();
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Aggregate",
  "description": "Reduces all items to one item, or one item per group: count, sum, avg, min, max, collect, first, last.",
  "inputs": ["main"],
  "outputs": ["main"],
  "trigger": false,
  "parameters": [
    {"name": "groupBy", "type": "string", "required": false,
     "description": "Dotted path of the group key; one output item per distinct key, in order of first appearance, with the key under this path. Absent: one item for all."},
    {"name": "operations", "type": "array", "required": false,
     "default": [{"op": "collect", "as": "items"}],
     "description": "Array of {op, field?, as}. op: count | sum | avg | min | max | collect | first | last; field: dotted path (sum, avg, min, max need it; without it count counts items and collect, first, last take whole items); as: output field. Missing and null values are skipped."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-aggregate", "1.0.0") {
  registry.add_node<Aggregate>("weft.aggregate", 1, kDescription);
}
