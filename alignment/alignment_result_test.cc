#include "alignment/alignment_result.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alignment/alignment.h"
#include "alignment/corpus_resolver.h"

namespace novelta::alignment {
namespace {

std::string TestData(const std::string& name) {
  return std::string(NOVELTA_SOURCE_DIR) + "/alignment/testdata/" + name;
}

// The JSON holds exactly the typed figures, with each human ceiling beside the
// measure it bounds.
TEST(AlignmentResult, JsonHoldsTheTypedFigures) {
  auto corpus = CorpusPriorWorkResolver::Load(TestData("corpus.jsonl"));
  ASSERT_TRUE(corpus.ok());
  HumanLoadOptions load;
  load.resolver = corpus->get();
  auto papers = LoadHumanPapers(TestData("reviews.jsonl"), load);
  ASSERT_TRUE(papers.ok());
  auto assessments = LoadAssessments(TestData("assessments.jsonl"));
  ASSERT_TRUE(assessments.ok());
  AlignmentOptions options;
  options.bootstrap_resamples = 50;
  AlignmentResult r = ComputeAlignment(*assessments, *papers, options);
  Json j = ToJson(r);

  EXPECT_EQ(r.counts.papers_matched, 3u);
  EXPECT_EQ(r.counts.first_assessments_without_reviews, std::vector<std::string>{"P9"});
  EXPECT_EQ(j["counts"]["first_assessments_without_reviews"], Json::array({"P9"}));
  const Agreement& a = r.conclusion.per_review.assessment;
  EXPECT_EQ(j["conclusion"]["per_review"]["assessment"]["accuracy"].get<double>(), a.accuracy);
  EXPECT_EQ(j["conclusion"]["per_review"]["assessment"]["accuracy_ci95"][0].get<double>(),
            a.accuracy_ci95.low);
  EXPECT_EQ(j["conclusion"]["per_review"]["assessment"]["n_pairs"], a.n_pairs);
  EXPECT_EQ(j["conclusion"]["per_review"]["human_ceiling"], ToJson(r.human_ceiling.conclusion_per_review));
  EXPECT_EQ(j["conclusion"]["per_paper"]["human_ceiling"], ToJson(r.human_ceiling.conclusion_per_paper));
  EXPECT_EQ(j["conclusion"]["per_review"]["baseline_majority_class"]["label"],
            ReviewConclusionName(r.conclusion.majority_class));
  EXPECT_EQ(j["conclusion"]["per_paper"]["baseline_majority_class"],
            ToJson(r.conclusion.per_paper.baseline_majority_class));
  EXPECT_EQ(j["reasoning"]["prior_work_overlap"]["assessment"], ToJson(r.reasoning.prior_work_overlap));
  EXPECT_EQ(j["reasoning"]["aspect_f1"]["human_ceiling"], ToJson(r.human_ceiling.aspect_f1));
  EXPECT_EQ(j["conclusion"]["originality_spearman"]["n_papers"], r.conclusion.originality_spearman_n_papers);
  EXPECT_EQ(j["review_reading"], ToJson(r.review_reading));
  ASSERT_EQ(j["papers"].size(), r.papers.size());
  EXPECT_EQ(j["papers"][0]["assessment"]["conclusion"], ReviewConclusionName(r.papers[0].conclusion));
  EXPECT_FALSE(j["papers"][0]["reviews"][0].contains("statements"));
}

TEST(AlignmentResult, UndefinedFiguresAreNullAndEmptyListsAbsent) {
  AlignmentResult r = ComputeAlignment({}, {}, {});
  EXPECT_TRUE(std::isnan(r.conclusion.per_review.assessment.accuracy));
  EXPECT_TRUE(std::isnan(r.reasoning.aspect_f1.mean));
  Json j = ToJson(r);
  EXPECT_TRUE(j["conclusion"]["per_review"]["assessment"]["accuracy"].is_null());
  EXPECT_TRUE(j["reasoning"]["aspect_f1"]["assessment"]["mean"].is_null());
  EXPECT_FALSE(j["counts"].contains("first_assessments_without_reviews"));
  EXPECT_EQ(j["review_reading"]["named_works"]["by_kind"], Json::object());
  EXPECT_TRUE(j["review_reading"]["share_reviews_with_stance"].is_null());

  Interval nan_interval{std::nan(""), 0.5};
  EXPECT_EQ(ToJson(nan_interval), Json::parse("[null, 0.5]"));
}

TEST(AlignmentResult, HumanOnlyKeepsStatementsWhenAsked) {
  HumanPaper p;
  p.paper_id = "A";
  p.reviews.push_back(ReadReview("The method is not novel.", 2, {}));
  AlignmentOptions options;
  options.bootstrap_resamples = 10;
  options.include_statements = true;
  HumanOnlyResult r = ComputeHumanOnly({p}, options);
  EXPECT_EQ(r.review_reading.n_statements, 1u);
  Json j = ToJson(r);
  EXPECT_EQ(j["mode"], "human_only");
  EXPECT_EQ(j["papers"][0]["reviews"][0]["statements"].size(), 1u);
  EXPECT_EQ(j["human_ceiling"], ToJson(r.human_ceiling));
}

}  // namespace
}  // namespace novelta::alignment
