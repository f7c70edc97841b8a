// Stage 3 by LLM: each claim judged against the prior passages the model is
// shown (the abstracts of the closest related works, with ids), then the
// conclusion and reasoning paragraph written from the evidence that survived
// verification. The model may quote only the passages it was shown; every
// quote is looked up verbatim in the passage it names, and one that is not
// there is dropped and counted. An anticipation verdict left without a
// verified quote is reported as novel (and counted): a report never claims
// prior work it cannot show. Reasoning sentences that cite a claim or prior
// work the model was not given are dropped.
//
// Thread-safety: the methods may be called concurrently (the client is).
#ifndef NOVELTA_PIPELINE_LLM_LLM_JUDGE_H_
#define NOVELTA_PIPELINE_LLM_LLM_JUDGE_H_

#include <vector>

#include "llm/llm_client.h"
#include "novelta/model.h"

namespace novelta {

struct LlmJudgeOptions {
  // Related works shown, closest first. Default: 8.
  size_t max_passages = 8;
  // Longest passage shown, in bytes (a prefix of the abstract, cut at a
  // sentence end). Default: 1,500.
  size_t max_passage_bytes = 1500;
  // Completion tokens at most per call. Default: 3,000.
  int max_tokens = 3000;
};

// What one call spent and discarded.
struct JudgeOutcome {
  LlmAnswer answer;
  int quotes_dropped = 0;
  int verdicts_without_evidence = 0;
  int claims_unjudged = 0;     // claims the answer left out: their offline verdicts stay
  int sentences_dropped = 0;
};

class LlmJudge {
 public:
  // `client` must outlive the judge.
  LlmJudge(LlmClient* client, LlmJudgeOptions options = {}) : client_(client), options_(options) {}

  // Replaces each claim's verdict and evidence in `report` (claims and
  // related work filled in) with the model's, verified. On the client's
  // error `report` is unchanged and the error returned.
  StatusOr<JudgeOutcome> JudgeClaims(NoveltyReport* report) const;

  // Sets the conclusion, reasoning and reasoning_sentences of `report` from
  // its claims' verified verdicts and evidence. On the client's error
  // `report` is unchanged and the error returned.
  StatusOr<JudgeOutcome> WriteReasoning(NoveltyReport* report) const;

  // The requests the two calls send (for tests and token counts).
  LlmRequest JudgeRequest(const NoveltyReport& report) const;
  LlmRequest ReasoningRequest(const NoveltyReport& report) const;

 private:
  // The passages shown: a prefix of each closest related work's abstract.
  std::vector<std::string> Passages(const NoveltyReport& report) const;

  LlmClient* client_;
  LlmJudgeOptions options_;
};

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_LLM_LLM_JUDGE_H_
