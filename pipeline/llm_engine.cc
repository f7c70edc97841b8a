#include "pipeline/llm_engine.h"

#include <filesystem>

#include "base/env.h"
#include "pipeline/compare/novelty_score.h"
#include "pipeline/compare/reasoning.h"
#include "pipeline/llm/prompts.h"

namespace novelta {
namespace {

void Count(const LlmAnswer& answer, EngineReport* engine) {
  ++engine->calls;
  if (answer.cached) {
    ++engine->cache_hits;
  } else {
    engine->prompt_tokens += answer.prompt_tokens;
    engine->completion_tokens += answer.completion_tokens;
  }
}

}  // namespace

StatusOr<std::unique_ptr<LlmEngine>> LlmEngine::Open(const EngineOptions& options) {
  OpenAiClientOptions o;
  o.base_url = options.llm_url;
  o.model = options.llm_model;
  o.api_key = options.llm_api_key;
  o.timeout_seconds = options.llm_timeout_seconds;
  o.max_retries = options.llm_max_retries;
  o.max_concurrency = options.llm_max_concurrency;
  o.token_budget = options.llm_token_budget;
  NOVELTA_ASSIGN_OR_RETURN(auto client, NewOpenAiClient(o));
  if (!options.llm_cache.empty() && options.llm_cache != "none") {
    const std::string dir = std::filesystem::path(options.llm_cache).parent_path().string();
    if (!dir.empty()) NOVELTA_RETURN_IF_ERROR(Env::Default()->CreateDirs(dir));
    NOVELTA_ASSIGN_OR_RETURN(client, NewCachedClient(std::move(client), options.llm_cache));
  }
  return std::make_unique<LlmEngine>(std::move(client));
}

LlmEngine::LlmEngine(std::unique_ptr<LlmClient> client)
    : client_(std::move(client)), extractor_(client_.get()), judge_(client_.get()) {}

EngineReport LlmEngine::NewReport() const {
  EngineReport e;
  e.name = "llm";
  e.model = client_->model();
  for (const Prompt* p : {&ExtractPrompt(), &JudgePrompt(), &ReasoningPrompt()}) e.prompts[p->name] = p->Label();
  return e;
}

std::optional<std::vector<Claim>> LlmEngine::Extract(const Submission& submission, EngineReport* engine,
                                                     std::vector<std::string>* warnings) const {
  auto extraction = extractor_.Extract(submission);
  if (!extraction.ok()) {
    warnings->push_back("the LLM engine could not extract the claims (" + extraction.status().ToString() +
                        "); the offline engine extracted them");
    return std::nullopt;
  }
  Count(extraction->answer, engine);
  engine->claims_dropped += extraction->dropped;
  if (extraction->dropped > 0) {
    warnings->push_back(std::to_string(extraction->dropped) +
                        " claim(s) of the LLM engine were dropped: their quotes are not in the submission");
  }
  if (extraction->claims.empty()) {
    warnings->push_back("the LLM engine quoted no claim from the submission; the offline engine extracted them");
    return std::nullopt;
  }
  engine->claims_by = "llm";
  return std::move(extraction->claims);
}

void LlmEngine::Compare(NoveltyReport* report, const CompareOptions& options) const {
  EngineReport& engine = report->engine;
  auto judged = judge_.JudgeClaims(report);
  if (!judged.ok()) {
    report->warnings.push_back("the LLM engine could not judge the claims (" + judged.status().ToString() +
                               "); the offline engine compared them");
    return;
  }
  Count(judged->answer, &engine);
  engine.comparison_by = "llm";
  engine.quotes_dropped += judged->quotes_dropped;
  engine.verdicts_without_evidence += judged->verdicts_without_evidence;
  if (judged->quotes_dropped > 0)
    report->warnings.push_back(std::to_string(judged->quotes_dropped) +
                               " evidence quote(s) of the LLM engine were dropped: not in the passage they name");
  if (judged->verdicts_without_evidence > 0)
    report->warnings.push_back(std::to_string(judged->verdicts_without_evidence) +
                               " anticipation verdict(s) of the LLM engine had no verified quote and are reported "
                               "as novel");
  if (judged->claims_unjudged > 0)
    report->warnings.push_back(std::to_string(judged->claims_unjudged) +
                               " claim(s) the LLM engine left unjudged keep the offline verdict");
  Conclude(report, options);  // the score from the verified verdicts
  auto written = judge_.WriteReasoning(report);
  if (!written.ok()) {
    report->warnings.push_back("the LLM engine could not write the reasoning (" + written.status().ToString() +
                               "); the offline writer wrote it from the LLM's verdicts");
    WriteReasoning(report, options);
    return;
  }
  Count(written->answer, &engine);
  engine.sentences_dropped += written->sentences_dropped;
}

}  // namespace novelta
