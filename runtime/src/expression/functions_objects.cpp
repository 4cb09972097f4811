// Object functions. Objects keep the order of their keys; merge, pick and omit keep the order
// of the first object.
#include <algorithm>
#include <vector>

#include "functions.hpp"

namespace weft::expr {

namespace {

// Looking a key up in an object scans its keys: charge for objects of many keys.
bool charge_lookup(const Call& call, const Json& object) {
  return call.step(1 + object.size() / 32);
}

bool keys(Call& call, Value& out) {
  const Json* object = nullptr;
  if (!call.object_arg(0, object) || !call.reserve_items(object->size())) return false;
  Json result = Json::array();
  for (auto it = object->begin(); it != object->end(); ++it) {
    if (!call.charge(it.key().size())) return false;
    result.push_back(it.key());
  }
  out.set(std::move(result));
  return true;
}

bool values(Call& call, Value& out) {
  const Json* object = nullptr;
  if (!call.object_arg(0, object) || !call.reserve_items(object->size())) return false;
  Json result = Json::array();
  for (const Json& value : *object) {
    if (!call.charge_copy(value)) return false;
    result.push_back(value);
  }
  out.set(std::move(result));
  return true;
}

bool has(Call& call, Value& out) {
  std::string_view key;
  if (!call.string_arg(1, key)) return false;
  const Json& x = call.arg(0);
  if (x.is_null()) {
    out.set(Json(false));
    return true;
  }
  if (!x.is_object()) return call.type_error(0, "an object or null");
  if (!charge_lookup(call, x)) return false;
  out.set(Json(x.contains(key)));
  return true;
}

bool get(Call& call, Value& out) {
  const Json& path = call.arg(1);
  const Json* found = nullptr;
  if (path.is_string()) {
    const auto& text = path.get_ref<const std::string&>();
    if (!call.step(1 + static_cast<size_t>(std::count(text.begin(), text.end(), '.'))))
      return false;
    found = &at_path(call.arg(0), text);
  } else if (path.is_array()) {
    if (!call.step(1 + path.size())) return false;
    found = &call.arg(0);
    for (const Json& part : path) {
      Number n;
      int64_t index = 0;
      if (found->is_object() && part.is_string()) {
        auto member = found->find(part.get_ref<const std::string&>());
        found = member == found->end() ? &null_json() : &member.value();
      } else if (found->is_array() && to_number(part, n) && to_integer(n, index) && index >= 0 &&
                 static_cast<uint64_t>(index) < found->size()) {
        found = &(*found)[static_cast<size_t>(index)];
      } else {
        found = &null_json();
      }
      if (found->is_null()) break;
    }
  } else {
    return call.type_error(1, "a path string (\"a.b.0\") or an array of keys");
  }
  if (found->is_null() && call.has(2)) {
    out = std::move(call.value(2));
    return true;
  }
  if (found == &null_json()) {
    out.borrow(null_json());
    return true;
  }
  // Narrow the argument first, so that `found` is read while it is still in place.
  if (found != &call.arg(0)) call.value(0).narrow(*found);
  out = std::move(call.value(0));
  return true;
}

bool merge(Call& call, Value& out) {
  size_t first = call.count();
  for (size_t i = 0; i < call.count(); ++i) {
    if (call.arg(i).is_null()) continue;  // merging nothing
    if (!call.arg(i).is_object()) return call.type_error(i, "an object or null");
    if (first == call.count()) first = i;
  }
  if (first == call.count()) {
    out.set(Json::object());
    return call.charge(sizeof(Json));
  }
  Json result;
  if (!call.take(first, result)) return false;
  for (size_t i = first + 1; i < call.count(); ++i) {
    const Json& object = call.arg(i);
    if (object.is_null()) continue;
    if (result.size() + object.size() > call.limits().max_array_items) {
      return call.fail("result would have more than " +
                       std::to_string(call.limits().max_array_items) + " members");
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (!charge_lookup(call, result) || !call.charge_copy(it.value())) return false;
      result[it.key()] = it.value();
    }
  }
  out.set(std::move(result));
  return true;
}

// The key names given to pick and omit: one array of strings, or the arguments after the first.
bool key_list(const Call& call, std::vector<std::string_view>& names) {
  if (call.count() == 2 && call.arg(1).is_array()) {
    const Json& list = call.arg(1);
    if (!call.step(list.size())) return false;
    for (const Json& name : list) {
      if (!name.is_string())
        return call.fail("key names must be strings, got " + std::string(type_name(name)));
      names.push_back(name.get_ref<const std::string&>());
    }
    return true;
  }
  for (size_t i = 1; i < call.count(); ++i) {
    std::string_view name;
    if (!call.string_arg(i, name)) return false;
    names.push_back(name);
  }
  return true;
}

bool select_keys(Call& call, Value& out, bool keep_listed) {
  const Json* object = nullptr;
  std::vector<std::string_view> names;
  if (!call.object_arg(0, object) || !key_list(call, names)) return false;
  if (!call.step(object->size() * (1 + names.size() / 32))) return false;
  std::sort(names.begin(), names.end());
  Json result = Json::object();
  for (auto it = object->begin(); it != object->end(); ++it) {
    const bool listed = std::binary_search(names.begin(), names.end(), it.key());
    if (listed != keep_listed) continue;
    if (!call.charge(it.key().size() + 32) || !call.charge_copy(it.value())) return false;
    append_member(result, it.key(), it.value());
  }
  out.set(std::move(result));
  return true;
}

bool pick(Call& call, Value& out) { return select_keys(call, out, true); }
bool omit(Call& call, Value& out) { return select_keys(call, out, false); }

constexpr FunctionSpec kObjectFunctions[] = {
    {"keys", 1, 1, true, keys},
    {"values", 1, 1, true, values},
    {"has", 2, 2, true, has},
    {"get", 2, 3, true, get},
    {"merge", 1, kVariadic, true, merge},
    {"pick", 2, kVariadic, true, pick},
    {"omit", 2, kVariadic, true, omit},
};

}  // namespace

std::span<const FunctionSpec> object_functions() { return kObjectFunctions; }

}  // namespace weft::expr
