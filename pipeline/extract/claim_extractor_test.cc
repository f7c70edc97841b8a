#include "pipeline/extract/claim_extractor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace novelta {
namespace {

double AbstractScore(const SentenceScorer& scorer, const std::string& sentence, size_t index = 2,
                     size_t count = 5, std::string* cue = nullptr) {
  SentenceContext ctx{"abstract", index, count, false};
  return scorer.Score(sentence, ctx, cue);
}
double IntroScore(const SentenceScorer& scorer, const std::string& sentence, std::string* cue = nullptr) {
  SentenceContext ctx{"introduction", 10, 40, false};
  return scorer.Score(sentence, ctx, cue);
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

const std::string& FieldText(const Submission& s, const std::string& field) {
  return field == "abstract" ? s.abstract : s.introduction;
}

// Every claim's text is exactly the bytes under its span.
void ExpectSpansExact(const Submission& s, const ExtractionResult& r) {
  for (const Claim& c : r.claims) {
    ASSERT_TRUE(c.span.field == "abstract" || c.span.field == "introduction") << c.span.field;
    const std::string& text = FieldText(s, c.span.field);
    ASSERT_LE(c.span.start, c.span.end);
    ASSERT_LE(c.span.end, text.size());
    EXPECT_EQ(c.text, text.substr(c.span.start, c.span.end - c.span.start));
  }
}

TEST(CueRuleScorerTest, FirstPersonContributionsScoreHigh) {
  auto scorer = NewCueRuleScorer();
  std::string cue;
  EXPECT_GE(AbstractScore(*scorer, "We propose a graph transformer for molecule generation.", 1, 6, &cue), 0.5);
  EXPECT_EQ(cue, "we propose");
  EXPECT_GE(AbstractScore(*scorer, "This paper introduces a benchmark for table reasoning.", 1, 6, &cue), 0.5);
  EXPECT_EQ(cue, "this paper introduces");
  EXPECT_GE(AbstractScore(*scorer, "Our method outperforms strong baselines on three datasets.", 4, 6), 0.5);
  EXPECT_GE(IntroScore(*scorer, "In this work, we present a simple recipe for sparse training.", &cue), 0.5);
  EXPECT_EQ(cue, "we present");
  EXPECT_GE(IntroScore(*scorer, "We prove that the estimator is consistent."), 0.5);
}

TEST(CueRuleScorerTest, BackgroundScoresLow) {
  auto scorer = NewCueRuleScorer();
  EXPECT_LT(AbstractScore(*scorer, "Graph generation is a fundamental problem in chemistry.", 0, 6), 0.5);
  EXPECT_LT(AbstractScore(*scorer, "Recent work has studied diffusion models extensively [3, 4].", 1, 6), 0.5);
  EXPECT_LT(AbstractScore(*scorer, "However, existing methods have been limited to small graphs.", 1, 6), 0.5);
  EXPECT_LT(AbstractScore(*scorer, "Can large models reason about tables?", 1, 6), 0.5);
  EXPECT_LT(IntroScore(*scorer, "Transformers are widely used in vision (Dosovitskiy et al., 2021)."), 0.5);
  EXPECT_LT(IntroScore(*scorer, "Smith et al. propose a recurrent model for this task."), 0.5);
  EXPECT_LT(IntroScore(*scorer, "We provide more details in Appendix A."), 0.5);
}

TEST(CueRuleScorerTest, AbstractPositionIsWeakEvidence) {
  auto scorer = NewCueRuleScorer();
  const std::string neutral = "The model is trained with a contrastive objective on paired data.";
  double first = AbstractScore(*scorer, neutral, 0, 8);
  double last = AbstractScore(*scorer, neutral, 7, 8);
  EXPECT_LT(first, last);
  // The same neutral sentence counts only in an abstract, never in an introduction.
  EXPECT_LT(IntroScore(*scorer, neutral), 0.5);
}

TEST(CueRuleScorerTest, IntroductionNeedsStrongCuesUnlessInContributionList) {
  auto scorer = NewCueRuleScorer();
  const std::string item = "A new loss that aligns the two encoders.";
  SentenceContext plain{"introduction", 12, 30, false};
  SentenceContext listed{"introduction", 12, 30, true};
  std::string cue;
  EXPECT_LT(scorer->Score(item, plain, nullptr), 0.5);
  EXPECT_GE(scorer->Score(item, listed, &cue), 0.5);
  EXPECT_EQ(cue, "contribution list");
}

TEST(CueRuleScorerTest, ScoresAreProbabilitiesForAnyInput) {
  auto scorer = NewCueRuleScorer();
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    std::string text(rng() % 200, '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xFF);
    for (const char* field : {"abstract", "introduction"}) {
      double s = scorer->Score(text, SentenceContext{field, 0, 1, false}, nullptr);
      ASSERT_GE(s, 0.0);
      ASSERT_LE(s, 1.0);
    }
  }
}

TEST(ClassifyClaimTypeTest, TypesFromWording) {
  EXPECT_EQ(ClassifyClaimType("We prove a tight lower bound on the sample complexity."), ClaimType::kTheory);
  EXPECT_EQ(ClassifyClaimType("Our main theorem guarantees convergence."), ClaimType::kTheory);
  EXPECT_EQ(ClassifyClaimType("We collect and release a dataset of 10k annotated proofs."), ClaimType::kDataset);
  EXPECT_EQ(ClassifyClaimType("We introduce a new benchmark for long-context retrieval."), ClaimType::kDataset);
  EXPECT_EQ(ClassifyClaimType("Our method outperforms prior work by 4 points."), ClaimType::kResult);
  EXPECT_EQ(ClassifyClaimType("Experiments show that it achieves state-of-the-art accuracy."), ClaimType::kResult);
  EXPECT_EQ(ClassifyClaimType("We study how attention heads specialise during training."), ClaimType::kAnalysis);
  EXPECT_EQ(ClassifyClaimType("We present an empirical study of tokenizer choices."), ClaimType::kMethod);
  EXPECT_EQ(ClassifyClaimType("We conduct an empirical study of tokenizer choices."), ClaimType::kAnalysis);
  EXPECT_EQ(ClassifyClaimType("We formulate the problem of open-world planning as a game."), ClaimType::kTask);
  EXPECT_EQ(ClassifyClaimType("We introduce the task of counterfactual captioning."), ClaimType::kTask);
  EXPECT_EQ(ClassifyClaimType("We propose a graph transformer for molecule generation."), ClaimType::kMethod);
  // The verb that comes first decides between a method and its result.
  EXPECT_EQ(ClassifyClaimType("We propose X, which outperforms Y."), ClaimType::kMethod);
  EXPECT_EQ(ClassifyClaimType("A sentence with no cue at all."), ClaimType::kMethod);
}

TEST(ExtractFacetsTest, ObjectAfterContributionVerb) {
  auto f = ExtractFacets("We propose a graph transformer for molecule generation, which scales linearly.");
  ASSERT_EQ(f["object"].size(), 1u);
  EXPECT_EQ(f["object"][0], "a graph transformer for molecule generation");
  EXPECT_TRUE(Contains(f["task"], "molecule generation"));
  auto g = ExtractFacets("We show that sparse attention suffices for long documents.");
  ASSERT_EQ(g["object"].size(), 1u);
  // The object of "we show that" is the proposition shown.
  EXPECT_EQ(g["object"][0], "sparse attention suffices for long documents");
  auto h = ExtractFacets("In this paper we present DiffPose and evaluate it.");
  ASSERT_EQ(h["object"].size(), 1u);
  EXPECT_EQ(h["object"][0], "DiffPose");
}

TEST(ExtractFacetsTest, MethodsDatasetsMetrics) {
  auto f = ExtractFacets(
      "Our VQGAN variant beats BERT and ResNet-50 on ImageNet and the FooBar benchmark in FID and "
      "top-1 accuracy.");
  EXPECT_TRUE(Contains(f["method"], "VQGAN"));
  EXPECT_TRUE(Contains(f["method"], "BERT"));
  EXPECT_TRUE(Contains(f["method"], "ResNet-50"));
  EXPECT_FALSE(Contains(f["method"], "ImageNet"));
  EXPECT_FALSE(Contains(f["method"], "FID"));
  EXPECT_FALSE(Contains(f["method"], "Our"));
  EXPECT_TRUE(Contains(f["dataset"], "ImageNet"));
  EXPECT_TRUE(Contains(f["dataset"], "FooBar"));
  EXPECT_TRUE(Contains(f["metric"], "FID"));
  EXPECT_TRUE(Contains(f["metric"], "accuracy"));
  EXPECT_TRUE(Contains(f["metric"], "top-1"));
}

TEST(ExtractFacetsTest, TaskPhrases) {
  auto f = ExtractFacets("We apply it on the task of visual question answering, for example in robotics.");
  EXPECT_TRUE(Contains(f["task"], "visual question answering"));
  for (const std::string& t : f["task"]) EXPECT_NE(t.rfind("example", 0), 0u) << t;
  EXPECT_TRUE(ExtractFacets("").empty());
}

Submission MakeSubmission() {
  Submission s;
  s.id = "p1";
  s.abstract =
      "Molecule generation is a fundamental problem in drug discovery. "
      "However, existing methods have been limited to small molecules. "
      "We propose a graph transformer for molecule generation. "
      "Our method outperforms prior work by 4 points on QM9.";
  s.introduction =
      "Generative models have become popular [1, 2].\n\n"
      "In this paper, we introduce GraphGen, a scalable generator.\n\n"
      "Our contributions are as follows:\n"
      "- A linear-time attention for molecular graphs.\n"
      "- An analysis of failure modes. It covers rings and long chains of atoms.\n"
      "- We propose a graph transformer for molecule generation.\n\n"
      "The rest of the paper is organised as follows.";
  return s;
}

TEST(ClaimExtractorTest, ExtractsAbstractAndIntroductionClaimsWithExactSpans) {
  Submission s = MakeSubmission();
  ClaimExtractor extractor;
  ExtractionResult r = extractor.Extract(s);
  ExpectSpansExact(s, r);
  std::vector<std::string> texts;
  for (const Claim& c : r.claims) texts.push_back(c.text);
  EXPECT_TRUE(Contains(texts, "We propose a graph transformer for molecule generation."));
  EXPECT_TRUE(Contains(texts, "Our method outperforms prior work by 4 points on QM9."));
  EXPECT_TRUE(Contains(texts, "In this paper, we introduce GraphGen, a scalable generator."));
  // Contribution-list items lose their marker; later sentences of an item stay in the list.
  EXPECT_TRUE(Contains(texts, "A linear-time attention for molecular graphs."));
  EXPECT_TRUE(Contains(texts, "An analysis of failure modes."));
  EXPECT_TRUE(Contains(texts, "It covers rings and long chains of atoms."));
  EXPECT_FALSE(Contains(texts, "Molecule generation is a fundamental problem in drug discovery."));
  EXPECT_FALSE(Contains(texts, "Generative models have become popular [1, 2]."));
  EXPECT_FALSE(Contains(texts, "The rest of the paper is organised as follows."));
  // The announcement of the list is not itself a claim.
  EXPECT_FALSE(Contains(texts, "Our contributions are as follows:"));
  // The sentence repeated in the introduction is one claim, from the abstract.
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "We propose a graph transformer for molecule generation."), 1);
  for (size_t k = 0; k < r.claims.size(); ++k) {
    EXPECT_EQ(r.claims[k].id, "c" + std::to_string(k + 1));
    EXPECT_GE(r.claims[k].score, extractor.options().min_score);
    EXPECT_LE(r.claims[k].score, 1.0);
    EXPECT_FALSE(r.claims[k].cue.empty());
    if (k > 0 && r.claims[k].span.field == r.claims[k - 1].span.field)
      EXPECT_LT(r.claims[k - 1].span.start, r.claims[k].span.start);
  }
  EXPECT_EQ(r.claims.front().span.field, "abstract");
  EXPECT_EQ(r.claims.back().span.field, "introduction");
  EXPECT_EQ(r.dropped_past_limit, 0u);
  // Claims carry their type and facets.
  for (const Claim& c : r.claims) {
    if (c.text == "Our method outperforms prior work by 4 points on QM9.") {
      EXPECT_EQ(c.type, ClaimType::kResult);
      EXPECT_TRUE(Contains(c.facets.at("dataset"), "QM9"));
    }
  }
}

TEST(ClaimExtractorTest, IntroductionCanBeTurnedOff) {
  Submission s = MakeSubmission();
  ExtractorOptions options;
  options.use_introduction = false;
  ExtractionResult r = ClaimExtractor(options).Extract(s);
  ASSERT_FALSE(r.claims.empty());
  for (const Claim& c : r.claims) EXPECT_EQ(c.span.field, "abstract");
}

TEST(ClaimExtractorTest, CapsAtMaxClaimsKeepingTheBestInTextOrder) {
  Submission s = MakeSubmission();
  ExtractionResult all = ClaimExtractor().Extract(s);
  ASSERT_GT(all.claims.size(), 3u);
  ExtractorOptions options;
  options.max_claims = 3;
  ExtractionResult capped = ClaimExtractor(options).Extract(s);
  ASSERT_EQ(capped.claims.size(), 3u);
  EXPECT_EQ(capped.dropped_past_limit, all.claims.size() - 3);
  std::vector<double> scores;
  for (const Claim& c : all.claims) scores.push_back(c.score);
  std::sort(scores.rbegin(), scores.rend());
  for (const Claim& c : capped.claims) EXPECT_GE(c.score, scores[2]);
  for (size_t k = 0; k < capped.claims.size(); ++k) EXPECT_EQ(capped.claims[k].id, "c" + std::to_string(k + 1));
  for (size_t k = 1; k < capped.claims.size(); ++k) {
    const Span& a = capped.claims[k - 1].span;
    const Span& b = capped.claims[k].span;
    EXPECT_TRUE(a.field == b.field ? a.start < b.start : a.field == "abstract");
  }
  ExpectSpansExact(s, capped);
}

TEST(ClaimExtractorTest, SkipsOverlongSentences) {
  Submission s;
  s.abstract = "We propose " + std::string(300, 'x') + ". We propose a short method.";
  ExtractorOptions options;
  options.max_claim_bytes = 100;
  ExtractionResult r = ClaimExtractor(options).Extract(s);
  ASSERT_EQ(r.claims.size(), 1u);
  EXPECT_EQ(r.claims[0].text, "We propose a short method.");
}

// A scorer that accepts every sentence and records the contexts it saw.
class RecordingScorer : public SentenceScorer {
 public:
  double Score(std::string_view sentence, const SentenceContext& ctx, std::string* cue) const override {
    seen.push_back(ctx);
    if (cue) *cue = "recorded";
    return 0.9;
  }
  mutable std::vector<SentenceContext> seen;
};

TEST(ClaimExtractorTest, UsesTheGivenScorerWithPositions) {
  auto scorer = std::make_shared<RecordingScorer>();
  Submission s;
  s.abstract = "One. Two here. Three here.";
  s.introduction = "Four here. Five here.";
  ExtractorOptions o;
  o.drop_non_claims = false;  // "One." is a fragment: this test is about the scorer's view
  o.merge_restatements = false;
  ExtractionResult r = ClaimExtractor(o, scorer).Extract(s);
  ASSERT_EQ(scorer->seen.size(), 5u);
  EXPECT_EQ(scorer->seen[0].field, "abstract");
  EXPECT_EQ(scorer->seen[2].index, 2u);
  EXPECT_EQ(scorer->seen[2].count, 3u);
  EXPECT_EQ(scorer->seen[4].field, "introduction");
  EXPECT_EQ(scorer->seen[4].index, 1u);
  EXPECT_EQ(scorer->seen[4].count, 2u);
  ASSERT_EQ(r.claims.size(), 5u);
  EXPECT_EQ(r.claims[3].cue, "recorded");
  ExpectSpansExact(s, r);
}

TEST(ClaimExtractorTest, EmptyAndGarbageInputs) {
  EXPECT_TRUE(ClaimExtractor().Extract(Submission{}).claims.empty());
  std::mt19937 rng(3);
  for (int round = 0; round < 200; ++round) {
    Submission s;
    s.abstract.resize(rng() % 400);
    for (char& c : s.abstract) c = static_cast<char>(rng() & 0xFF);
    s.introduction = s.abstract + " We propose X.\n- item";
    ExtractionResult r = ClaimExtractor().Extract(s);
    ExpectSpansExact(s, r);
  }
}

}  // namespace
}  // namespace novelta
