// SparseIndex: an in-memory inverted index of the corpus's words (title +
// abstract, stopwords dropped), scored by TF-IDF cosine or BM25. It serves as
// the lexical half of hybrid retrieval and as the plain TF-IDF baseline the
// evaluation compares the pipeline against.
//
// Search scores exactly, term at a time. How the postings are laid out for it,
// and why, is private to sparse_index.cc, so that a layout change recompiles
// that file alone. The layouts and search strategies measured and dropped are
// in bench/README.md.
//
// Thread-safety: immutable after Build; Search may be called concurrently.
#ifndef NOVELTA_INDEX_SPARSE_INDEX_H_
#define NOVELTA_INDEX_SPARSE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"
#include "index/vector_index.h"

namespace novelta {

class PaperStore;

enum class SparseScoring { kTfIdfCosine, kBm25 };

struct SparseIndexOptions {
  // Keep the rows of the words papers use once in many rows as bitmaps, added
  // to the scores 16 rows per vector instruction. Default: where this CPU adds
  // bitmaps with vector instructions (AddWhereBitsSetIsVectorized), the only
  // case they pay. Search results are the same either way.
  bool bitmaps;
  SparseIndexOptions();
};

class SparseIndex {
 public:
  // Indexes every paper of `store` (rows in order).
  static StatusOr<std::unique_ptr<SparseIndex>> Build(const PaperStore& store,
                                                       const SparseIndexOptions& options = {});
  // Indexes `texts` (row i = texts[i]); for tests and small corpora.
  static std::unique_ptr<SparseIndex> FromTexts(const std::vector<std::string>& texts,
                                                const SparseIndexOptions& options = {});
  ~SparseIndex();

  // The k best rows for `query` among those `admissible` accepts (null: all),
  // best first (ties: lower row first). `admissible` is called only on the
  // best-scoring rows, in score order, until k pass.
  std::vector<SearchHit> Search(std::string_view query, int k, SparseScoring scoring,
                                const std::function<bool(int64_t)>& admissible = nullptr) const;
  // The number of rows.
  size_t size() const;
  // The number of distinct words seen, stopwords included.
  size_t vocabulary_size() const;

  // The terms a text is indexed by (lower case, LaTeX and stopwords dropped).
  static std::vector<std::string> Terms(std::string_view text);

 private:
  class Impl;  // the postings and their search (sparse_index.cc)
  explicit SparseIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_SPARSE_INDEX_H_
