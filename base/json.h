// JSON parsing that reports errors as Status (never throws into the core) and
// refuses documents nested deeper than a bound, so hostile input cannot
// exhaust the stack.
#ifndef NOVELTA_BASE_JSON_H_
#define NOVELTA_BASE_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "novelta/status.h"

namespace novelta {

using Json = nlohmann::json;

// Default bound on nesting depth of parsed documents.
constexpr int kDefaultMaxJsonDepth = 64;

// True when `text` nests arrays and objects deeper than `limit` levels
// (brackets inside strings do not count; a negative limit refuses
// everything). A scan, not a parse, that stops at the first level past
// `limit`: callers that want their error to name a limit of their own check
// it before ParseJson, which applies the same check.
bool JsonDeeperThan(std::string_view text, int limit);

// Parses `text`. `what` names the input in error messages ("submission.json",
// "line 12"). Errors: InvalidArgument with the byte offset of the problem.
StatusOr<Json> ParseJson(std::string_view text, std::string_view what,
                         int max_depth = kDefaultMaxJsonDepth);

// Serialises without throwing on invalid UTF-8 (replaced by U+FFFD).
std::string DumpJson(const Json& j, int indent = -1);

// Typed field access with clear errors: "submission.json: field 'title' must be a string".
Status GetString(const Json& j, std::string_view field, std::string_view what, std::string* out,
                 bool required);
Status GetInt(const Json& j, std::string_view field, std::string_view what, int64_t* out,
              bool required);

}  // namespace novelta

#endif  // NOVELTA_BASE_JSON_H_
