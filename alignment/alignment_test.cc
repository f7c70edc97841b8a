#include "alignment/alignment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "base/env.h"
#include "alignment/corpus_resolver.h"

namespace novelta::alignment {
namespace {

std::string TestData(const std::string& name) {
  return std::string(NOVELTA_SOURCE_DIR) + "/alignment/testdata/" + name;
}

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = testing::TempDir() + "/alignment_test_" + name;
  std::ofstream(path) << contents;
  return path;
}

class AlignmentFixture : public testing::Test {
 protected:
  void SetUp() override {
    auto corpus = CorpusPriorWorkResolver::Load(TestData("corpus.jsonl"));
    ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
    corpus_ = std::move(*corpus);
    HumanLoadOptions options;
    options.resolver = corpus_.get();
    auto papers = LoadHumanPapers(TestData("reviews.jsonl"), options);
    ASSERT_TRUE(papers.ok()) << papers.status().ToString();
    papers_ = std::move(*papers);
    auto assessments = LoadAssessments(TestData("assessments.jsonl"));
    ASSERT_TRUE(assessments.ok()) << assessments.status().ToString();
    assessments_ = std::move(*assessments);
  }

  std::unique_ptr<CorpusPriorWorkResolver> corpus_;
  std::vector<HumanPaper> papers_;
  std::vector<Assessment> assessments_;
};

TEST_F(AlignmentFixture, ReadsBothAssessmentFormats) {
  ASSERT_EQ(assessments_.size(), 4u);
  // The novelta report: id, conclusion, cited related work, claim types as aspects.
  EXPECT_EQ(assessments_[0].paper_id, "P1");
  EXPECT_EQ(assessments_[0].conclusion, ReviewConclusion::kIncremental);
  ASSERT_EQ(assessments_[0].cited_prior_ids.size(), 1u);
  EXPECT_EQ(assessments_[0].cited_prior_ids[0], "corpus:steinke2023");
  ASSERT_EQ(assessments_[0].claim_aspects.size(), 2u);
  EXPECT_EQ(assessments_[0].claim_aspects[0], Aspect::kTheory);
  EXPECT_EQ(assessments_[0].claim_aspects[1], Aspect::kMethod);
  // The simple form, with and without cited ids.
  EXPECT_EQ(assessments_[1].paper_id, "P2");
  EXPECT_EQ(assessments_[1].cited_prior_ids.size(), 1u);
  EXPECT_TRUE(assessments_[2].cited_prior_ids.empty());
  EXPECT_EQ(assessments_[3].conclusion, ReviewConclusion::kNotNovel);
  // A JSON array holds the same assessments.
  auto array = LoadAssessments(TestData("assessments_array.json"));
  ASSERT_TRUE(array.ok()) << array.status().ToString();
  ASSERT_EQ(array->size(), assessments_.size());
  for (size_t i = 0; i < array->size(); ++i) {
    EXPECT_EQ((*array)[i].paper_id, assessments_[i].paper_id);
    EXPECT_EQ((*array)[i].conclusion, assessments_[i].conclusion);
    EXPECT_EQ((*array)[i].reasoning, assessments_[i].reasoning);
  }
}

TEST_F(AlignmentFixture, ReadsReviewsIntoHumanPapers) {
  ASSERT_EQ(papers_.size(), 4u);
  const HumanPaper& p1 = papers_[0];
  EXPECT_EQ(p1.n_references, 2u);
  ASSERT_EQ(p1.reviews.size(), 3u);
  EXPECT_EQ(p1.reviews[0].conclusion, ReviewConclusion::kIncremental);
  EXPECT_EQ(p1.reviews[1].conclusion, ReviewConclusion::kNovel);
  EXPECT_EQ(p1.reviews[2].conclusion, ReviewConclusion::kIncremental);
  EXPECT_EQ(p1.majority, ReviewConclusion::kIncremental);
  // "Steinke et al. (2023)" and "[2]" resolve through the paper's references.
  ASSERT_EQ(p1.reviews[0].resolved_prior_ids.size(), 2u);
  EXPECT_EQ(p1.reviews[0].resolved_prior_ids[0], "corpus:steinke2023");
  EXPECT_EQ(p1.reviews[0].resolved_prior_ids[1], "corpus:shokri2017");
  const HumanPaper& p2 = papers_[1];
  EXPECT_EQ(p2.reviews[2].originality, 0);
  EXPECT_EQ(p2.reviews[2].conclusion, ReviewConclusion::kNotNovel);  // text alone
  ASSERT_EQ(p2.reviews[1].resolved_prior_ids.size(), 1u);
  EXPECT_EQ(p2.reviews[1].resolved_prior_ids[0], "corpus:vaswani2017");  // a quoted title
  EXPECT_EQ(p2.majority, ReviewConclusion::kNovel);
  EXPECT_EQ(papers_[2].reviews[1].conclusion, ReviewConclusion::kNoOpinion);
}

TEST_F(AlignmentFixture, EndToEndFigures) {
  AlignmentOptions options;
  options.bootstrap_resamples = 200;
  Json r = ToJson(ComputeAlignment(assessments_, papers_, options));
  EXPECT_EQ(r["counts"]["papers_matched"], 3);
  EXPECT_EQ(r["counts"]["assessments_without_reviews"], 1);  // P9
  EXPECT_EQ(r["counts"]["reviews_no_opinion_excluded"], 1);  // P3's second review

  // Per review: (assessment, review) pairs, rows the assessment:
  //   P1 incremental vs inc, novel, inc; P2 novel vs novel, novel, not_novel; P3 novel vs novel.
  // Confusion rows novel [3,0,1], incremental [1,2,0]; accuracy 5/7;
  // p_e = (4*4 + 3*2) / 49 = 22/49; kappa = (35/49 - 22/49) / (27/49) = 13/27.
  const Json& per_review = r["conclusion"]["per_review"]["assessment"];
  EXPECT_EQ(per_review["n_pairs"], 7);
  EXPECT_NEAR(per_review["accuracy"].get<double>(), 5.0 / 7.0, 1e-12);
  EXPECT_NEAR(per_review["cohens_kappa"].get<double>(), 13.0 / 27.0, 1e-12);
  EXPECT_EQ(per_review["confusion"], Json::parse("[[3,0,1],[1,2,0],[0,0,0]]"));
  double lo = per_review["accuracy_ci95"][0].get<double>(), hi = per_review["accuracy_ci95"][1].get<double>();
  EXPECT_LE(lo, 5.0 / 7.0);
  EXPECT_GE(hi, 5.0 / 7.0);
  // Per paper: every majority matches; kappa 1.
  const Json& per_paper = r["conclusion"]["per_paper"]["assessment"];
  EXPECT_EQ(per_paper["n_pairs"], 3);
  EXPECT_DOUBLE_EQ(per_paper["accuracy"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(per_paper["cohens_kappa"].get<double>(), 1.0);
  // Human ceiling per review: ordered pairs within P1 (inc, novel, inc) and
  // P2 (novel, novel, not_novel) agree 2 of 6 times each: 4/12.
  const Json& ceiling = r["conclusion"]["per_review"]["human_ceiling"];
  EXPECT_EQ(ceiling["n_pairs"], 12);
  EXPECT_NEAR(ceiling["accuracy"].get<double>(), 4.0 / 12.0, 1e-12);
  // Krippendorff's alpha of the humans: coincidences inc-inc 1, inc-nov 2,
  // nov-nov 1, nov-not 2; n = 6 with marginals 2, 3, 1; off-diagonal 4;
  // sum n_c n_k (c != k) = 36 - 14 = 22; alpha = 1 - 5 * 4 / 22.
  EXPECT_NEAR(r["conclusion"]["krippendorff_alpha"]["humans"].get<double>(), 1.0 - 20.0 / 22.0, 1e-12);
  // Baselines: the majority class of the 7 opinions is novel (4 of 7).
  EXPECT_EQ(r["conclusion"]["per_review"]["baseline_majority_class"]["label"], "novel");
  EXPECT_NEAR(r["conclusion"]["per_review"]["baseline_majority_class"]["agreement"]["accuracy"].get<double>(),
              4.0 / 7.0, 1e-12);
  EXPECT_EQ(r["conclusion"]["per_review"]["baseline_uniform_random"]["n_pairs"], 7);

  // Prior-work overlap: P1 reviews name {steinke, shokri}, {steinke},
  // {steinke} and the report cites steinke: 1/2, 1, 1; P2 reviews name
  // vaswani (cited) and he (not): 1, 0. Mean 3.5 / 5.
  const Json& overlap = r["reasoning"]["prior_work_overlap"];
  EXPECT_EQ(overlap["assessment"]["n"], 5);
  EXPECT_NEAR(overlap["assessment"]["mean"].get<double>(), 0.7, 1e-12);
  // Ceiling: P1 1/2, 1, 1; P2 each reviewer's work is not named by the other: 0, 0.
  EXPECT_NEAR(overlap["human_ceiling"]["mean"].get<double>(), 0.5, 1e-12);

  const Json& aspects = r["reasoning"]["aspect_f1"]["assessment"];
  EXPECT_GT(aspects["n"].get<int>(), 0);
  EXPECT_GE(aspects["mean"].get<double>(), 0.0);
  EXPECT_LE(aspects["mean"].get<double>(), 1.0);
  const Json& sim = r["reasoning"]["rationale_similarity"]["assessment"];
  EXPECT_GT(sim["mean"].get<double>(), 0.0);
  EXPECT_LT(sim["mean"].get<double>(), 1.0);

  // The same seed gives the same document; another seed moves the intervals only.
  Json again = ToJson(ComputeAlignment(assessments_, papers_, options));
  EXPECT_EQ(DumpJson(again), DumpJson(r));
  options.seed = 7;
  Json other = ToJson(ComputeAlignment(assessments_, papers_, options));
  EXPECT_EQ(other["conclusion"]["per_review"]["assessment"]["accuracy"], per_review["accuracy"]);

  // Written to DIR/alignment.json.
  std::string dir = testing::TempDir() + "/alignment_test_out";
  ASSERT_TRUE(WriteAlignment(r, dir, Env::Default()).ok());
  std::string text;
  ASSERT_TRUE(Env::Default()->ReadFile(dir + "/alignment.json", &text).ok());
  auto parsed = ParseJson(text, "alignment.json");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["counts"], r["counts"]);
  EXPECT_EQ((*parsed)["papers"].size(), 3u);
}

TEST_F(AlignmentFixture, HumanOnlyMode) {
  AlignmentOptions options;
  options.bootstrap_resamples = 100;
  Json r = ToJson(ComputeHumanOnly(papers_, options));
  EXPECT_EQ(r["review_reading"]["n_papers"], 4);
  EXPECT_EQ(r["review_reading"]["n_reviews"], 9);
  // Named: Steinke (2023), [2], Steinke [1] twice, two quoted titles; all resolve.
  EXPECT_EQ(r["review_reading"]["named_works"]["named"], 6);
  EXPECT_EQ(r["review_reading"]["named_works"]["resolved_to_corpus"], 6);
  EXPECT_NEAR(r["human_ceiling"]["prior_work_overlap"]["mean"].get<double>(), 0.5, 1e-12);
  EXPECT_EQ(r["papers"].size(), 4u);
}

TEST(AlignmentInputs, ClearErrorsOnBadInput) {
  auto bad_json = LoadAssessments(TestData("bad_assessments.jsonl"));
  ASSERT_FALSE(bad_json.ok());
  EXPECT_NE(bad_json.status().message().find("bad_assessments.jsonl:2"), std::string::npos)
      << bad_json.status().ToString();
  auto bad_conclusion = LoadAssessments(TestData("bad_conclusion.jsonl"));
  ASSERT_FALSE(bad_conclusion.ok());
  EXPECT_NE(bad_conclusion.status().message().find("groundbreaking"), std::string::npos);
  EXPECT_TRUE(LoadAssessments(TestData("no_such_file.jsonl")).status().IsNotFound() ||
              LoadAssessments(TestData("no_such_file.jsonl")).status().IsIOError());
  auto twice = LoadAssessments(WriteTemp(
      "twice.jsonl", "{\"paper_id\":\"A\",\"conclusion\":\"novel\"}\n{\"paper_id\":\"A\",\"conclusion\":\"novel\"}\n"));
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("twice"), std::string::npos);
  auto not_array = LoadAssessments(WriteTemp("array.json", "[{\"paper_id\": 3}]"));
  ASSERT_FALSE(not_array.ok());
  EXPECT_NE(not_array.status().message().find("[0]"), std::string::npos) << not_array.status().ToString();

  auto bad_reviews = LoadHumanPapers(WriteTemp(
      "reviews.jsonl", "{\"id\":\"A\",\"reviews\":[]}\n{\"id\":\"B\",\"reviews\":[{\"text\":\"x\",\"originality\":9}]}\n"));
  ASSERT_FALSE(bad_reviews.ok());
  EXPECT_NE(bad_reviews.status().message().find(":2"), std::string::npos);
  EXPECT_NE(bad_reviews.status().message().find("originality"), std::string::npos);
  auto no_reviews = LoadHumanPapers(WriteTemp("noreviews.jsonl", "{\"id\":\"A\"}\n"));
  ASSERT_FALSE(no_reviews.ok());
  EXPECT_NE(no_reviews.status().message().find("reviews"), std::string::npos);
}

TEST(AlignmentInputs, CorpusResolver) {
  auto corpus = CorpusPriorWorkResolver::Load(WriteTemp(
      "corpus.jsonl",
      "{\"id\":\"a\",\"title\":\"Attention Is All You Need\",\"year\":2017}\n"
      "{\"id\":\"b\"}\n"
      "\n"
      "{\"id\":\"c\",\"title\":\"Deep Residual Learning for Image Recognition\",\"year\":2016}\n"));
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  EXPECT_EQ((*corpus)->size(), 2u);
  EXPECT_EQ((*corpus)->skipped_lines(), 1u);  // no title
  EXPECT_EQ((*corpus)->ResolveTitle("attention is all you need!", 0), "a");
  EXPECT_EQ((*corpus)->ResolveTitle("Attention", 0), "");
  EXPECT_EQ((*corpus)->ResolveReference(
                "[7] K. He et al. Deep residual learning for image recognition. In CVPR, 2016."),
            "c");
  EXPECT_EQ((*corpus)->ResolveReference("[8] Someone. A paper not in the corpus. 2020."), "");
  auto bad = CorpusPriorWorkResolver::Load(
      WriteTemp("bad_corpus.jsonl", "{\"id\":\"a\",\"title\":\"A B C\"}\n{\"id\": \n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad_corpus.jsonl:2"), std::string::npos)
      << bad.status().ToString();
}

TEST(AlignmentInputs, NoAssessmentMatchesGivesNullFiguresNotZeros) {
  std::vector<Assessment> none;
  Json r = ToJson(ComputeAlignment(none, {}, {}));
  EXPECT_EQ(r["counts"]["papers_matched"], 0);
  EXPECT_TRUE(r["conclusion"]["per_review"]["assessment"]["accuracy"].is_null());
  EXPECT_TRUE(r["conclusion"]["per_review"]["assessment"]["cohens_kappa"].is_null());
}

TEST(AlignmentHelpers, MajorityAndTfIdf) {
  using RC = ReviewConclusion;
  EXPECT_EQ(MajorityConclusion({}), RC::kNoOpinion);
  EXPECT_EQ(MajorityConclusion({RC::kNoOpinion}), RC::kNoOpinion);
  EXPECT_EQ(MajorityConclusion({RC::kNovel, RC::kIncremental, RC::kIncremental}), RC::kIncremental);
  // Tie novel/not_novel with mean 1: equally near, the more novel wins.
  EXPECT_EQ(MajorityConclusion({RC::kNovel, RC::kNotNovel}), RC::kNovel);
  // Tie novel/incremental with not_novel present: mean (0+1+2+0+1)/5 = 0.8, incremental nearer.
  EXPECT_EQ(MajorityConclusion({RC::kNovel, RC::kIncremental, RC::kNotNovel, RC::kNovel, RC::kIncremental}),
            RC::kIncremental);

  TfIdf tfidf({"graph neural networks for molecules", "graph neural networks for molecules",
               "diffusion models for images", ""});
  EXPECT_NEAR(tfidf.Cosine(0, 1), 1.0, 1e-9);
  EXPECT_NEAR(tfidf.Cosine(0, 2), 0.0, 1e-9);
  EXPECT_EQ(tfidf.Cosine(0, 3), 0.0);
}

}  // namespace
}  // namespace novelta::alignment
