// Properties of review reading measured on the first 200 papers of the real
// NeurIPS 2025 dev set. Skipped when the shared data is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "base/env.h"
#include "base/line_reader.h"
#include "alignment/alignment.h"
#include "alignment/corpus_resolver.h"
#include "alignment/prose_assessment.h"

namespace novelta::alignment {
namespace {

constexpr size_t kPapers = 200;

std::string DevReviews() { return std::string(NOVELTA_SHARED_DATA_DIR) + "/eval/neurips2025-dev.jsonl.gz"; }

class DevSet : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = NOVELTA_SHARED_DATA_DIR;
    const std::string reviews = DevReviews();
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

// A prose assessment that copies the text of a paper's first review, scored
// against the paper's OTHER reviews, agrees with them about as well as
// reviewers agree with each other: prose is read as reviews are. Measured on
// the 200 papers: accuracy 0.546 (kappa 0.01; 75 copies state no conclusion)
// against the first reviewer's own conclusion 0.541 and the human ceiling
// 0.550 (95% CI 0.516-0.589).
TEST_F(DevSet, ProseCopyingAReviewAgreesWithTheOthersAsAReviewerDoes) {
  constexpr size_t kCopied = 200;
  // The first review of each of the first kCopied papers, as a prose file.
  auto reader = LineReader::Open(DevReviews());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const std::string prose_path = testing::TempDir() + "/dev_set_test_prose.jsonl";
  {
    std::ofstream prose(prose_path);
    std::string line;
    for (size_t n = 0; n < kCopied && (*reader)->Next(&line);) {
      auto j = ParseJson(line, "dev set");
      ASSERT_TRUE(j.ok());
      if ((*j)["reviews"].size() < 2) continue;
      prose << DumpJson(Json{{"paper_id", (*j)["id"]}, {"text", (*j)["reviews"][0]["text"]}}) << "\n";
      ++n;
    }
  }
  auto assessments = LoadAssessments(prose_path);
  ASSERT_TRUE(assessments.ok()) << assessments.status().ToString();
  ASSERT_EQ(assessments->size(), kCopied);
  ReadProseAssessments(*papers_, resolver_, &*assessments);

  // The papers without their first review (its copy is the assessment), and
  // the first reviewer's own conclusion as a simple assessment, for comparison.
  std::vector<HumanPaper> full, others;
  std::vector<Assessment> reviewer;
  for (const auto& p : *papers_) {
    if (full.size() == kCopied) break;
    if (p.reviews.size() < 2) continue;
    full.push_back(p);
    HumanPaper o = p;
    o.reviews.erase(o.reviews.begin());
    std::vector<ReviewConclusion> labels;
    for (const auto& r : o.reviews) labels.push_back(r.conclusion);
    o.majority = MajorityConclusion(labels);
    others.push_back(std::move(o));
    if (HasOpinion(p.reviews[0].conclusion)) {
      Assessment a;
      a.paper_id = p.paper_id;
      a.conclusion = p.reviews[0].conclusion;
      a.cited_prior_ids = p.reviews[0].resolved_prior_ids;
      reviewer.push_back(std::move(a));
    }
  }
  ASSERT_EQ(full.size(), kCopied);
  // The copies read exactly as their reviews' texts do.
  for (size_t i = 0; i < kCopied; ++i) {
    ASSERT_EQ((*assessments)[i].paper_id, full[i].paper_id);
    EXPECT_EQ((*assessments)[i].conclusion, full[i].reviews[0].text_conclusion) << full[i].paper_id;
    EXPECT_EQ((*assessments)[i].cited_prior_ids, full[i].reviews[0].resolved_prior_ids);
  }

  AlignmentOptions options;
  options.bootstrap_resamples = 200;
  const AlignmentResult copy = ComputeAlignment(*assessments, others, options);
  const AlignmentResult first_reviewer = ComputeAlignment(reviewer, others, options);
  const HumanCeiling ceiling = ComputeHumanOnly(full, options).human_ceiling;
  const Agreement& c = copy.conclusion.per_review.assessment;
  const Agreement& h = ceiling.conclusion_per_review;
  std::printf("prose copy of review 1 vs the other reviews (%zu papers, %zu without a conclusion): "
              "accuracy %.3f [%.3f, %.3f] kappa %.3f (n=%zu); review 1's own conclusion %.3f kappa "
              "%.3f (n=%zu); human ceiling %.3f [%.3f, %.3f] kappa %.3f (n=%zu); prior-work overlap "
              "copy %.3f (n=%zu) ceiling %.3f\n",
              kCopied, copy.prose_reading.without_conclusion, c.accuracy, c.accuracy_ci95.low,
              c.accuracy_ci95.high, c.cohens_kappa, c.n_pairs,
              first_reviewer.conclusion.per_review.assessment.accuracy,
              first_reviewer.conclusion.per_review.assessment.cohens_kappa,
              first_reviewer.conclusion.per_review.assessment.n_pairs, h.accuracy, h.accuracy_ci95.low,
              h.accuracy_ci95.high, h.cohens_kappa, h.n_pairs, copy.reasoning.prior_work_overlap.mean,
              copy.reasoning.prior_work_overlap.n, ceiling.prior_work_overlap.mean);
  std::printf("majority-class baseline (%s) on the copy's pairs: accuracy %.3f\n",
              ReviewConclusionName(copy.conclusion.majority_class),
              copy.conclusion.per_review.baseline_majority_class.accuracy);
  EXPECT_EQ(copy.input, "prose");
  EXPECT_EQ(copy.counts.papers_matched, kCopied);
  EXPECT_EQ(copy.counts.assessments_no_conclusion_excluded, copy.prose_reading.without_conclusion);
  EXPECT_LT(copy.prose_reading.without_conclusion, kCopied / 2);
  ASSERT_GT(c.n_pairs, 50u);
  // Within the human-human range: the ceiling's interval widened by the
  // copy's own sampling error (its interval's half width).
  const double slack = (c.accuracy_ci95.high - c.accuracy_ci95.low) / 2;
  EXPECT_GE(c.accuracy, h.accuracy_ci95.low - slack);
  EXPECT_LE(c.accuracy, h.accuracy_ci95.high + slack);
  EXPECT_LT(std::fabs(c.cohens_kappa - h.cohens_kappa), 0.3);
  // And close to the first reviewer's own (score-led) conclusion against the same reviews.
  EXPECT_LT(std::fabs(c.accuracy - first_reviewer.conclusion.per_review.assessment.accuracy), 0.1);
}

}  // namespace
}  // namespace novelta::alignment
