// The LLM engine's stages against a scripted OpenAI-compatible server on
// loopback (llm/fake_llm_server.h): what is kept, what is dropped and counted.
#include <gtest/gtest.h>

#include "llm/fake_llm_server.h"
#include "llm/llm_client.h"
#include "pipeline/llm/llm_extractor.h"
#include "pipeline/llm/llm_judge.h"
#include "pipeline/llm/prompts.h"

namespace novelta {
namespace {

std::unique_ptr<LlmClient> ClientOf(const FakeLlmServer& server) {
  OpenAiClientOptions o;
  o.base_url = server.url();
  o.model = "fake-model";
  o.max_retries = 1;
  o.backoff_seconds = 0.01;
  o.timeout_seconds = 5;
  auto c = NewOpenAiClient(o);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : nullptr;
}

Submission Paper() {
  Submission s;
  s.id = "sub";
  s.title = "Pairwise Normalization Against Oversmoothing";
  s.abstract =
      "Deep graph neural networks lose accuracy as they grow deeper. We propose a normalization layer that "
      "keeps pairwise distances between node features constant across layers. We show that it allows training "
      "graph networks with dozens of layers.";
  s.introduction =
      "Oversmoothing limits depth.\nOur contributions are: a normalization layer that keeps\npairwise distances "
      "constant; an analysis of oversmoothing in deep networks.";
  return s;
}

Json Representation(Json claims) {
  return {{"methods", {"pairwise normalization"}}, {"problems", {"oversmoothing"}}, {"datasets", Json::array()},
          {"metrics", {"accuracy"}},           {"results", {"dozens of layers"}}, {"claims", std::move(claims)}};
}

TEST(LlmExtractorTest, ClaimsQuotingTheInputAreKeptAtTheirSpansAndOthersDropped) {
  FakeLlmServer server;
  // Two abstract sentences, one introduction clause with its line break re-flowed, a
  // paraphrase (not in the input) and the first sentence again.
  server.Push(FakeLlmServer::Chat(Representation(Json::parse(R"json([
    {"quote": "We show that it allows training graph networks with dozens of layers.", "type": "result",
     "summary": "deep training"},
    {"quote": "We propose a normalization layer that keeps pairwise distances between node features constant across layers.",
     "type": "method", "summary": "PairNorm"},
    {"quote": "a normalization layer that keeps pairwise distances constant", "type": "method", "summary": "x"},
    {"quote": "We introduce PairNorm, which fixes oversmoothing.", "type": "method", "summary": "y"},
    {"quote": "We show that it allows training graph networks with dozens of layers.", "type": "result",
     "summary": "again"}
  ])json"))));
  auto client = ClientOf(server);
  LlmExtractor extractor(client.get());
  const Submission paper = Paper();
  auto got = extractor.Extract(paper);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->dropped, 1);
  ASSERT_EQ(got->claims.size(), 3u);
  // In reading order: the abstract's two sentences, then the introduction's.
  EXPECT_EQ(got->claims[0].id, "c1");
  EXPECT_EQ(got->claims[0].type, ClaimType::kMethod);
  EXPECT_EQ(got->claims[1].type, ClaimType::kResult);
  EXPECT_EQ(got->claims[2].span.field, "introduction");
  for (const Claim& c : got->claims) {
    const std::string& field = c.span.field == "abstract" ? paper.abstract : paper.introduction;
    EXPECT_EQ(field.substr(c.span.start, c.span.end - c.span.start), c.text);
    EXPECT_EQ(c.cue, "llm");
  }
  EXPECT_NE(got->claims[2].text.find('\n'), std::string::npos);  // the paper's own bytes
  EXPECT_EQ(got->claims[0].facets.at("task"), std::vector<std::string>{"oversmoothing"});
  // What was asked: the versioned prompt, the paper's text, a strict schema.
  Json sent = server.requests().at(0).Body();
  EXPECT_EQ(sent["messages"][0]["content"], ExtractPrompt().text);
  EXPECT_NE(sent["messages"][1]["content"].get<std::string>().find("dozens of layers"), std::string::npos);
  EXPECT_EQ(sent["response_format"]["json_schema"]["name"], "novelta_claims");
}

TEST(LlmExtractorTest, AnAnswerAgainstTheSchemaIsAnErrorNotClaims) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat({{"claims", "not a list"}}));
  auto client = ClientOf(server);
  LlmExtractor extractor(client.get());
  auto got = extractor.Extract(Paper());
  EXPECT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Status::Code::kCorruption) << got.status().ToString();
}

NoveltyReport ReportWithClaims() {
  NoveltyReport r;
  r.submission = Paper();
  AssessedClaim c1, c2, c3;
  c1.claim.id = "c1";
  c1.claim.text = "We propose a normalization layer that keeps pairwise distances constant.";
  c1.verdict.nearest_prior_id = "w2";
  c2.claim.id = "c2";
  c2.claim.text = "We show that it allows training graph networks with dozens of layers.";
  c3.claim.id = "c3";
  c3.claim.text = "An analysis of oversmoothing.";
  c3.verdict.verdict = Verdict::kPartiallyAnticipated;  // offline's verdict
  r.claims = {c1, c2, c3};
  PriorWork w1, w2;
  w1.id = "w1";
  w1.title = "Oversmoothing in GNNs";
  w1.year = 2020;
  w1.abstract = "Graph networks oversmooth with depth. We normalize node features so that pairwise distances "
                "stay constant across layers.";
  w2.id = "w2";
  w2.title = "Residual graph networks";
  w2.year = 2019;
  w2.abstract = "Residual connections let graph networks grow deeper.";
  r.related_work = {w1, w2};
  return r;
}

TEST(LlmJudgeTest, OnlyQuotesFoundInTheNamedPassageBecomeEvidence) {
  FakeLlmServer server;
  // c1: one verified quote, one altered (not in p2), one from a passage never shown;
  // c2: its only quote altered; c3: not judged.
  server.Push(FakeLlmServer::Chat(Json::parse(R"json({"claims": [
    {"claim_id": "c1", "verdict": "anticipated", "confidence": 0.8,
     "rationale": "w1 normalizes features to keep distances constant.",
     "quotes": [
       {"passage_id": "p1", "quote": "We normalize node features so that pairwise distances stay constant"},
       {"passage_id": "p2", "quote": "We normalize node features so that pairwise"},
       {"passage_id": "p9", "quote": "a passage that was never shown"}]},
    {"claim_id": "c2", "verdict": "partially_anticipated", "confidence": 0.6,
     "rationale": "Residual connections also deepen networks.",
     "quotes": [{"passage_id": "p2", "quote": "Residual connections let graph networks go deeper."}]}
  ]})json")));
  auto client = ClientOf(server);
  LlmJudge judge(client.get());
  NoveltyReport report = ReportWithClaims();
  auto got = judge.JudgeClaims(&report);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->quotes_dropped, 3);
  EXPECT_EQ(got->verdicts_without_evidence, 1);  // c2's only quote was altered
  EXPECT_EQ(got->claims_unjudged, 1);            // c3
  const ClaimVerdict& v1 = report.claims[0].verdict;
  EXPECT_EQ(v1.verdict, Verdict::kAnticipated);
  ASSERT_EQ(v1.evidence.size(), 1u);
  const Evidence& e = v1.evidence[0];
  EXPECT_EQ(e.prior_id, "w1");
  EXPECT_EQ(report.related_work[0].abstract.substr(e.quote_start, e.quote_end - e.quote_start), e.quote);
  EXPECT_EQ(v1.rationale, "w1 normalizes features to keep distances constant.");
  EXPECT_EQ(v1.nearest_prior_id, "w1");
  EXPECT_EQ(report.claims[1].verdict.verdict, Verdict::kNovel);
  EXPECT_TRUE(report.claims[1].verdict.evidence.empty());
  EXPECT_EQ(report.claims[2].verdict.verdict, Verdict::kPartiallyAnticipated);  // offline's, kept
  // The model saw each passage with an id, and the claims with theirs.
  std::string user = server.requests().at(0).Body()["messages"][1]["content"];
  EXPECT_NE(user.find("\"p2\""), std::string::npos);
  EXPECT_NE(user.find("\"c3\""), std::string::npos);
}

TEST(LlmJudgeTest, ReasoningSentencesCitingWhatWasNotGivenAreDropped) {
  NoveltyReport report = ReportWithClaims();
  Evidence e;
  e.prior_id = "w1";
  e.title = "Oversmoothing in GNNs";
  e.quote = "pairwise distances stay constant";
  report.claims[0].verdict.verdict = Verdict::kAnticipated;
  report.claims[0].verdict.evidence = {e};
  FakeLlmServer server;
  // Cited: a verified prior (kept), a prior without verified evidence, an unknown claim, nothing (kept).
  server.Push(FakeLlmServer::Chat(Json::parse(R"json({"conclusion": "incremental", "sentences": [
    {"text": "The normalization claim was made by Oversmoothing in GNNs.", "claim_ids": ["c1"], "passage_ids": ["p1"]},
    {"text": "Residual networks did it too.", "claim_ids": ["c2"], "passage_ids": ["p2"]},
    {"text": "Claim c9 is new.", "claim_ids": ["c9"], "passage_ids": []},
    {"text": "The depth result has no close counterpart.", "claim_ids": ["c2"], "passage_ids": []}
  ]})json")));
  auto client = ClientOf(server);
  LlmJudge judge(client.get());
  auto got = judge.WriteReasoning(&report);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->sentences_dropped, 2);
  ASSERT_EQ(report.reasoning_sentences.size(), 2u);
  EXPECT_EQ(report.reasoning_sentences[0].prior_ids, std::vector<std::string>{"w1"});
  EXPECT_EQ(report.conclusion, Conclusion::kIncremental);
  EXPECT_EQ(report.reasoning,
            "The normalization claim was made by Oversmoothing in GNNs. The depth result has no close counterpart.");
  // The model was given only verified evidence.
  std::string user = server.requests().at(0).Body()["messages"][1]["content"];
  EXPECT_NE(user.find("pairwise distances stay constant"), std::string::npos);
  EXPECT_EQ(user.find("Residual connections"), std::string::npos);
}

TEST(LlmJudgeTest, WithoutVerifiedEvidenceThePaperIsNovelWhateverTheParagraphSays) {
  NoveltyReport report = ReportWithClaims();
  for (auto& c : report.claims) c.verdict = ClaimVerdict();
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(Json::parse(R"json({"conclusion": "not_novel", "sentences": [
    {"text": "No claim has a close counterpart.", "claim_ids": ["c1"], "passage_ids": []}]})json")));
  auto client = ClientOf(server);
  auto got = LlmJudge(client.get()).WriteReasoning(&report);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(report.conclusion, Conclusion::kNovel);
}

}  // namespace
}  // namespace novelta
