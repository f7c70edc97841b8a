#include "pipeline/compare/comparer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "pipeline/retrieve/retriever.h"
#include "index/test_index_util.h"

namespace novelta {
namespace {

class ComparerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = PaperIndex::Open(testing::FixtureIndexDir());
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    index_ = std::move(idx).value();
  }
  std::vector<PriorWork> Related(const std::string& text) {
    Retriever r(index_.get());
    RetrievalRequest o;
    o.top_k = 10;
    return r.Retrieve({{"paper", text}}, o).value();
  }
  // Works retrieved for `text`, in a report of a submission titled `title`.
  NoveltyReport ReportWith(const std::string& text) {
    NoveltyReport r;
    r.related_work = Related(text);
    return r;
  }
  // Evidence chosen by similarity alone (the evidence model has its own tests).
  static CompareOptions BySimilarity() {
    CompareOptions o;
    o.evidence_model = "none";
    return o;
  }
  static Claim MakeClaim(const std::string& id, const std::string& text) {
    Claim c;
    c.id = id;
    c.text = text;
    c.span = {"abstract", 0, text.size()};
    c.score = 0.9;
    return c;
  }
  std::unique_ptr<PaperIndex> index_;
};

TEST_F(ComparerTest, RestatedPriorClaimIsAnticipatedWithAVerbatimQuote) {
  Comparer cmp(index_.get(), BySimilarity());
  Claim c = MakeClaim("c1",
                      "We propose a normalization layer that keeps pairwise distances between node "
                      "features constant, so deep graph neural networks do not oversmooth.");
  NoveltyReport report = ReportWith(c.text);
  const auto& related = report.related_work;
  ClaimVerdict v = cmp.CompareClaim(c, report);
  ASSERT_FALSE(v.evidence.empty());
  EXPECT_EQ(v.evidence[0].prior_id, "fx-gnn-04");
  EXPECT_EQ(v.verdict, Verdict::kAnticipated) << v.max_similarity;
  EXPECT_GE(v.confidence, 0.5);
  EXPECT_LE(v.confidence, 1.0);
  for (const auto& e : v.evidence) {
    const PriorWork* w = nullptr;
    for (const auto& r : related)
      if (r.id == e.prior_id) w = &r;
    ASSERT_NE(w, nullptr);
    EXPECT_TRUE(EvidenceIsVerbatim(e, w->abstract)) << e.quote;
  }
  // At most one passage per prior paper.
  for (size_t i = 0; i < v.evidence.size(); ++i)
    for (size_t j = i + 1; j < v.evidence.size(); ++j)
      EXPECT_NE(v.evidence[i].prior_id, v.evidence[j].prior_id);
  bool shares_pairwise = false;
  for (const auto& t : v.evidence[0].shared_terms) shares_pairwise |= t == "pairwise";
  EXPECT_TRUE(shares_pairwise);
}

TEST_F(ComparerTest, StoredPassagePiecesGiveTheSameVerdictsAsTokenizing) {
  Comparer cmp(index_.get(), BySimilarity());
  Claim c = MakeClaim("c1",
                      "We propose a normalization layer that keeps pairwise distances between node "
                      "features constant, so deep graph neural networks do not oversmooth.");
  NoveltyReport report = ReportWith(c.text), tokenized = report;
  const auto& related = report.related_work;
  size_t stored = 0;
  for (const auto& w : related)
    stored += w.detail->passage_pieces.size() == w.detail->passages.size() && !w.detail->passages.empty();
  EXPECT_EQ(stored, related.size());  // the fixture index stores every passage's pieces
  for (auto& w : tokenized.related_work) {
    w.detail = std::make_shared<WorkDetail>(*w.detail);  // a copy of its own, not the original's
    w.detail->passage_pieces.clear();
  }
  ClaimVerdict a = cmp.CompareClaim(c, report), b = cmp.CompareClaim(c, tokenized);
  ASSERT_EQ(a.evidence.size(), b.evidence.size());
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_DOUBLE_EQ(a.max_similarity, b.max_similarity);
  for (size_t i = 0; i < a.evidence.size(); ++i) {
    EXPECT_EQ(a.evidence[i].prior_id, b.evidence[i].prior_id);
    EXPECT_EQ(a.evidence[i].quote, b.evidence[i].quote);
    EXPECT_DOUBLE_EQ(a.evidence[i].similarity, b.evidence[i].similarity);
  }
}

TEST_F(ComparerTest, UnrelatedClaimIsNovel) {
  Comparer cmp(index_.get(), BySimilarity());
  Claim c = MakeClaim("c2", "We measure the thermal conductivity of layered quantum spin liquids "
                            "at millikelvin temperatures.");
  ClaimVerdict v = cmp.CompareClaim(c, ReportWith(c.text));
  EXPECT_EQ(v.verdict, Verdict::kNovel) << v.max_similarity << " " << (v.evidence.empty() ? "" : v.evidence[0].quote);
}

TEST_F(ComparerTest, ReportConclusionScoreAndTraceableReasoning) {
  Comparer cmp(index_.get(), BySimilarity());
  NoveltyReport r;
  r.submission.title = "Deep graph networks";
  r.submission.references = {"[1] T. Kipf and M. Welling. Semi-supervised classification. 2017."};
  r.claims.push_back({MakeClaim("c1", "Deep graph neural networks suffer from oversmoothing, where "
                                      "node representations become indistinguishable as depth grows."),
                      {}});
  r.claims.push_back({MakeClaim("c2", "We measure the thermal conductivity of layered quantum spin "
                                      "liquids at millikelvin temperatures."),
                      {}});
  r.related_work = Related(r.claims[0].claim.text + " " + r.claims[1].claim.text);
  cmp.Assess(&r);
  EXPECT_EQ(r.claims[0].verdict.verdict, Verdict::kAnticipated);
  EXPECT_EQ(r.claims[1].verdict.verdict, Verdict::kNovel);
  EXPECT_GT(r.novelty_score, 0.0);
  EXPECT_LT(r.novelty_score, 1.0);
  // The same paper without its anticipated claim scores higher.
  NoveltyReport only_novel = r;
  only_novel.claims.erase(only_novel.claims.begin());
  cmp.Assess(&only_novel);
  EXPECT_GT(only_novel.novelty_score, r.novelty_score);
  const CompareOptions& o = cmp.options();
  Conclusion expected = r.novelty_score >= o.novel_score_threshold         ? Conclusion::kNovel
                        : r.novelty_score >= o.incremental_score_threshold ? Conclusion::kIncremental
                                                                           : Conclusion::kNotNovel;
  EXPECT_EQ(r.conclusion, expected);
  ASSERT_GE(r.reasoning_sentences.size(), 3u);
  // Every sentence is traceable: the claims and works it names exist in the report.
  for (const auto& s : r.reasoning_sentences) {
    EXPECT_FALSE(s.claim_ids.empty() && s.prior_ids.empty()) << s.text;
    for (const auto& id : s.prior_ids) {
      bool found = false;
      for (const auto& w : r.related_work) found |= w.id == id;
      EXPECT_TRUE(found) << id;
      if (found)
        for (const auto& w : r.related_work)
          if (w.id == id) EXPECT_NE(s.text.find(w.title), std::string::npos) << s.text;
    }
    EXPECT_NE(r.reasoning.find(s.text), std::string::npos);
  }
  // fx-gnn-04 anticipates c1 and is not cited: the reasoning says so.
  EXPECT_NE(r.reasoning.find("does not cite"), std::string::npos) << r.reasoning;
}

TEST_F(ComparerTest, TheoryClaimsRaiseAndDatasetClaimsLowerTheScoreWithReasons) {
  Comparer cmp(index_.get(), BySimilarity());
  auto make = [&](ClaimType type) {
    NoveltyReport r;
    Claim c = MakeClaim("c1", "We measure the thermal conductivity of layered quantum spin liquids.");
    c.type = type;
    r.claims.push_back({c, {}});
    r.related_work = Related(c.text);
    cmp.Assess(&r);
    return r;
  };
  NoveltyReport method = make(ClaimType::kMethod), theory = make(ClaimType::kTheory),
                dataset = make(ClaimType::kDataset);
  EXPECT_GT(theory.novelty_score, method.novelty_score);
  EXPECT_LT(dataset.novelty_score, method.novelty_score);
  EXPECT_NE(theory.reasoning.find("theoretical results (c1)"), std::string::npos) << theory.reasoning;
  EXPECT_NE(dataset.reasoning.find("dataset contributions (c1)"), std::string::npos) << dataset.reasoning;
}

// A model that trusts lexical similarity alone: probability 0.5 at cosine 0.3.
std::string LexicalModelFile() {
  const auto& names = EvidenceFeatureNames();
  std::vector<double> mean(names.size(), 0), scale(names.size(), 1), weights(names.size(), 0);
  weights[std::find(names.begin(), names.end(), "lexical") - names.begin()] = 20;
  LogisticModel m(names, mean, scale, weights, -6);
  const std::string path = ::testing::TempDir() + "/lexical_evidence.json";
  std::ofstream(path) << DumpJson(m.ToJson("novelta-evidence/1"));
  return path;
}

TEST_F(ComparerTest, WithAnEvidenceModelOnlyPassagesAboveItsThresholdAreQuoted) {
  CompareOptions o;
  o.evidence_model = LexicalModelFile();
  o.evidence_threshold = 0.5;
  Comparer cmp(index_.get(), o);
  Claim close = MakeClaim("c1",
                          "We propose a normalization layer that keeps pairwise distances between node "
                          "features constant, so deep graph neural networks do not oversmooth.");
  NoveltyReport report = ReportWith(close.text);
  ClaimVerdict v = cmp.CompareClaim(close, report);
  ASSERT_FALSE(v.evidence.empty());
  EXPECT_EQ(v.evidence[0].prior_id, "fx-gnn-04");
  for (const auto& e : v.evidence) EXPECT_GE(e.relevance, 0.5) << e.quote;
  EXPECT_NE(v.verdict, Verdict::kNovel);
  EXPECT_DOUBLE_EQ(v.confidence, v.evidence[0].relevance);
  EXPECT_EQ(v.compared_works, static_cast<int>(std::min<size_t>(report.related_work.size(), 30)));

  // Nothing close: no quote at all, novel, confident by as much as nothing came near.
  Claim far = MakeClaim("c2", "We measure the thermal conductivity of layered quantum spin liquids "
                              "at millikelvin temperatures.");
  ClaimVerdict n = cmp.CompareClaim(far, report);
  EXPECT_TRUE(n.evidence.empty());
  EXPECT_EQ(n.verdict, Verdict::kNovel);
  EXPECT_GT(n.confidence, 0.5);
  EXPECT_GT(n.max_similarity, 0.0);  // the closest passage compared is still measured
  EXPECT_EQ(n.compared_works, v.compared_works);

  // Every passage of the compared works is scored, with the model's probability.
  NoveltyReport both = report;
  both.claims = {{close, {}}, {far, {}}};
  auto scored = cmp.ScorePassages(both);
  ASSERT_EQ(scored.size(), 2u);
  size_t passages = 0;
  for (const auto& w : report.related_work)
    if (&w - &report.related_work[0] < 30) passages += w.detail->passages.size();
  EXPECT_EQ(scored[0].size(), passages);
  double best = 0;
  for (const auto& p : scored[0]) best = std::max(best, p.relevance);
  EXPECT_DOUBLE_EQ(best, v.evidence[0].relevance);
}

TEST(EvidenceTest, VerbatimCheckRejectsAlteredOrOutOfRangeQuotes) {
  std::string abstract = "First sentence. Second sentence.";
  Evidence e;
  e.quote = "Second sentence.";
  e.quote_start = 16;
  e.quote_end = 32;
  EXPECT_TRUE(EvidenceIsVerbatim(e, abstract));
  e.quote = "Second sentence!";
  EXPECT_FALSE(EvidenceIsVerbatim(e, abstract));
  e.quote = "Second sentence.";
  e.quote_end = 40;
  EXPECT_FALSE(EvidenceIsVerbatim(e, abstract));
}

}  // namespace
}  // namespace novelta
