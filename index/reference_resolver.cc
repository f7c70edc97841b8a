#include "index/reference_resolver.h"

#include <algorithm>
#include <cstdlib>

#include "base/text.h"

namespace novelta {
namespace {

constexpr size_t kMinTitleWords = 3;       // for exact title look-ups
constexpr size_t kMinRunWords = 4;         // for titles found inside free text
constexpr size_t kMaxTitleWords = 40;

// FNV-1a over the words joined by single spaces.
uint64_t HashWords(const std::vector<std::string>& words, size_t begin, size_t end) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) h = (h ^ ' ') * 1099511628211ull;
    for (unsigned char c : words[i]) h = (h ^ c) * 1099511628211ull;
  }
  return h;
}

// The year a reference mentions last ("..., 2017." -> 2017), or 0.
int TrailingYear(std::string_view ref) {
  int year = 0;
  for (const auto& w : WordTokens(ref)) {
    if (w.size() == 4 && std::isdigit(static_cast<unsigned char>(w[0]))) {
      int y = std::atoi(w.c_str());
      if (y >= 1900 && y <= 2100) year = y;
    }
  }
  return year;
}

}  // namespace

ReferenceResolver::ReferenceResolver(const std::vector<Entry>& entries) {
  for (const auto& e : entries) {
    auto words = WordTokens(e.title);
    if (words.size() < kMinTitleWords || words.size() > kMaxTitleWords) continue;
    by_title_[HashWords(words, 0, words.size())].emplace_back(e.row, e.year);
    max_words_ = std::max(max_words_, words.size());
    ++n_titles_;
  }
}

ReferenceResolver::Match ReferenceResolver::ResolveTitle(std::string_view title, int year) const {
  auto words = WordTokens(title);
  Match m;
  if (words.size() < kMinTitleWords) return m;
  auto it = by_title_.find(HashWords(words, 0, words.size()));
  if (it == by_title_.end()) return m;
  m.row = it->second.front().first;
  if (year > 0)
    for (const auto& [row, y] : it->second)
      if (y == year) m.row = row;
  m.n_words = words.size();
  return m;
}

ReferenceResolver::Match ReferenceResolver::Resolve(std::string_view reference) const {
  auto words = WordTokens(reference);
  const int year = TrailingYear(reference);
  Match best;
  // Longest title first: a long exact run of words is the strongest evidence.
  for (size_t len = std::min(max_words_, words.size()); len >= kMinRunWords; --len) {
    for (size_t b = 0; b + len <= words.size(); ++b) {
      auto it = by_title_.find(HashWords(words, b, b + len));
      if (it == by_title_.end()) continue;
      best.row = it->second.front().first;
      for (const auto& [row, y] : it->second)
        if (year > 0 && y == year) best.row = row;
      best.n_words = len;
      return best;
    }
  }
  return best;
}

}  // namespace novelta
