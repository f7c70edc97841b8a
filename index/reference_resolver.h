// ReferenceResolver: finds which corpus paper a free-text reference or a title
// mention points to — "[3] R. Shokri et al. Membership inference attacks
// against machine learning models. In IEEE S&P, 2017." -> the corpus paper
// titled "Membership Inference Attacks against Machine Learning Models".
//
// Matching is on normalised titles (lower case, punctuation dropped): the
// longest corpus title that appears as a whole run of words in the reference
// wins. Short generic titles are never matched inside free text (fewer than
// 4 words: "Learning to Learn" would match many longer titles) and need at
// least 3 words for an exact title look-up. When a year is given, a title shared by several
// papers is resolved to the one of that year.
//
// Thread-safety: immutable after construction; Resolve may be called concurrently.
#ifndef NOVELTA_INDEX_REFERENCE_RESOLVER_H_
#define NOVELTA_INDEX_REFERENCE_RESOLVER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace novelta {

class ReferenceResolver {
 public:
  struct Entry {
    int64_t row;        // caller's handle for the paper (index row)
    std::string title;
    int year = 0;
  };
  struct Match {
    int64_t row = -1;   // -1: no corpus paper found
    size_t n_words = 0; // length of the matched title, in words
    bool found() const { return row >= 0; }
  };

  explicit ReferenceResolver(const std::vector<Entry>& entries);

  // The corpus paper whose title appears in `reference`.
  Match Resolve(std::string_view reference) const;
  // The corpus paper with exactly this (normalised) title; `year` 0 = any.
  Match ResolveTitle(std::string_view title, int year = 0) const;
  size_t size() const { return n_titles_; }

 private:
  // Hash of a normalised title -> rows with that title (usually one).
  std::unordered_map<uint64_t, std::vector<std::pair<int64_t, int>>> by_title_;
  // Hash of a title's first two words -> bit n set when such a title has n words.
  std::unordered_map<uint64_t, uint64_t> lengths_by_start_;
  size_t max_words_ = 0;
  size_t n_titles_ = 0;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_REFERENCE_RESOLVER_H_
