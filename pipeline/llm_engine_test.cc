// The assessor with the LLM engine (--engine llm) against a scripted
// OpenAI-compatible server on loopback, over the fixture index: the parts the
// model answers, the parts the offline engine takes over when it fails, and
// re-runs answered from the cache.
#include "pipeline/llm_engine.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "index/test_index_util.h"
#include "llm/fake_llm_server.h"
#include "novelta/assessor.h"
#include "pipeline/compare/comparer.h"

namespace novelta {
namespace {

Submission Paper() {
  Submission s;
  s.id = "sub-1";
  s.title = "Pairwise Normalization Against Oversmoothing";
  s.abstract =
      "Deep graph neural networks lose accuracy as they grow deeper. "
      "We propose a normalization layer that keeps pairwise distances between node features "
      "constant across layers. We show that it allows training graph networks with dozens of layers "
      "and improves node classification accuracy on citation networks.";
  s.submitted = *Date::Parse("2021-06-01");
  s.format = "json";
  return s;
}

Json Extraction() {
  return {{"methods", {"pairwise normalization"}},
          {"problems", {"oversmoothing"}},
          {"datasets", {"citation networks"}},
          {"metrics", {"accuracy"}},
          {"results", {"dozens of layers"}},
          {"claims",
           {{{"quote", "We propose a normalization layer that keeps pairwise distances between node features "
                       "constant across layers."},
             {"type", "method"},
             {"summary", "a distance-preserving normalization"}},
            {{"quote", "We show that it allows training graph networks with dozens of layers"},
             {"type", "result"},
             {"summary", "deep graph networks train"}}}}};
}

AssessorOptions LlmOptions(const FakeLlmServer& server, const std::string& cache = "") {
  AssessorOptions o;
  o.engine.name = "llm";
  o.engine.llm_url = server.url();
  o.engine.llm_model = "fake-model";
  o.engine.llm_max_retries = 1;
  o.engine.llm_timeout_seconds = 5;
  o.engine.llm_cache = cache;
  return o;
}

TEST(LlmEngineTest, ClaimsByTheModelAndTheOfflineComparisonWhenItsCallsFail) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(Extraction()));
  server.SetFallback({500, {}, "model crashed"});
  auto assessor = OpenAssessor(testing::FixtureIndexDir(), LlmOptions(server));
  ASSERT_TRUE(assessor.ok()) << assessor.status().ToString();
  auto report = (*assessor)->Assess(Paper(), {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->engine.name, "llm");
  EXPECT_EQ(report->engine.model, "fake-model");
  EXPECT_EQ(report->engine.claims_by, "llm");
  EXPECT_EQ(report->engine.comparison_by, "offline");
  ASSERT_EQ(report->claims.size(), 2u);
  EXPECT_EQ(report->claims[0].claim.cue, "llm");
  EXPECT_EQ(report->engine.prompt_tokens, 10);  // the fake server's usage of the one answer
  EXPECT_EQ(report->engine.prompts.count("judge"), 1u);
  bool warned = false;
  for (const auto& w : report->warnings) warned |= w.find("could not judge the claims") != std::string::npos;
  EXPECT_TRUE(warned);
  // The offline comparison still ran on the model's claims: every quote verbatim.
  for (const auto& ac : report->claims)
    for (const auto& e : ac.verdict.evidence)
      for (const auto& w : report->related_work)
        if (w.id == e.prior_id) EXPECT_TRUE(EvidenceIsVerbatim(e, w.abstract));
  Json j = ToJson(*report);
  EXPECT_EQ(j["engine"]["claims_by"], "llm");
  // The API key is never in a report or warning.
  EXPECT_EQ(j.dump().find("Bearer"), std::string::npos);
}

TEST(LlmEngineTest, AModelThatFailsForGoodLeavesTheOfflineReport) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::ChatRaw("this is not JSON"));
  auto llm = OpenAssessor(testing::FixtureIndexDir(), LlmOptions(server));
  auto offline = OpenAssessor(testing::FixtureIndexDir());
  ASSERT_TRUE(llm.ok() && offline.ok());
  auto a = (*llm)->Assess(Paper(), {});
  auto b = (*offline)->Assess(Paper(), {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->engine.claims_by, "offline");
  EXPECT_EQ(a->engine.comparison_by, "offline");
  ASSERT_EQ(a->claims.size(), b->claims.size());
  for (size_t i = 0; i < a->claims.size(); ++i) {
    EXPECT_EQ(a->claims[i].claim.text, b->claims[i].claim.text);
    EXPECT_EQ(a->claims[i].verdict.verdict, b->claims[i].verdict.verdict);
  }
  EXPECT_EQ(a->conclusion, b->conclusion);
  EXPECT_EQ(a->warnings.size(), b->warnings.size() + 2);  // claims and judging fell back
  EXPECT_EQ(b->engine.name, "offline");
}

TEST(LlmEngineTest, ARerunIsAnsweredFromTheCacheWithoutCalls) {
  const std::string cache = (std::filesystem::temp_directory_path() /
                             ("novelta_llm_cache_" + std::to_string(::getpid()) + "/answers.db")).string();
  std::filesystem::remove_all(std::filesystem::path(cache).parent_path());
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(Extraction()));
  server.SetFallback({503, {}, "busy"});
  auto first = OpenAssessor(testing::FixtureIndexDir(), LlmOptions(server, cache));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto a = (*first)->Assess(Paper(), {});
  ASSERT_TRUE(a.ok());
  const int calls = server.request_count();
  auto second = OpenAssessor(testing::FixtureIndexDir(), LlmOptions(server, cache));
  auto b = (*second)->Assess(Paper(), {});
  ASSERT_TRUE(b.ok());
  // The extraction answer is cached (the failed judging was not, and is asked again).
  EXPECT_EQ(b->engine.cache_hits, 1);
  EXPECT_EQ(b->engine.claims_by, "llm");
  EXPECT_EQ(b->engine.prompt_tokens, 0);
  EXPECT_GT(server.request_count(), calls);  // only the judge's retries
  ASSERT_EQ(a->claims.size(), b->claims.size());
  for (size_t i = 0; i < a->claims.size(); ++i) EXPECT_EQ(a->claims[i].claim.text, b->claims[i].claim.text);
  std::filesystem::remove_all(std::filesystem::path(cache).parent_path());
}

TEST(LlmEngineTest, AnUnknownEngineOrAnLlmWithoutItsServerIsRefused) {
  AssessorOptions o;
  o.engine.name = "gpt";
  EXPECT_EQ(OpenAssessor(testing::FixtureIndexDir(), o).status().code(), Status::Code::kInvalidArgument);
  o.engine.name = "llm";
  EXPECT_EQ(OpenAssessor(testing::FixtureIndexDir(), o).status().code(), Status::Code::kInvalidArgument);
  o.engine.llm_url = "ftp://model";
  o.engine.llm_model = "m";
  EXPECT_EQ(OpenAssessor(testing::FixtureIndexDir(), o).status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace novelta
