// SparseIndex: an in-memory inverted index of the corpus's words (title +
// abstract, stopwords dropped), scored by TF-IDF cosine or BM25. It serves as
// the lexical half of hybrid retrieval and as the plain TF-IDF baseline the
// evaluation compares the pipeline against.
//
// Search scores term at a time into a dense per-thread buffer. Both scorings
// factor into a per-row factor times a sum over the query's words, and most
// postings are of a word its paper uses once, whose share of that sum is the
// word's weight alone: such a posting is 2 bytes (the row's low 16 bits; the
// run of 2^16 rows it sits in gives the rest) and costs one add. The factor
// is applied in the vectorized pass that also finds the best rows. Search is
// bound by the postings it reads and the scattered adds; this layout made it
// about 1.2-1.3x faster than 32-bit rows with a float per posting, at the
// same scores (bench/README.md has the figures).
//
// Exact dynamic pruning (MaxScore-style early termination)
// was measured on the 95k-paper corpus and did not pay: title + abstract and
// paragraph queries touch 70-85% of all papers, and the k-th best score rises
// above what the common words could add only after most postings are read.
// Nor did scoring only the rarer words term at a time and adding the common
// words to their best rows from a forward index: the common words' postings
// are read in order, cheaply, while each rescored row is a cache miss. Nor
// did keeping the commonest words (in 1/8 of the rows or more) as dense
// columns of 16-bit codes: a column is read whole for every query, from
// memory, and that cost more than its scattered postings. Nor did adding
// every word's postings block by block (4,096 rows) to keep the scores in
// the L1 cache: each word's postings stopped being one stream the hardware
// prefetches, and with software prefetching it only drew level. Nor did a
// second bitmap per common word for the rows that use it more than once, nor
// 4-byte repeated postings (a code into a table of tf-length values): reading
// fewer bytes does not help, the scattered adds are the cost. Nor did AVX-512
// gathers and scatters for those adds, nor reordering the rows by topic so
// that a word's postings fall close together, nor scoring in blocks of rows
// the L2 cache holds (bench/README.md has the figures of each).
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

#include "novelta/status.h"
#include "index/vector_index.h"

namespace novelta {

class PaperStore;

enum class SparseScoring { kTfIdfCosine, kBm25 };

struct SparseIndexOptions {
  // Keep the rows of the words papers use once in many rows as bitmaps (see
  // dense_slot_ below). Default: where this CPU adds bitmaps with vector
  // instructions (AddWhereBitsSetIsVectorized), the only case they pay.
  // Search results are the same either way.
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

  explicit SparseIndex(const SparseIndexOptions& options);
  void Add(std::string_view text);
  void Finish();
  std::vector<QueryTerm> QueryTerms(std::string_view query, SparseScoring scoring) const;

  // Scratch of the build: per term, its (row, tf) postings in row order.
  std::vector<std::vector<uint32_t>> build_rows_;
  std::vector<std::vector<uint16_t>> build_tfs_;

  const SparseIndexOptions options_;
  std::unique_ptr<Vocabulary> vocab_;  // every word seen, stopwords included
  std::vector<bool> stopword_;          // per term id
  // Postings in runs: one run per (term, block of 2^16 rows it occurs in),
  // each posting holding the low 16 bits of its row and the run the rest.
  // Search is bound by the bytes it reads, and most postings are then a
  // 2-byte row.
  static constexpr uint32_t kRowLowMask = 0xffff;
  template <typename Posting>
  class RunPostings {
   public:
    void Reserve(size_t n_terms) { term_run_.reserve(n_terms + 1); }
    // Appends a posting of the current term (rows ascending within a term).
    void Add(uint32_t row, const Posting& posting) {
      const uint32_t base = row & ~kRowLowMask;
      if (runs_.size() == term_run_.back() || runs_.back().row_base != base)
        runs_.push_back({base, postings_.size()});
      postings_.push_back(posting);
      runs_.back().end = postings_.size();
    }
    // Closes the current term; the next Add starts term (number of terms).
    void EndTerm() { term_run_.push_back(runs_.size()); }
    // fn(row_base, first, last) for each run of term t, rows ascending.
    template <typename Fn>
    void ForEachRun(uint32_t t, Fn&& fn) const {
      const uint64_t first = term_run_[t], last = term_run_[t + 1];
      uint64_t p = first < last && first > 0 ? runs_[first - 1].end : 0;
      for (uint64_t r = first; r < last; ++r) {
        fn(runs_[r].row_base, postings_.data() + p, postings_.data() + runs_[r].end);
        p = runs_[r].end;
      }
    }

   private:
    struct Run {
      uint32_t row_base;  // a multiple of 2^16
      uint64_t end;       // one past its last posting
    };
    std::vector<uint64_t> term_run_{0};  // term t: runs_[term_run_[t] .. term_run_[t + 1])
    std::vector<Run> runs_;
    std::vector<Posting> postings_;
  };
  struct Repeated {
    uint16_t row_low;
    uint16_t tf;
    float bm25_ratio;  // BM25's tf part at tf over its part at tf = 1, same row
  };
  // The postings of the rows a term occurs in once, and more than once. With
  // tf = 1 a posting's share of either score is the query word's weight times
  // a factor of its row alone:
  //   BM25:   w * (k1 + 1) / (1 + norm(row))      (bm25_row_factor_)
  //   cosine: w * idf / tf-idf norm(row)           (tfidf_row_factor_)
  // so those postings need only the row, and a repeated word's posting holds
  // what multiplies its weight beside the row factor.
  RunPostings<uint16_t> once_;
  RunPostings<Repeated> repeated_;
  // With options_.bitmaps, a word a paper uses once, in at least 1 row in
  // kDenseDivisor, keeps those rows as a bitmap instead (a bit per row, no
  // more bytes than its 2-byte postings): the search adds its weight 16 rows
  // per vector instruction instead of one posting at a time. Such words are
  // few, but a query's common words hold most of the postings it reads.
  static constexpr size_t kDenseDivisor = 16;
  static constexpr uint32_t kNotDense = ~uint32_t{0};
  size_t bitmap_words_ = 0;              // 64-bit words per bitmap: rows / 64, rounded up
  std::vector<uint32_t> dense_slot_;     // per term: its bitmap's number, or kNotDense
  std::vector<uint64_t> dense_bits_;     // the bitmaps, one after another
  std::vector<uint32_t> doc_len_;
  std::vector<float> bm25_row_factor_;   // per row: (k1 + 1) / (1 + k1 * (1 - b + b * len / avg_len))
  std::vector<float> tfidf_row_factor_;  // per row: 1 / its TF-IDF norm
  std::vector<float> idf_;               // per term (TF-IDF)
  std::vector<float> bm25_idf_;          // per term
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_SPARSE_INDEX_H_
