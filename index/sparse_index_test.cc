#include "index/sparse_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "base/text.h"
#include "index/paper_index.h"
#include "index/test_index_util.h"

namespace novelta {
namespace {

TEST(SparseIndexTest, RanksByTermOverlapWithBothScorings) {
  auto idx = SparseIndex::FromTexts({"graph neural networks for molecules",
                                     "diffusion models for image synthesis",
                                     "graph attention networks",
                                     "the of and"});
  EXPECT_EQ(idx->size(), 4u);
  for (auto scoring : {SparseScoring::kTfIdfCosine, SparseScoring::kBm25}) {
    auto hits = idx->Search("graph networks", 10, scoring);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].row, 2);  // shorter document, same terms: higher cosine / BM25
    EXPECT_EQ(hits[1].row, 0);
    EXPECT_GT(hits[0].score, hits[1].score);
  }
  EXPECT_TRUE(idx->Search("the of and", 10, SparseScoring::kBm25).empty());  // stopwords only
  auto filtered = idx->Search("graph", 10, SparseScoring::kBm25, [](int64_t row) { return row != 2; });
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].row, 0);
}

TEST(SparseIndexTest, CosineOfADocumentWithItselfIsOne) {
  auto idx = SparseIndex::FromTexts({"alpha beta gamma", "beta delta", "epsilon"});
  auto hits = idx->Search("alpha beta gamma", 1, SparseScoring::kTfIdfCosine);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NEAR(hits[0].score, 1.0, 1e-5);
}

TEST(SparseIndexTest, BuiltLazilyFromTheFixtureIndex) {
  auto index = PaperIndex::Open(testing::FixtureIndexDir());
  ASSERT_TRUE(index.ok());
  auto sparse = (*index)->sparse_index();
  ASSERT_TRUE(sparse.ok());
  EXPECT_EQ((*sparse)->size(), 30u);
  auto hits = (*sparse)->Search("proximal policy optimization clipped surrogate", 1, SparseScoring::kBm25);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ((*index)->id(hits[0].row), "fx-rl-01");
}

TEST(SparseIndexTest, TermsAreTheMatchingWordsWithoutStopwords) {
  // Terms() scans bytes itself; it must index exactly the words of
  // WordTokens(TextForMatching(text)) of 2+ bytes that are not stopwords.
  const std::vector<std::string> texts = {
      "We propose \\emph{GraphNets}: $O(n^2)$ time, the_best {of} both^2 worlds.",
      "A \\ backslash, \\alpha2 and caf\xc3\xa9 na\xc3\xafve x y 3D 42 e.g. i.e. U.S.",
      "", "   ", "THE And Of", "Transformers\\cite{vaswani2017} attention-based models"};
  for (const auto& t : texts) {
    std::vector<std::string> want;
    for (auto& w : WordTokens(TextForMatching(t)))
      if (w.size() >= 2 && !IsStopword(w)) want.push_back(w);
    EXPECT_EQ(SparseIndex::Terms(t), want) << t;
  }
}

// BM25 and TF-IDF cosine computed directly from the definitions (double
// precision, maps), to check the index's precomputed, float version against.
class ReferenceScorer {
 public:
  explicit ReferenceScorer(const std::vector<std::string>& docs) : tf_(docs.size()), len_(docs.size()) {
    double total = 0;
    for (size_t d = 0; d < docs.size(); ++d) {
      auto terms = SparseIndex::Terms(docs[d]);
      for (const auto& t : terms) ++tf_[d][t];
      for (const auto& [t, c] : tf_[d]) ++df_[t];
      len_[d] = static_cast<double>(terms.size());
      total += len_[d];
    }
    n_ = static_cast<double>(docs.size());
    avg_ = total / n_;
    for (size_t d = 0; d < docs.size(); ++d) {
      double norm = 0;
      for (const auto& [t, c] : tf_[d]) norm += std::pow((1 + std::log(c)) * Idf(t), 2);
      dnorm_.push_back(std::sqrt(norm));
    }
  }

  // Rows with a positive score, best first (ties: lower row first).
  std::vector<std::pair<int64_t, double>> Rank(const std::string& query, SparseScoring scoring) const {
    std::map<std::string, int> qtf;
    for (const auto& t : SparseIndex::Terms(query))
      if (df_.count(t)) ++qtf[t];
    double qnorm = 0;
    for (const auto& [t, c] : qtf) qnorm += std::pow((1 + std::log(c)) * Idf(t), 2);
    qnorm = std::sqrt(qnorm);
    std::vector<std::pair<int64_t, double>> out;
    for (size_t d = 0; d < tf_.size(); ++d) {
      double s = 0;
      bool any = false;
      for (const auto& [t, c] : qtf) {
        auto it = tf_[d].find(t);
        if (it == tf_[d].end()) continue;
        any = true;
        const double f = it->second, df = df_.at(t);
        if (scoring == SparseScoring::kBm25) {
          const double idf = std::log(1 + (n_ - df + 0.5) / (df + 0.5));
          s += c * idf * f * 2.2 / (f + 1.2 * (1 - 0.75 + 0.75 * len_[d] / avg_));
        } else {
          s += (1 + std::log(c)) * Idf(t) * (1 + std::log(f)) * Idf(t) / (qnorm * dnorm_[d]);
        }
      }
      if (any) out.emplace_back(static_cast<int64_t>(d), s);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return out;
  }

 private:
  double Idf(const std::string& t) const { return std::log((n_ + 1) / (df_.at(t) + 1)) + 1; }
  std::vector<std::map<std::string, int>> tf_;
  std::map<std::string, int> df_;
  std::vector<double> len_, dnorm_;
  double n_ = 0, avg_ = 0;
};

// Seeded texts with Zipf-like word frequencies over `n_words` words, so that
// queries hit both rare and common words.
class ZipfTexts {
 public:
  ZipfTexts(uint64_t seed, int n_words) : rng_(seed) {
    std::vector<double> zipf;
    for (int i = 0; i < n_words; ++i) {
      vocab_.push_back("w" + std::to_string(i));
      zipf.push_back(1.0 / (i + 1));
    }
    word_ = std::discrete_distribution<int>(zipf.begin(), zipf.end());
  }
  // A text of min_words .. min_words + spread - 1 words.
  std::string Next(int min_words, int spread) {
    const int words = min_words + static_cast<int>(rng_() % spread);
    std::string t;
    for (int i = 0; i < words; ++i) t += vocab_[word_(rng_)] + " ";
    return t;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> vocab_;
  std::discrete_distribution<int> word_;
};

// The default admissibility test of the comparisons below: every row but
// one in three.
bool AdmitsTwoRowsInThree(int64_t row) { return row % 3 != 0; }

// Searches `queries` with both scorings at several depths, only the rows
// `admissible` accepts allowed (the search must then reach further down),
// and compares each hit with the definitions; returns how many hits matched
// the reference row.
size_t ExpectMatchesReference(const std::vector<std::string>& docs, const std::vector<std::string>& queries,
                              const std::function<bool(int64_t)>& admissible = AdmitsTwoRowsInThree,
                              const SparseIndexOptions& options = {}) {
  auto idx = SparseIndex::FromTexts(docs, options);
  EXPECT_EQ(idx->size(), docs.size());
  const ReferenceScorer reference(docs);
  size_t compared = 0;
  for (const auto& query : queries) {
    for (auto scoring : {SparseScoring::kBm25, SparseScoring::kTfIdfCosine}) {
      auto ref = reference.Rank(query, scoring);
      ref.erase(std::remove_if(ref.begin(), ref.end(),
                               [&](const auto& h) { return !admissible(h.first); }),
                ref.end());
      for (int k : {1, 20, 50}) {
        auto got = idx->Search(query, k, scoring, admissible);
        EXPECT_EQ(got.size(), std::min<size_t>(k, ref.size()));
        if (got.size() != std::min<size_t>(k, ref.size())) return compared;
        for (size_t i = 0; i < got.size(); ++i) {
          EXPECT_NEAR(got[i].score, ref[i].second, 1e-4 * ref[i].second) << query << " " << i;
          // Rows agree unless two scores tie within float precision.
          if (got[i].row == ref[i].first) {
            ++compared;
          } else {
            auto at = std::find_if(ref.begin(), ref.end(),
                                   [&](const auto& h) { return h.first == got[i].row; });
            EXPECT_NE(at, ref.end());
            if (at != ref.end()) EXPECT_NEAR(at->second, ref[i].second, 1e-5 * ref[i].second);
          }
          EXPECT_TRUE(admissible(got[i].row));
        }
      }
    }
  }
  return compared;
}

TEST(SparseIndexTest, MatchesTheDefinitionsOnASeededRandomCorpus) {
  ZipfTexts texts(7, 400);
  std::vector<std::string> docs, queries;
  for (int d = 0; d < 3000; ++d) docs.push_back(texts.Next(5, 120));
  for (int q = 0; q < 40; ++q) queries.push_back(texts.Next(3, 60));
  EXPECT_GT(ExpectMatchesReference(docs, queries), 3000u);
}

// The common words' bitmaps are kept only where the CPU adds them with
// vector instructions; either layout must give the definitions' results.
TEST(SparseIndexTest, MatchesTheDefinitionsWithAndWithoutBitmaps) {
  ZipfTexts texts(11, 300);
  std::vector<std::string> docs, queries;
  for (int d = 0; d < 2000; ++d) docs.push_back(texts.Next(5, 100));
  for (int q = 0; q < 20; ++q) queries.push_back(texts.Next(3, 60));
  for (bool bitmaps : {true, false}) {
    SCOPED_TRACE(bitmaps ? "bitmaps" : "postings only");
    SparseIndexOptions options;
    options.bitmaps = bitmaps;
    EXPECT_GT(ExpectMatchesReference(docs, queries, AdmitsTwoRowsInThree, options), 1000u);
  }
}

TEST(SparseIndexTest, SearchesAgainWhenMostOfTheBestRowsAreRefused) {
  // One row in 40 admissible: the best 2k + 16 rows rarely hold k of them,
  // so the search must look again, further down the ranking.
  ZipfTexts texts(5, 300);
  std::vector<std::string> docs, queries;
  for (int d = 0; d < 4000; ++d) docs.push_back(texts.Next(5, 60));
  for (int q = 0; q < 10; ++q) queries.push_back(texts.Next(3, 30));
  EXPECT_GT(ExpectMatchesReference(docs, queries, [](int64_t row) { return row % 40 == 7; }), 500u);
}

TEST(SparseIndexTest, IndexesOfDifferentSizesSearchedInTurnOnOneThread) {
  // Searches share a per-thread score buffer, sized to whichever index
  // searched last; no score may leak from one index into the other.
  ZipfTexts texts(3, 200);
  std::vector<std::string> big_docs, small_docs;
  for (int d = 0; d < 5000; ++d) big_docs.push_back(texts.Next(5, 40));
  for (int d = 0; d < 300; ++d) small_docs.push_back(texts.Next(5, 40));
  auto big = SparseIndex::FromTexts(big_docs);
  auto small = SparseIndex::FromTexts(small_docs);
  const std::string query = texts.Next(10, 20);
  for (auto scoring : {SparseScoring::kBm25, SparseScoring::kTfIdfCosine}) {
    const auto big_first = big->Search(query, 30, scoring);
    const auto small_first = small->Search(query, 30, scoring);
    ASSERT_EQ(big_first.size(), 30u);
    ASSERT_EQ(small_first.size(), 30u);
    for (int round = 0; round < 3; ++round) {
      const auto b = big->Search(query, 30, scoring);
      const auto s = small->Search(query, 30, scoring);
      for (size_t i = 0; i < 30; ++i) {
        EXPECT_EQ(b[i].row, big_first[i].row);
        EXPECT_EQ(b[i].score, big_first[i].score);
        EXPECT_EQ(s[i].row, small_first[i].row);
        EXPECT_EQ(s[i].score, small_first[i].score);
      }
    }
  }
}

TEST(SparseIndexTest, MatchesTheDefinitionsPastTheFirst65536Rows) {
  // Postings keep 16 bits of their row; the rest comes from the run of 2^16
  // rows they are in. Here most words occur in all three runs, and the rows
  // of the last one must be found and scored like the others.
  ZipfTexts texts(11, 3000);
  std::vector<std::string> docs, queries;
  for (int d = 0; d < 140000; ++d) docs.push_back(texts.Next(2, 6));
  for (int q = 0; q < 6; ++q) queries.push_back(texts.Next(2, 8));
  // A rare word in a row of each run, and a query of it.
  for (int64_t row : {5, 70000, 139999}) docs[row] += " unique";
  queries.push_back("unique w0");
  EXPECT_GT(ExpectMatchesReference(docs, queries), 200u);
  auto idx = SparseIndex::FromTexts(docs);
  auto hits = idx->Search("unique", 10, SparseScoring::kBm25);
  std::vector<int64_t> rows;
  for (const auto& h : hits) rows.push_back(h.row);
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<int64_t>{5, 70000, 139999}));
}

}  // namespace
}  // namespace novelta
