// CheckJsonSchema: the subset of JSON Schema the LLM engine's schemas use.
//
// Supported keywords: type (a name or an array of names: object, array,
// string, number, integer, boolean, null), properties, required,
// additionalProperties (false, or a schema the other properties must
// satisfy), items (one schema for every element), enum, minimum, maximum,
// minItems, maxItems, minLength, maxLength (in Unicode code points). Other
// keywords (description, title, $schema, ...) are ignored. A schema that
// misuses a supported keyword (e.g. "type": 5) is InvalidArgument; a value
// that breaks the schema is Corruption naming the first violation's path.
#include <cmath>
#include <string>
#include <vector>

#include "llm/llm_client.h"

namespace novelta {
namespace {

constexpr size_t kMaxShown = 120;  // longest excerpt of a value or enum in a message

std::string Shown(const Json& j) {
  std::string s = DumpJson(j);
  if (s.size() > kMaxShown) s = s.substr(0, kMaxShown) + "...";
  return s;
}

std::string Where(const std::string& path) { return path.empty() ? "(root)" : path; }

Status Violation(const std::string& path, const std::string& what) {
  return Status::Corruption(Where(path) + ": " + what);
}

Status BadSchema(const std::string& path, const std::string& what) {
  return Status::InvalidArgument("schema at " + Where(path) + ": " + what);
}

std::string TypeOf(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::null: return "null";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    default: return "unknown";
  }
}

bool HasType(const Json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_number_integer()) return true;
    if (!v.is_number_float()) return false;
    const double d = v.get<double>();
    return std::isfinite(d) && d == std::floor(d);
  }
  return false;
}

bool KnownType(const std::string& t) {
  return t == "object" || t == "array" || t == "string" || t == "number" || t == "integer" ||
         t == "boolean" || t == "null";
}

Status CheckType(const Json& value, const Json& type, const std::string& path) {
  std::vector<std::string> names;
  if (type.is_string()) {
    names.push_back(type.get<std::string>());
  } else if (type.is_array()) {
    for (const auto& t : type) {
      if (!t.is_string()) return BadSchema(path, "\"type\" must hold strings");
      names.push_back(t.get<std::string>());
    }
  } else {
    return BadSchema(path, "\"type\" must be a string or an array of strings");
  }
  std::string expected;
  for (const auto& n : names) {
    if (!KnownType(n)) return BadSchema(path, "unknown type \"" + n + "\"");
    if (HasType(value, n)) return Status::OK();
    expected += (expected.empty() ? "" : " or ") + n;
  }
  return Violation(path, "expected " + expected + ", got " + TypeOf(value));
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The non-negative integer of keyword `key` in `schema`, or -1 when absent.
Status Bound(const Json& schema, const char* key, const std::string& path, int64_t* out) {
  *out = -1;
  auto it = schema.find(key);
  if (it == schema.end()) return Status::OK();
  if (!it->is_number_integer() || it->get<int64_t>() < 0)
    return BadSchema(path, std::string("\"") + key + "\" must be a non-negative integer");
  *out = it->get<int64_t>();
  return Status::OK();
}

Status Check(const Json& value, const Json& schema, const std::string& path);

Status CheckObject(const Json& value, const Json& schema, const std::string& path) {
  const Json* properties = nullptr;
  if (auto it = schema.find("properties"); it != schema.end()) {
    if (!it->is_object()) return BadSchema(path, "\"properties\" must be an object");
    properties = &*it;
  }
  if (auto it = schema.find("required"); it != schema.end()) {
    if (!it->is_array()) return BadSchema(path, "\"required\" must be an array");
    for (const auto& name : *it) {
      if (!name.is_string()) return BadSchema(path, "\"required\" must hold strings");
      if (!value.contains(name.get<std::string>()))
        return Violation(path, "missing required property \"" + name.get<std::string>() + "\"");
    }
  }
  const Json* additional = nullptr;
  if (auto it = schema.find("additionalProperties"); it != schema.end()) {
    if (!it->is_boolean() && !it->is_object())
      return BadSchema(path, "\"additionalProperties\" must be a boolean or a schema");
    additional = &*it;
  }
  for (const auto& [key, member] : value.items()) {
    const std::string child = path.empty() ? key : path + "." + key;
    if (properties) {
      auto p = properties->find(key);
      if (p != properties->end()) {
        NOVELTA_RETURN_IF_ERROR(Check(member, *p, child));
        continue;
      }
    }
    if (!additional) continue;
    if (additional->is_boolean()) {
      if (!additional->get<bool>()) return Violation(path, "property \"" + key + "\" is not allowed");
      continue;
    }
    NOVELTA_RETURN_IF_ERROR(Check(member, *additional, child));
  }
  return Status::OK();
}

Status CheckArray(const Json& value, const Json& schema, const std::string& path) {
  int64_t min_items, max_items;
  NOVELTA_RETURN_IF_ERROR(Bound(schema, "minItems", path, &min_items));
  NOVELTA_RETURN_IF_ERROR(Bound(schema, "maxItems", path, &max_items));
  const int64_t n = static_cast<int64_t>(value.size());
  if (min_items >= 0 && n < min_items)
    return Violation(path, std::to_string(n) + " items, fewer than minItems " + std::to_string(min_items));
  if (max_items >= 0 && n > max_items)
    return Violation(path, std::to_string(n) + " items, more than maxItems " + std::to_string(max_items));
  auto items = schema.find("items");
  if (items == schema.end()) return Status::OK();
  if (!items->is_object()) return BadSchema(path, "\"items\" must be a schema object");
  for (size_t i = 0; i < value.size(); ++i)
    NOVELTA_RETURN_IF_ERROR(Check(value[i], *items, path + "[" + std::to_string(i) + "]"));
  return Status::OK();
}

Status CheckString(const Json& value, const Json& schema, const std::string& path) {
  int64_t min_length, max_length;
  NOVELTA_RETURN_IF_ERROR(Bound(schema, "minLength", path, &min_length));
  NOVELTA_RETURN_IF_ERROR(Bound(schema, "maxLength", path, &max_length));
  const int64_t n = static_cast<int64_t>(CodePoints(value.get_ref<const std::string&>()));
  if (min_length >= 0 && n < min_length)
    return Violation(path, "string of " + std::to_string(n) + " characters, shorter than minLength " +
                               std::to_string(min_length));
  if (max_length >= 0 && n > max_length)
    return Violation(path, "string of " + std::to_string(n) + " characters, longer than maxLength " +
                               std::to_string(max_length));
  return Status::OK();
}

Status CheckNumber(const Json& value, const Json& schema, const std::string& path) {
  const double v = value.get<double>();
  for (const char* key : {"minimum", "maximum"}) {
    auto it = schema.find(key);
    if (it == schema.end()) continue;
    if (!it->is_number()) return BadSchema(path, std::string("\"") + key + "\" must be a number");
    const double bound = it->get<double>();
    const bool is_min = key[1] == 'i';
    if (is_min ? v < bound : v > bound)
      return Violation(path, Shown(value) + (is_min ? " is below minimum " : " is above maximum ") + Shown(*it));
  }
  return Status::OK();
}

Status Check(const Json& value, const Json& schema, const std::string& path) {
  if (schema.is_boolean()) {
    if (schema.get<bool>()) return Status::OK();
    return Violation(path, "no value is allowed here");
  }
  if (!schema.is_object()) return BadSchema(path, "a schema must be an object");
  if (auto it = schema.find("type"); it != schema.end())
    NOVELTA_RETURN_IF_ERROR(CheckType(value, *it, path));
  if (auto it = schema.find("enum"); it != schema.end()) {
    if (!it->is_array()) return BadSchema(path, "\"enum\" must be an array");
    bool found = false;
    for (const auto& allowed : *it) found = found || allowed == value;
    if (!found) return Violation(path, Shown(value) + " is not one of " + Shown(*it));
  }
  if (value.is_object()) return CheckObject(value, schema, path);
  if (value.is_array()) return CheckArray(value, schema, path);
  if (value.is_string()) return CheckString(value, schema, path);
  if (value.is_number()) return CheckNumber(value, schema, path);
  return Status::OK();
}

}  // namespace

Status CheckJsonSchema(const Json& value, const Json& schema) {
  try {
    return Check(value, schema, "");
  } catch (const std::exception& e) {  // not expected: every access above is type-checked
    return Status::Internal(std::string("schema check: ") + e.what());
  }
}

}  // namespace novelta
