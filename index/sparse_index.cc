#include "index/sparse_index.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

#include "base/text.h"
#include "index/masked_add.h"
#include "index/paper_store.h"

namespace novelta {
namespace {

constexpr float kK1 = 1.2f;
constexpr float kB = 0.75f;

// The term-frequency part of BM25 (both search paths use exactly this).
inline float Bm25Tf(uint16_t tf, float norm) {
  const float f = tf;
  return f * (kK1 + 1) / (f + norm);
}

inline float TfIdfTf(uint16_t tf) { return 1.f + std::log(static_cast<float>(tf)); }

bool Better(const SearchHit& a, const SearchHit& b) {
  return a.score != b.score ? a.score > b.score : a.row < b.row;
}

// Byte classes of the word scanner: the "C" locale's isalnum / isalpha /
// tolower, which base/text.h uses (the program never changes its locale, and
// bytes >= 0x80 are word bytes, left as they are, in any locale).
struct ByteTables {
  bool word[256];
  bool alpha[256];
  char lower[256];
  ByteTables() {
    for (int c = 0; c < 256; ++c) {
      const bool upper = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
      alpha[c] = upper || low;
      word[c] = upper || low || digit || c >= 0x80;
      lower[c] = static_cast<char>(upper ? c - 'A' + 'a' : c);
    }
  }
};
const ByteTables kBytes;

// Calls fn(word) for each word of `text` of 2+ bytes, stopwords included:
// exactly the words of WordTokens(TextForMatching(text)) (LaTeX commands and
// $ { } ^ _ become separators; runs of alphanumeric or non-ASCII bytes, in
// lower case), without a string per word.
template <typename Fn>
void ForEachWord(std::string_view s, std::string* word, Fn&& fn) {
  word->clear();
  auto flush = [&] {
    if (word->size() >= 2) fn(std::string_view(*word));
    word->clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (kBytes.word[c]) {
      word->push_back(kBytes.lower[c]);
    } else if (c == '\\') {
      size_t j = i + 1;
      while (j < s.size() && kBytes.alpha[static_cast<unsigned char>(s[j])]) ++j;
      if (j > i + 1) i = j - 1;  // a command: dropped whole
      flush();
    } else {
      flush();
    }
  }
  flush();
}

uint64_t HashWord(std::string_view w) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : w) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Word -> term id, open addressing over one buffer of all words (no string
// per word, lookups by string_view).
class Vocabulary {
 public:
  Vocabulary() : slots_(1024, 0) {}
  size_t size() const { return starts_.size(); }

  // The id of `w`, or -1.
  int64_t Find(std::string_view w) const {
    const uint64_t h = HashWord(w);
    for (size_t s = h & (slots_.size() - 1);; s = (s + 1) & (slots_.size() - 1)) {
      const uint32_t v = slots_[s];
      if (v == 0) return -1;
      if (hashes_[v - 1] == h && Word(v - 1) == w) return v - 1;
    }
  }

  // The id of `w`, added if new (`inserted` says which).
  uint32_t Insert(std::string_view w, bool* inserted) {
    const uint64_t h = HashWord(w);
    size_t s = h & (slots_.size() - 1);
    for (;; s = (s + 1) & (slots_.size() - 1)) {
      const uint32_t v = slots_[s];
      if (v == 0) break;
      if (hashes_[v - 1] == h && Word(v - 1) == w) {
        *inserted = false;
        return v - 1;
      }
    }
    const uint32_t id = static_cast<uint32_t>(starts_.size());
    starts_.push_back(chars_.size());
    lens_.push_back(static_cast<uint32_t>(w.size()));
    chars_.insert(chars_.end(), w.begin(), w.end());
    hashes_.push_back(h);
    slots_[s] = id + 1;
    if (2 * starts_.size() > slots_.size()) Grow();
    *inserted = true;
    return id;
  }

 private:
  std::string_view Word(uint32_t id) const { return {chars_.data() + starts_[id], lens_[id]}; }
  void Grow() {
    std::vector<uint32_t> slots(slots_.size() * 2, 0);
    for (uint32_t id = 0; id < starts_.size(); ++id) {
      size_t s = hashes_[id] & (slots.size() - 1);
      while (slots[s] != 0) s = (s + 1) & (slots.size() - 1);
      slots[s] = id + 1;
    }
    slots_.swap(slots);
  }

  std::vector<char> chars_;
  std::vector<uint64_t> starts_;
  std::vector<uint32_t> lens_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> slots_;  // id + 1; 0 = empty. Size: a power of two, at most half full.
};

}  // namespace

// The postings, laid out for exact term-at-a-time search into a dense
// per-thread score buffer. Both scorings factor into a per-row factor times a
// sum over the query's words, and most postings are of a word its paper uses
// once, whose share of that sum is the word's weight alone: such a posting is
// 2 bytes (the row's low 16 bits; the run of 2^16 rows it sits in gives the
// rest) and costs one add. The factor is applied in the vectorized pass that
// also finds the best rows. Search is bound by the postings it reads and the
// scattered adds; this layout made it about 1.2-1.3x faster than 32-bit rows
// with a float per posting, at the same scores (bench/README.md has the
// figures, and those of the layouts tried since and dropped).
class SparseIndex::Impl {
 public:
  explicit Impl(const SparseIndexOptions& options) : options_(options) {}

  void Add(std::string_view text);
  void Finish();
  std::vector<SearchHit> Search(std::string_view query, int k, SparseScoring scoring,
                                const std::function<bool(int64_t)>& admissible) const;
  size_t size() const { return doc_len_.size(); }
  size_t vocabulary_size() const { return idf_.size(); }

 private:
  struct QueryTerm {
    uint32_t term;
    float weight;  // query-side factor (BM25: count * idf; cosine: tf-idf / query norm)
  };

  std::vector<QueryTerm> QueryTerms(std::string_view query, SparseScoring scoring) const;

  // Scratch of the build: per term, its (row, tf) postings in row order.
  std::vector<std::vector<uint32_t>> build_rows_;
  std::vector<std::vector<uint16_t>> build_tfs_;

  const SparseIndexOptions options_;
  Vocabulary vocab_;           // every word seen, stopwords included
  std::vector<bool> stopword_;  // per term id
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

SparseIndexOptions::SparseIndexOptions() : bitmaps(AddWhereBitsSetIsVectorized()) {}

SparseIndex::SparseIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SparseIndex::~SparseIndex() = default;

size_t SparseIndex::size() const { return impl_->size(); }
size_t SparseIndex::vocabulary_size() const { return impl_->vocabulary_size(); }

std::vector<std::string> SparseIndex::Terms(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  ForEachWord(text, &word, [&](std::string_view w) {
    if (!IsStopword(w)) out.emplace_back(w);
  });
  return out;
}

void SparseIndex::Impl::Add(std::string_view text) {
  const uint32_t row = static_cast<uint32_t>(doc_len_.size());
  thread_local std::string word;
  thread_local std::vector<uint32_t> ids;
  ids.clear();
  ForEachWord(text, &word, [&](std::string_view w) {
    // Stopwords get an id too, so that IsStopword runs once per distinct word.
    bool inserted;
    const uint32_t id = vocab_.Insert(w, &inserted);
    if (inserted) {
      build_rows_.emplace_back();
      build_tfs_.emplace_back();
      stopword_.push_back(IsStopword(w));
    }
    if (!stopword_[id]) ids.push_back(id);
  });
  std::sort(ids.begin(), ids.end());
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    build_rows_[ids[i]].push_back(row);
    build_tfs_[ids[i]].push_back(static_cast<uint16_t>(std::min<size_t>(j - i, UINT16_MAX)));
    i = j;
  }
  doc_len_.push_back(static_cast<uint32_t>(ids.size()));
}

void SparseIndex::Impl::Finish() {
  const size_t n_terms = build_rows_.size();
  const size_t n_docs = doc_len_.size();
  const double n = static_cast<double>(n_docs);
  double total = 0;
  for (uint32_t len : doc_len_) total += len;
  const double avg_len = n > 0 ? total / n : 0;
  std::vector<float> bm25_norm(n_docs);  // k1 * (1 - b + b * len / avg_len)
  for (size_t d = 0; d < n_docs; ++d)
    bm25_norm[d] = static_cast<float>(kK1 * (1 - kB + (avg_len > 0 ? kB * doc_len_[d] / avg_len : 0)));

  idf_.resize(n_terms);
  bm25_idf_.resize(n_terms);
  std::vector<double> norm(n_docs, 0.0);
  once_.Reserve(n_terms);
  repeated_.Reserve(n_terms);
  bitmap_words_ = (n_docs + 63) / 64;
  dense_slot_.assign(n_terms, kNotDense);
  for (size_t t = 0; t < n_terms; ++t) {
    const auto& rows = build_rows_[t];
    const auto& tfs = build_tfs_[t];
    const size_t df = rows.size();
    const size_t once = static_cast<size_t>(std::count(tfs.begin(), tfs.end(), uint16_t{1}));
    uint64_t* bits = nullptr;
    if (options_.bitmaps && once > 0 && once * kDenseDivisor >= n_docs) {
      dense_slot_[t] = static_cast<uint32_t>(dense_bits_.size() / bitmap_words_);
      dense_bits_.resize(dense_bits_.size() + bitmap_words_, 0);
      bits = dense_bits_.data() + dense_slot_[t] * bitmap_words_;
    }
    idf_[t] = static_cast<float>(std::log((n + 1) / (df + 1)) + 1.0);
    bm25_idf_[t] = static_cast<float>(std::log(1 + (n - df + 0.5) / (df + 0.5)));
    for (size_t i = 0; i < df; ++i) {
      const uint32_t row = rows[i];
      const uint16_t tf = tfs[i];
      const double w = TfIdfTf(tf) * idf_[t];
      norm[row] += w * w;
      if (tf == 1 && bits) {
        bits[row / 64] |= uint64_t{1} << (row % 64);
      } else if (tf == 1) {
        once_.Add(row, static_cast<uint16_t>(row & kRowLowMask));
      } else {
        // BM25's tf part over its value at tf = 1 (the row factor below).
        const float norm_row = bm25_norm[row];
        const float ratio = Bm25Tf(tf, norm_row) / Bm25Tf(1, norm_row);
        repeated_.Add(row, {static_cast<uint16_t>(row & kRowLowMask), tf, ratio});
      }
    }
    once_.EndTerm();
    repeated_.EndTerm();
  }
  std::vector<std::vector<uint32_t>>().swap(build_rows_);
  std::vector<std::vector<uint16_t>>().swap(build_tfs_);
  bm25_row_factor_.resize(n_docs);
  tfidf_row_factor_.resize(n_docs);
  for (size_t d = 0; d < n_docs; ++d) {
    bm25_row_factor_[d] = Bm25Tf(1, bm25_norm[d]);
    tfidf_row_factor_[d] = norm[d] > 0 ? static_cast<float>(1 / std::sqrt(norm[d])) : 1.f;
  }
}

StatusOr<std::unique_ptr<SparseIndex>> SparseIndex::Build(const PaperStore& store,
                                                          const SparseIndexOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  std::string text;
  NOVELTA_RETURN_IF_ERROR(store.ForEachText(
      [&](int64_t row, const std::string& title, const std::string& abstract) {
        text.assign(title).append(". ").append(abstract);
        impl->Add(text);
      }));
  impl->Finish();
  return std::unique_ptr<SparseIndex>(new SparseIndex(std::move(impl)));
}

std::unique_ptr<SparseIndex> SparseIndex::FromTexts(const std::vector<std::string>& texts,
                                                    const SparseIndexOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  for (const auto& t : texts) impl->Add(t);
  impl->Finish();
  return std::unique_ptr<SparseIndex>(new SparseIndex(std::move(impl)));
}

std::vector<SparseIndex::Impl::QueryTerm> SparseIndex::Impl::QueryTerms(std::string_view query,
                                                                        SparseScoring scoring) const {
  thread_local std::string word;
  thread_local std::vector<uint32_t> ids;
  ids.clear();
  ForEachWord(query, &word, [&](std::string_view w) {
    const int64_t id = vocab_.Find(w);
    if (id >= 0 && !stopword_[id]) ids.push_back(static_cast<uint32_t>(id));
  });
  std::sort(ids.begin(), ids.end());
  std::vector<QueryTerm> out;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    const float count = static_cast<float>(j - i);
    out.push_back({ids[i], scoring == SparseScoring::kBm25
                               ? count * bm25_idf_[ids[i]]
                               : (1 + std::log(count)) * idf_[ids[i]]});
    i = j;
  }
  if (scoring == SparseScoring::kTfIdfCosine) {
    // Divide by the query's TF-IDF norm, so that cosine scores are cosines.
    double qnorm = 0;
    for (const auto& q : out) qnorm += static_cast<double>(q.weight) * q.weight;
    qnorm = qnorm > 0 ? std::sqrt(qnorm) : 1;
    for (auto& q : out) q.weight = static_cast<float>(q.weight / qnorm);
  }
  return out;
}

namespace {

// Whether any of a block's rows scores above `bar`, the block's scores first
// multiplied by `factor` (in place) when it is given. Written with the
// compiler's portable vector types: left to itself, it keeps this loop
// scalar, and the scan is a pass over every row.
constexpr size_t kScanBlock = 16;
bool ScaleAndTestAbove(float* block, const float* factor, float bar) {
  typedef float Floats __attribute__((vector_size(16)));
  typedef int32_t Mask __attribute__((vector_size(16)));
  constexpr size_t kLanes = sizeof(Floats) / sizeof(float);
  Mask any = {0, 0, 0, 0};
  for (size_t i = 0; i < kScanBlock; i += kLanes) {
    Floats v, f;
    std::memcpy(&v, block + i, sizeof v);
    if (factor) {
      std::memcpy(&f, factor + i, sizeof f);
      v *= f;
      std::memcpy(block + i, &v, sizeof v);
    }
    any |= v > bar;
  }
  return (any[0] | any[1] | any[2] | any[3]) != 0;
}

// The best k rows of acc[r] * factor[r] (scores > 0) that `admissible`
// accepts, best first; acc holds the scores afterwards. The admissibility
// test (which may be costly) runs only on rows in score order until k pass,
// never on every row scored.
std::vector<SearchHit> BestAdmissible(float* acc, size_t n, const float* factor, size_t k,
                                      const std::function<bool(int64_t)>& admissible) {
  std::vector<SearchHit> out;
  // The best `keep` rows in one pass: a candidate buffer cut back to `keep`
  // (raising the bar) whenever it doubles. If too few of them are admissible,
  // take four times as many and try again.
  for (size_t keep = k * 2 + 16;; keep *= 4) {
    std::vector<SearchHit> cand;
    cand.reserve(2 * keep);
    float bar = 0.f;
    auto consider = [&](size_t r) {
      if (acc[r] > bar) {
        cand.push_back({static_cast<int64_t>(r), acc[r]});
        if (cand.size() == 2 * keep) {
          std::nth_element(cand.begin(), cand.begin() + (keep - 1), cand.end(), Better);
          cand.resize(keep);
          bar = cand.back().score;  // rows scoring at or below it cannot enter
        }
      }
    };
    // Once the bar has risen, most blocks hold no row above it.
    const size_t blocked = n - n % kScanBlock;
    for (size_t b = 0; b < blocked; b += kScanBlock)
      if (ScaleAndTestAbove(acc + b, factor ? factor + b : nullptr, bar))
        for (size_t i = 0; i < kScanBlock; ++i) consider(b + i);
    for (size_t r = blocked; r < n; ++r) {
      if (factor) acc[r] *= factor[r];
      consider(r);
    }
    factor = nullptr;  // applied
    std::sort(cand.begin(), cand.end(), Better);
    const bool all_seen = cand.size() < keep;  // every row scoring > 0 is in cand
    if (cand.size() > keep) cand.resize(keep);
    out.clear();
    for (const auto& h : cand) {
      if (out.size() == k) break;
      if (!admissible || admissible(h.row)) out.push_back(h);
    }
    if (out.size() == k || all_seen || keep >= n) return out;
  }
}

}  // namespace

std::vector<SearchHit> SparseIndex::Search(std::string_view query, int k, SparseScoring scoring,
                                           const std::function<bool(int64_t)>& admissible) const {
  return impl_->Search(query, k, scoring, admissible);
}

std::vector<SearchHit> SparseIndex::Impl::Search(std::string_view query, int k, SparseScoring scoring,
                                                 const std::function<bool(int64_t)>& admissible) const {
  const auto terms = QueryTerms(query, scoring);
  if (terms.empty() || k <= 0) return {};
  // Scores accumulate term at a time in a per-thread dense buffer: queries of
  // a paragraph touch most rows, so a list of rows touched would not pay.
  // Both scorings are a per-row factor times a sum over the query's words
  // (see once_ above), so the buffer first sums, then takes the factor in one
  // vectorized pass.
  const bool bm25 = scoring == SparseScoring::kBm25;
  thread_local std::vector<float> acc;
  acc.assign(bitmap_words_ * 64, 0.f);  // the rows, and room for a bitmap's last word
  // The common words' bitmaps first, all in one pass over the scores (see
  // dense_slot_ above), then the postings of the rest, word by word.
  // A word's share of the sum for one occurrence (cosine: times its idf).
  auto weight = [&](const QueryTerm& q) { return bm25 ? q.weight : q.weight * idf_[q.term]; };
  thread_local std::vector<const uint64_t*> bitmaps;
  thread_local std::vector<float> bitmap_weights;
  bitmaps.clear();
  bitmap_weights.clear();
  for (const auto& q : terms) {
    if (dense_slot_[q.term] == kNotDense) continue;
    bitmaps.push_back(dense_bits_.data() + dense_slot_[q.term] * bitmap_words_);
    bitmap_weights.push_back(weight(q));
  }
  if (!bitmaps.empty())
    AddWhereBitsSet()(acc.data(), bitmaps.data(), bitmap_weights.data(), bitmaps.size(), bitmap_words_);
  for (const auto& q : terms) {
    const float w = weight(q);
    once_.ForEachRun(q.term, [&](uint32_t row_base, const uint16_t* b, const uint16_t* e) {
      float* const block = acc.data() + row_base;
#pragma GCC unroll 8
      for (const uint16_t* p = b; p < e; ++p) block[*p] += w;
    });
    repeated_.ForEachRun(q.term, [&](uint32_t row_base, const Repeated* b, const Repeated* e) {
      float* const block = acc.data() + row_base;
      for (const Repeated* p = b; p < e; ++p)
        block[p->row_low] += w * (bm25 ? p->bm25_ratio : TfIdfTf(p->tf));
    });
  }
  return BestAdmissible(acc.data(), doc_len_.size(), bm25 ? bm25_row_factor_.data() : tfidf_row_factor_.data(),
                        static_cast<size_t>(k), admissible);
}

}  // namespace novelta
