#include "base/json.h"

namespace novelta {

bool JsonDeeperThan(std::string_view text, int limit) {
  if (limit < 0) return true;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

StatusOr<Json> ParseJson(std::string_view text, std::string_view what, int max_depth) {
  if (JsonDeeperThan(text, max_depth)) {
    return Status::InvalidArgument(std::string(what) + ": JSON nested deeper than " +
                                   std::to_string(max_depth) + " levels");
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string msg = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> keep the tail.
    auto pos = msg.find("] ");
    if (pos != std::string::npos) msg = msg.substr(pos + 2);
    return Status::InvalidArgument(std::string(what) + ": invalid JSON: " + msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string(what) + ": invalid JSON: " + e.what());
  }
}

std::string DumpJson(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Status GetString(const Json& j, std::string_view field, std::string_view what, std::string* out,
                 bool required) {
  auto it = j.find(std::string(field));
  if (it == j.end() || it->is_null()) {
    if (required)
      return Status::InvalidArgument(std::string(what) + ": missing field '" + std::string(field) + "'");
    return Status::OK();
  }
  if (!it->is_string())
    return Status::InvalidArgument(std::string(what) + ": field '" + std::string(field) +
                                   "' must be a string");
  *out = it->get<std::string>();
  return Status::OK();
}

Status GetInt(const Json& j, std::string_view field, std::string_view what, int64_t* out,
              bool required) {
  auto it = j.find(std::string(field));
  if (it == j.end() || it->is_null()) {
    if (required)
      return Status::InvalidArgument(std::string(what) + ": missing field '" + std::string(field) + "'");
    return Status::OK();
  }
  if (it->is_number_integer()) {
    *out = it->get<int64_t>();
    return Status::OK();
  }
  if (it->is_string()) {  // "2024" is common in scraped metadata
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end && *end == '\0') {
      *out = v;
      return Status::OK();
    }
  }
  return Status::InvalidArgument(std::string(what) + ": field '" + std::string(field) +
                                 "' must be an integer");
}

}  // namespace novelta
