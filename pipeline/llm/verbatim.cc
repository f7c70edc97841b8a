#include "pipeline/llm/verbatim.h"

#include <string>
#include <vector>

namespace novelta {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// `s` with runs of whitespace as one space, and for each byte kept the offset
// it came from in `s`.
std::string Collapse(std::string_view s, std::vector<size_t>* from) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsSpace(s[i])) {
      if (!space && !out.empty()) {
        out += ' ';
        if (from) from->push_back(i);
      }
      space = true;
      continue;
    }
    space = false;
    out += s[i];
    if (from) from->push_back(i);
  }
  if (!out.empty() && out.back() == ' ') {
    out.pop_back();
    if (from) from->pop_back();
  }
  return out;
}

}  // namespace

std::optional<std::pair<size_t, size_t>> FindVerbatim(std::string_view text, std::string_view quote,
                                                      size_t min_bytes) {
  size_t b = 0, e = quote.size();
  while (b < e && IsSpace(quote[b])) ++b;
  while (e > b && IsSpace(quote[e - 1])) --e;
  quote = quote.substr(b, e - b);
  if (quote.size() < min_bytes) return std::nullopt;
  size_t at = text.find(quote);
  if (at != std::string_view::npos) return std::make_pair(at, at + quote.size());
  std::vector<size_t> from;
  const std::string flat = Collapse(text, &from);
  const std::string flat_quote = Collapse(quote, nullptr);
  at = flat.find(flat_quote);
  if (at == std::string::npos || flat_quote.empty()) return std::nullopt;
  return std::make_pair(from[at], from[at + flat_quote.size() - 1] + 1);
}

std::string PrefixAtSentence(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = text.rfind(". ", max);
  return text.substr(0, cut == std::string::npos || cut < max / 2 ? max : cut + 1);
}

}  // namespace novelta
