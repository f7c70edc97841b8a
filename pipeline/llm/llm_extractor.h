// Stage 1 by LLM: the submission's structured representation (methods,
// problems, datasets, metrics, results) and its contribution claims, asked of
// a model from the title, abstract and introduction. Each claim must quote
// the input verbatim; a claim whose quote is not found there is dropped and
// counted, so every claim a report shows is the paper's own words at a span.
//
// Thread-safety: Extract may be called concurrently (the client is).
#ifndef NOVELTA_PIPELINE_LLM_LLM_EXTRACTOR_H_
#define NOVELTA_PIPELINE_LLM_LLM_EXTRACTOR_H_

#include <string>
#include <vector>

#include "base/json.h"
#include "llm/llm_client.h"
#include "novelta/model.h"

namespace novelta {

struct LlmExtraction {
  std::vector<Claim> claims;  // in order of appearance, ids c1, c2, ...
  Json representation;        // {"methods": [...], "problems", "datasets", "metrics", "results"}
  int dropped = 0;            // claims whose quote is not verbatim in the input
  LlmAnswer answer;           // content, tokens, cached
};

struct LlmExtractorOptions {
  // Most claims kept. Default: 12.
  size_t max_claims = 12;
  // Longest introduction sent, in bytes (cut at a sentence end). Default: 12,000.
  size_t max_introduction_bytes = 12000;
  // Completion tokens at most. Default: 2,048.
  int max_tokens = 2048;
};

class LlmExtractor {
 public:
  // `client` must outlive the extractor.
  LlmExtractor(LlmClient* client, LlmExtractorOptions options = {}) : client_(client), options_(options) {}

  // The client's errors, as it returns them (the caller falls back).
  StatusOr<LlmExtraction> Extract(const Submission& submission) const;

  // The request Extract sends (for tests and token counts).
  LlmRequest Request(const Submission& submission) const;

 private:
  LlmClient* client_;
  LlmExtractorOptions options_;
};

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_LLM_LLM_EXTRACTOR_H_
