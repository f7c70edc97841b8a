// Properties of review reading measured on the first 200 papers of the real
// NeurIPS 2025 dev set. Skipped when the shared data is absent.
#include <gtest/gtest.h>

#include <cmath>

#include "base/env.h"
#include "alignment/alignment.h"
#include "alignment/corpus_resolver.h"

namespace novelta::alignment {
namespace {

constexpr size_t kPapers = 200;

class DevSet : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = NOVELTA_SHARED_DATA_DIR;
    const std::string reviews = dir + "/eval/neurips2025-dev.jsonl.gz";
    const std::string corpus = dir + "/corpus/prior-work.jsonl.gz";
    if (!Env::Default()->FileExists(reviews) || !Env::Default()->FileExists(corpus)) return;
    auto resolver = CorpusPriorWorkResolver::Load(corpus);
    ASSERT_TRUE(resolver.ok()) << resolver.status().ToString();
    resolver_ = resolver->release();
    HumanLoadOptions options;
    options.resolver = resolver_;
    options.max_papers = kPapers;
    auto papers = LoadHumanPapers(reviews, options);
    ASSERT_TRUE(papers.ok()) << papers.status().ToString();
    papers_ = new std::vector<HumanPaper>(std::move(*papers));
  }
  static void TearDownTestSuite() {
    delete papers_;
    delete resolver_;
    papers_ = nullptr;
    resolver_ = nullptr;
  }
  void SetUp() override {
    if (!papers_) GTEST_SKIP() << "shared dev set not available under " << NOVELTA_SHARED_DATA_DIR;
  }

  static std::vector<HumanPaper>* papers_;
  static CorpusPriorWorkResolver* resolver_;
};
std::vector<HumanPaper>* DevSet::papers_ = nullptr;
CorpusPriorWorkResolver* DevSet::resolver_ = nullptr;

TEST_F(DevSet, MostReviewsDiscussNovelty) {
  ASSERT_EQ(papers_->size(), kPapers);
  size_t reviews = 0, with_statement = 0, with_stance = 0;
  for (const auto& p : *papers_)
    for (const auto& r : p.reviews) {
      ++reviews;
      with_statement += !r.statements.empty();
      with_stance += r.text_conclusion != ReviewConclusion::kNoOpinion;
    }
  ASSERT_GT(reviews, 4 * kPapers - 1);  // 4-5 reviews a paper
  // Measured on these papers: 87% have a novelty statement, 65% take a side.
  EXPECT_GT(static_cast<double>(with_statement) / reviews, 0.75);
  EXPECT_GT(static_cast<double>(with_stance) / reviews, 0.5);
}

TEST_F(DevSet, TextConclusionTracksTheOriginalityScore) {
  // Reviewers whose text reads "novel" give higher originality scores than
  // those whose text reads incremental or not novel.
  double novel_sum = 0, other_sum = 0;
  int novel_n = 0, other_n = 0;
  std::vector<int> text, score;
  for (const auto& p : *papers_)
    for (const auto& r : p.reviews) {
      if (r.text_conclusion == ReviewConclusion::kNoOpinion || r.originality == 0) continue;
      if (r.text_conclusion == ReviewConclusion::kNovel) {
        novel_sum += r.originality;
        ++novel_n;
      } else {
        other_sum += r.originality;
        ++other_n;
      }
      text.push_back(static_cast<int>(r.text_conclusion));
      score.push_back(static_cast<int>(r.score_conclusion));
    }
  ASSERT_GT(novel_n, 50);
  ASSERT_GT(other_n, 50);
  EXPECT_GT(novel_sum / novel_n, other_sum / other_n + 0.25);
  // Agreement is well above chance (measured kappa 0.30 on these papers).
  auto m = Confusion(text, score, kNumConclusions);
  ASSERT_TRUE(m.ok());
  EXPECT_GT(CohensKappa(*m), 0.15);
}

TEST_F(DevSet, NamedWorksAreFoundAndSomeResolve) {
  size_t reviews = 0, named = 0, resolved = 0, matched_reference = 0;
  for (const auto& p : *papers_)
    for (const auto& r : p.reviews) {
      ++reviews;
      for (const auto& s : r.statements)
        for (const auto& w : s.named_works) {
          ++named;
          resolved += !w.corpus_id.empty();
          matched_reference += !w.reference.empty();
        }
    }
  // Measured: 0.8 named works per review, 76% matched to a references entry,
  // 14% resolved to the corpus (the corpus lacks most arXiv-only and journal papers).
  EXPECT_GT(static_cast<double>(named) / reviews, 0.4);
  EXPECT_GT(static_cast<double>(matched_reference) / named, 0.5);
  EXPECT_GT(static_cast<double>(resolved) / named, 0.05);
  EXPECT_LE(resolved, named);
}

TEST_F(DevSet, HumanCeilingIsComputedAndWeak) {
  AlignmentOptions options;
  options.bootstrap_resamples = 100;
  Json r = ToJson(ComputeHumanOnly(*papers_, options));
  const Json& c = r["human_ceiling"]["conclusion_per_review"];
  ASSERT_TRUE(c["cohens_kappa"].is_number());
  // Reviewers of a paper barely agree on novelty (the dataset's own figure for
  // binary originality scores is kappa 0.02).
  EXPECT_LT(c["cohens_kappa"].get<double>(), 0.4);
  EXPECT_GT(c["accuracy"].get<double>(), 0.3);
  ASSERT_TRUE(r["human_ceiling"]["prior_work_overlap"]["mean"].is_number());
  EXPECT_GT(r["human_ceiling"]["prior_work_overlap"]["n"].get<int>(), 20);
}

}  // namespace
}  // namespace novelta::alignment
