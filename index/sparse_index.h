// SparseIndex: an in-memory inverted index of the corpus's words (title +
// abstract, stopwords dropped), scored by TF-IDF cosine or BM25. It serves as
// the lexical half of hybrid retrieval and as the plain TF-IDF baseline the
// evaluation compares the pipeline against.
//
// Search scores term at a time into a dense per-thread buffer, with each
// posting's BM25 term-frequency part precomputed at build time (one multiply-
// add per posting). Exact dynamic pruning (MaxScore-style early termination)
// was measured on the 95k-paper corpus and did not pay: title + abstract and
// paragraph queries touch 70-85% of all papers, and the k-th best score rises
// above what the common words could add only after most postings are read.
// Nor did scoring only the rarer words term at a time and adding the common
// words to their best rows from a forward index: the common words' postings
// are read in order, cheaply, while each rescored row is a cache miss
// (bench/README.md has the figures).
//
// Thread-safety: immutable after Build; Search may be called concurrently.
#ifndef NOVELTA_INDEX_SPARSE_INDEX_H_
#define NOVELTA_INDEX_SPARSE_INDEX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
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
  ~SparseIndex();

  // The k best rows for `query` among those `admissible` accepts (null: all),
  // best first (ties: lower row first). `admissible` is called only on the
  // best-scoring rows, in score order, until k pass.
  std::vector<SearchHit> Search(std::string_view query, int k, SparseScoring scoring,
                                const std::function<bool(int64_t)>& admissible = nullptr) const;
  size_t size() const { return doc_len_.size(); }
  size_t vocabulary_size() const { return idf_.size(); }

  // The terms a text is indexed by (lower case, LaTeX and stopwords dropped).
  static std::vector<std::string> Terms(std::string_view text);

 private:
  class Vocabulary;
  struct QueryTerm {
    uint32_t term;
    float weight;  // query-side factor (BM25: count * idf; cosine: tf-idf / query norm)
  };

  SparseIndex();
  void Add(std::string_view text);
  void Finish();
  std::vector<QueryTerm> QueryTerms(std::string_view query, SparseScoring scoring) const;

  // Scratch of the build: per term, its (row, tf) postings in row order.
  std::vector<std::vector<uint32_t>> build_rows_;
  std::vector<std::vector<uint16_t>> build_tfs_;

  std::unique_ptr<Vocabulary> vocab_;  // every word seen, stopwords included
  std::vector<bool> stopword_;          // per term id
  // Postings of term t: rows_[term_offset_[t] .. term_offset_[t + 1]), row order;
  // tfs_ the term frequencies beside them.
  std::vector<uint64_t> term_offset_;
  std::vector<uint32_t> rows_;
  std::vector<uint16_t> tfs_;
  std::vector<uint32_t> doc_len_;
  std::vector<float> tfidf_norm_;   // per row
  std::vector<float> bm25_norm_;    // per row: k1 * (1 - b + b * len / avg_len)
  std::vector<float> idf_;          // per term (TF-IDF)
  std::vector<float> bm25_idf_;     // per term
  std::vector<float> bm25_tf_;      // per posting: tf * (k1 + 1) / (tf + norm of its row)
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_SPARSE_INDEX_H_
