#include "index/reference_resolver.h"

#include <algorithm>
#include <cstdlib>

#include "base/text.h"

namespace novelta {
namespace {

constexpr size_t kMinTitleWords = 3;       // for exact title look-ups
constexpr size_t kMinRunWords = 4;         // for titles found inside free text
constexpr size_t kMaxTitleWords = 40;

// Titles and runs of words are keyed by a polynomial hash over per-word
// hashes, so the key of any run of a reference is O(1) from prefix sums.
constexpr uint64_t kBase = 0x9E3779B97F4A7C15ull;  // odd: invertible mod 2^64

uint64_t WordHash(const std::string& w) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a, then a final mix
  for (unsigned char c : w) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 29);
}

// prefix[i] = key of words[0, i); key(b, e) = prefix[e] - prefix[b] * kBase^(e - b).
struct RunKeys {
  std::vector<uint64_t> prefix, power;
  explicit RunKeys(const std::vector<std::string>& words)
      : prefix(words.size() + 1, 0), power(words.size() + 1, 1) {
    for (size_t i = 0; i < words.size(); ++i) {
      prefix[i + 1] = prefix[i] * kBase + WordHash(words[i]);
      power[i + 1] = power[i] * kBase;
    }
  }
  uint64_t Key(size_t begin, size_t end) const {
    return prefix[end] - prefix[begin] * power[end - begin];
  }
};

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
    RunKeys keys(words);
    by_title_[keys.Key(0, words.size())].emplace_back(e.row, e.year);
    lengths_by_start_[keys.Key(0, 2)] |= uint64_t{1} << words.size();
    max_words_ = std::max(max_words_, words.size());
    ++n_titles_;
  }
}

ReferenceResolver::Match ReferenceResolver::ResolveTitle(std::string_view title, int year) const {
  auto words = WordTokens(title);
  Match m;
  if (words.size() < kMinTitleWords) return m;
  auto it = by_title_.find(RunKeys(words).Key(0, words.size()));
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
  if (words.size() < kMinRunWords) return best;
  const RunKeys keys(words);
  // Longest title first (a long exact run of words is the strongest
  // evidence), then the earliest. Only the lengths of titles that begin with
  // a run's first two words are looked up.
  for (size_t b = 0; b + kMinRunWords <= words.size(); ++b) {
    auto starts = lengths_by_start_.find(keys.Key(b, b + 2));
    if (starts == lengths_by_start_.end()) continue;
    for (size_t len = std::min(max_words_, words.size() - b); len > best.n_words; --len) {
      if (len < kMinRunWords) break;
      if (!(starts->second >> len & 1)) continue;
      auto it = by_title_.find(keys.Key(b, b + len));
      if (it == by_title_.end()) continue;
      best.row = it->second.front().first;
      for (const auto& [row, y] : it->second)
        if (year > 0 && y == year) best.row = row;
      best.n_words = len;
      break;
    }
  }
  return best;
}

}  // namespace novelta
