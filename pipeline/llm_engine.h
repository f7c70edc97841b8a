// The optional LLM engine inside the assessor (EngineOptions, --engine llm):
// stage 1 and stage 3 asked of a model (pipeline/llm/), each falling back to
// the offline engine when its call fails for good, and what was spent and
// discarded counted in the report's `engine` object.
//
// Thread-safety: the methods may be called concurrently.
#ifndef NOVELTA_PIPELINE_LLM_ENGINE_H_
#define NOVELTA_PIPELINE_LLM_ENGINE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llm/llm_client.h"
#include "novelta/model.h"
#include "novelta/options.h"
#include "pipeline/llm/llm_extractor.h"
#include "pipeline/llm/llm_judge.h"

namespace novelta {

class LlmEngine {
 public:
  // The client of `options` (with its cache when llm_cache is set).
  // InvalidArgument when llm_url or llm_model is missing or the URL is not http(s).
  static StatusOr<std::unique_ptr<LlmEngine>> Open(const EngineOptions& options);
  // Over a client given (tests).
  explicit LlmEngine(std::unique_ptr<LlmClient> client);

  // An EngineReport naming this engine, its model and prompts, nothing spent yet.
  EngineReport NewReport() const;

  // Stage 1: the claims, or nullopt when the call failed for good (a warning
  // says so and the caller extracts them offline). An answer that quotes
  // nothing verbatim gives no claims: also nullopt, with its own warning.
  std::optional<std::vector<Claim>> Extract(const Submission& submission, EngineReport* engine,
                                            std::vector<std::string>* warnings) const;

  // Stage 3 over a report the offline comparer has filled: the verdicts,
  // evidence, conclusion and reasoning replaced by the model's, verified,
  // and the novelty score recomputed from them. When the verdict call fails
  // for good the report stays offline's; when only the paragraph's call
  // fails, the offline writer writes it from the model's verdicts.
  void Compare(NoveltyReport* report, const CompareOptions& options) const;

 private:
  std::unique_ptr<LlmClient> client_;
  LlmExtractor extractor_;
  LlmJudge judge_;
};

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_LLM_ENGINE_H_
