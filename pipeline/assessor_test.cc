// End to end: build an index of the fixture corpus, assess a submission.
#include "novelta/assessor.h"
#include "pipeline/retrieve/related_reranker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "index/test_index_util.h"
#include "pipeline/compare/comparer.h"

namespace novelta {
namespace {

Submission OversmoothingPaper() {
  Submission s;
  s.id = "sub-1";
  s.title = "Pairwise Normalization Against Oversmoothing";
  s.abstract =
      "Deep graph neural networks lose accuracy as they grow deeper. "
      "We propose a normalization layer that keeps pairwise distances between node features "
      "constant across layers. We show that it allows training graph networks with dozens of layers "
      "and improves node classification accuracy on citation networks.";
  s.submitted = *Date::Parse("2021-06-01");
  s.references = {"[1] Thomas N. Kipf and Max Welling. Graph convolutional networks for "
                  "semi-supervised node classification. In ICLR, 2017."};
  s.format = "json";
  s.source = "test";
  return s;
}

class AssessorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = OpenAssessor(testing::FixtureIndexDir());
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    assessor_ = std::move(a).value().release();
  }
  static void TearDownTestSuite() { delete assessor_; }
  static Assessor* assessor_;
};
Assessor* AssessorTest::assessor_ = nullptr;

TEST_F(AssessorTest, ProducesAnEvidenceBackedReport) {
  Submission sub = OversmoothingPaper();
  auto report = assessor_->Assess(sub, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  Json j = ToJson(*report);
  EXPECT_EQ(j["submission"]["id"], "sub-1");
  EXPECT_EQ(j["cutoff"], "2021-06-01");
  ASSERT_GE(report->claims.size(), 2u);
  for (const auto& ac : report->claims) {
    const std::string& field = ac.claim.span.field == "abstract" ? sub.abstract : sub.introduction;
    EXPECT_EQ(field.substr(ac.claim.span.start, ac.claim.span.end - ac.claim.span.start), ac.claim.text);
  }
  // Prior work only: nothing from 2021 or later, and the cited GCN paper is marked.
  bool gcn_cited = false;
  for (const auto& w : report->related_work) {
    EXPECT_LT(w.year, 2021) << w.id;
    EXPECT_GT(w.year, 0) << w.id;  // undated papers are never prior
    if (w.id == "fx-gnn-01") gcn_cited = w.cited;
    else EXPECT_FALSE(w.cited) << w.id;
  }
  EXPECT_TRUE(gcn_cited);
  // The normalization claim is anticipated by the 2020 oversmoothing paper, quoted verbatim.
  bool anticipated_by_gnn04 = false;
  for (const auto& ac : report->claims)
    for (const auto& e : ac.verdict.evidence) {
      for (const auto& w : report->related_work)
        if (w.id == e.prior_id) EXPECT_TRUE(EvidenceIsVerbatim(e, w.abstract));
      anticipated_by_gnn04 |= ac.verdict.verdict == Verdict::kAnticipated && e.prior_id == "fx-gnn-04";
    }
  EXPECT_TRUE(anticipated_by_gnn04);
  EXPECT_NE(report->reasoning.find("Oversmoothing in Deep Graph Neural Networks"), std::string::npos)
      << report->reasoning;
  EXPECT_GE(report->novelty_score, 0.0);
  EXPECT_LE(report->novelty_score, 1.0);
  for (const char* stage : {"extract", "retrieve", "compare", "total"})
    EXPECT_TRUE(report->timing_ms.count(stage)) << stage;
  auto back = ReportFromJson(j);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ToJson(*back), j);
}

TEST_F(AssessorTest, CutoffOverrideAndSelfExclusion) {
  Submission sub = OversmoothingPaper();
  sub.title = "Oversmoothing in deep graph neural networks";  // the fixture paper's own title
  sub.submitted = Date();
  AssessParams p;
  p.top_k = 25;
  auto report = assessor_->Assess(sub, p);
  ASSERT_TRUE(report.ok());
  for (const auto& w : report->related_work) EXPECT_NE(w.id, "fx-gnn-04");
  p.cutoff = Date::Year(2019);
  report = assessor_->Assess(sub, p);
  ASSERT_TRUE(report.ok());
  for (const auto& w : report->related_work) EXPECT_LT(w.year, 2019);
  EXPECT_EQ(report->cutoff.ToString(), "2019");
}

TEST_F(AssessorTest, StagesAloneAndBadInput) {
  Submission sub = OversmoothingPaper();
  auto claims = assessor_->ExtractClaims(sub);
  ASSERT_TRUE(claims.ok());
  EXPECT_FALSE(claims->empty());
  auto related = assessor_->FindRelated(sub, {});
  ASSERT_TRUE(related.ok());
  EXPECT_FALSE(related->empty());
  EXPECT_EQ(assessor_->index_summary().n_papers, 30u);

  Submission empty;
  empty.title = "No abstract";
  auto r = assessor_->Assess(empty, {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  AssessParams bad;
  bad.top_k = 0;
  EXPECT_TRUE(assessor_->Assess(sub, bad).status().IsInvalidArgument());
  EXPECT_TRUE(OpenAssessor("/nonexistent").status().IsNotFound());
}

TEST(AssessorOptionsTest, CitationQueriesSearchTheSentencesThatCite) {
  Submission sub;
  sub.id = "cites";
  sub.title = "A Study of Image Generators";
  sub.abstract = "We study how image generators trade sample quality for speed on standard benchmarks.";
  sub.submitted = *Date::Parse("2023-01-01");
  sub.fulltext =
      "# A Study of Image Generators\n\n## Method\n\n"
      "Our sampler starts from denoising diffusion probabilistic models as introduced by Ho et al. "
      "and keeps their noise schedule.\n\n"
      "This sentence cites nothing and is long enough to be searched were it a citing one.\n\n"
      "## Experiments\n\nWe also compare with graph convolutional networks for node classification [7] "
      "on the same hardware.\n";
  AssessorOptions options;
  options.retrieve.max_citation_queries = 8;
  auto with = OpenAssessor(testing::FixtureIndexDir(), options);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  auto related = (*with)->FindRelated(sub, {});
  ASSERT_TRUE(related.ok()) << related.status().ToString();
  std::set<std::string> found_by_citation;
  for (const auto& w : *related)
    for (const auto& tag : w.matched_by)
      if (tag == "citation") found_by_citation.insert(w.id);
  // Both citing sentences bring their paper in; the abstract alone mentions neither.
  EXPECT_TRUE(found_by_citation.count("fx-dif-01")) << found_by_citation.size();
  bool gnn = false;
  for (const auto& id : found_by_citation) gnn |= id.rfind("fx-gnn", 0) == 0;
  EXPECT_TRUE(gnn);

  options.retrieve.max_citation_queries = 0;  // off
  auto without = OpenAssessor(testing::FixtureIndexDir(), options);
  ASSERT_TRUE(without.ok());
  related = (*without)->FindRelated(sub, {});
  ASSERT_TRUE(related.ok());
  for (const auto& w : *related)
    for (const auto& tag : w.matched_by) EXPECT_NE(tag, "citation") << w.id;
}

// Claims on two topics of the fixture corpus, so that its queries find more
// papers than one query's top_k.
Submission TwoTopicSubmission() {
  Submission sub;
  sub.id = "two-topics";
  sub.title = "Graph Attention for Node Classification";
  sub.abstract =
      "We propose a graph neural network with attention for node classification. We also show that "
      "policy gradient reinforcement learning with a clipped objective trains it stably.";
  sub.submitted = *Date::Parse("2023-01-01");
  return sub;
}

// The related work of TwoTopicSubmission() under `options`, 3 per query.
StatusOr<std::vector<PriorWork>> TwoTopicRelated(const AssessorOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(auto assessor, OpenAssessor(testing::FixtureIndexDir(), options));
  AssessParams params;
  params.top_k = 3;
  return assessor->FindRelated(TwoTopicSubmission(), params);
}

TEST(AssessorOptionsTest, RecordedRerankFeaturesCoverTheWholePool) {
  AssessorOptions options;
  options.retrieve.rerank_model = "none";
  options.retrieve.record_rerank_features = true;
  options.retrieve.max_related = 3;
  options.retrieve.rerank_pool = 8;
  auto related = TwoTopicRelated(options);
  ASSERT_TRUE(related.ok()) << related.status().ToString();
  // Recording retrieves the whole pool in merged order, each with its features.
  EXPECT_GT(related->size(), 3u);
  EXPECT_LE(related->size(), 8u);
  for (size_t i = 0; i < related->size(); ++i) {
    EXPECT_EQ((*related)[i].detail->signals.merged_rank, static_cast<int>(i));
    EXPECT_EQ((*related)[i].detail->rerank_features.size(), RerankFeatureNames().size());
  }
}

TEST(AssessorOptionsTest, TheShippedRerankerReordersAndCutsThePool) {
  AssessorOptions options;
  options.retrieve.max_related = 3;
  options.retrieve.rerank_pool = 8;
  auto related = TwoTopicRelated(options);
  ASSERT_TRUE(related.ok()) << related.status().ToString();
  ASSERT_EQ(related->size(), 3u);
  options.retrieve.rerank_model = "none";
  options.retrieve.record_rerank_features = true;
  auto all = TwoTopicRelated(options);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_GT(all->size(), 3u);  // the cut is exercised
  // The listed three are the pool's three most probable, in that order,
  // each scored by its probability.
  auto model = RelatedReranker::Load(NOVELTA_SOURCE_DIR "/models/rerank/reranker.json");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<std::pair<double, std::string>> expected;
  for (const auto& w : *all) expected.emplace_back((*model)->Probability(w.detail->rerank_features), w.id);
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*related)[i].id, expected[i].second) << i;
    EXPECT_NEAR((*related)[i].score, expected[i].first, 1e-9) << i;
  }
}

TEST_F(AssessorTest, AbstractWithoutContributionStatementStillGetsAReport) {
  Submission sub;
  sub.id = "plain";
  sub.title = "Notes";
  sub.abstract = "Diffusion models generate images by iterative denoising.";
  auto r = assessor_->Assess(sub, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->claims.empty());
  EXPECT_FALSE(r->related_work.empty());
}

}  // namespace
}  // namespace novelta
