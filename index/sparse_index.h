// SparseIndex: an in-memory inverted index of the corpus's words (title +
// abstract, stopwords dropped), scored by TF-IDF cosine or BM25. It serves as
// the lexical half of hybrid retrieval and as the plain TF-IDF baseline the
// evaluation compares the pipeline against.
//
// Thread-safety: immutable after Build; Search may be called concurrently.
#ifndef NOVELTA_INDEX_SPARSE_INDEX_H_
#define NOVELTA_INDEX_SPARSE_INDEX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "index/vector_index.h"

namespace novelta {

class PaperStore;

enum class SparseScoring { kTfIdfCosine, kBm25 };

class SparseIndex {
 public:
  // Indexes every paper of `store` (rows in order).
  static StatusOr<std::unique_ptr<SparseIndex>> Build(const PaperStore& store);
  // Indexes `texts` (row i = texts[i]); for tests and small corpora.
  static std::unique_ptr<SparseIndex> FromTexts(const std::vector<std::string>& texts);

  // The k best rows for `query` among those `admissible` accepts (null: all), best first.
  std::vector<SearchHit> Search(std::string_view query, int k, SparseScoring scoring,
                                const std::function<bool(int64_t)>& admissible = nullptr) const;
  size_t size() const { return doc_len_.size(); }
  size_t vocabulary_size() const { return vocab_.size(); }

  // The terms a text is indexed by (lower case, LaTeX and stopwords dropped).
  static std::vector<std::string> Terms(std::string_view text);

 private:
  SparseIndex() = default;
  void Add(std::string_view text);
  void Finish();

  std::unordered_map<std::string, uint32_t> vocab_;
  std::vector<std::vector<std::pair<uint32_t, uint16_t>>> postings_;  // term -> (row, tf)
  std::vector<uint32_t> doc_len_;
  std::vector<float> tfidf_norm_;  // per row
  std::vector<float> idf_;         // per term
  double avg_len_ = 0;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_SPARSE_INDEX_H_
