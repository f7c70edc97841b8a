#include "services/state/state_location.h"

#include <cctype>

namespace novelta {
namespace {

bool IsSchemeChar(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return alpha;
  return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

}  // namespace

std::string StateLocation::Display() const {
  if (kind != Kind::kPostgres) return value;
  size_t start = value.find("://");
  if (start == std::string::npos) return value;
  start += 3;
  size_t at = value.find('@', start);
  size_t slash = value.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return value;
  size_t colon = value.find(':', start);
  if (colon == std::string::npos || colon > at) return value;
  return value.substr(0, colon + 1) + "***" + value.substr(at);
}

StatusOr<StateLocation> ParseStateLocation(const std::string& text) {
  if (text.empty()) return Status::InvalidArgument("the state location is empty (a directory or postgresql://...)");
  size_t sep = text.find("://");
  bool scheme = sep != std::string::npos && sep > 0;
  for (size_t i = 0; scheme && i < sep; ++i) scheme = IsSchemeChar(text[i], i == 0);
  StateLocation loc;
  if (!scheme) {
    loc.value = text;
    return loc;
  }
  std::string name = text.substr(0, sep);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name != "postgresql" && name != "postgres") {
    return Status::InvalidArgument("unknown state URI scheme '" + name +
                                   "://': the state is a directory or a postgresql:// URI");
  }
  loc.kind = StateLocation::Kind::kPostgres;
  loc.value = text;
  return loc;
}

}  // namespace novelta
