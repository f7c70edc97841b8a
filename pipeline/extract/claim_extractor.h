// Stage 1, extract: finds the contributions a submission claims for itself —
// "we propose", "we show", and the objective / method / result sentences of
// its abstract and introduction — and types each one (method, task, dataset,
// result, theory, analysis) with its facets and its byte span in the input.
//
// The stage's parts, each in its own file: the interface a sentence is
// scored through (sentence_scorer.h), the cue rules (cue_rule_scorer.h), the
// trained classifier combined with them (sentence_classifier.h), claim
// typing (claim_typing.h) and facets (claim_facets.h). This header includes
// the interface, the rules, typing and facets, so that a caller of the stage
// needs only it.
//
// Thread-safety: a ClaimExtractor is immutable after construction; Extract may
// be called concurrently.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_EXTRACTOR_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_EXTRACTOR_H_

#include <memory>
#include <vector>

#include "novelta/model.h"
#include "novelta/options.h"
#include "pipeline/extract/claim_facets.h"
#include "pipeline/extract/claim_typing.h"
#include "pipeline/extract/cue_rule_scorer.h"
#include "pipeline/extract/sentence_scorer.h"

namespace novelta {

struct ExtractionResult {
  std::vector<Claim> claims;      // in text order, ids c1..cN
  size_t dropped_past_limit = 0;  // claims above min_score dropped by max_claims
  size_t not_claims = 0;          // sentences scored as claims that WhyNotAClaim refused
  size_t merged = 0;              // restatements folded into another claim
};

class ClaimExtractor {
 public:
  // `scorer` null: ScorerForModel(options.claims_model)
  // (sentence_classifier.h), the classifier that option names (by default the
  // shipped one) combined with the cue rules, or the cue rules alone when no
  // model is found. Pass NewCueRuleScorer() for the rules alone.
  explicit ClaimExtractor(ExtractorOptions options = {},
                          std::shared_ptr<const SentenceScorer> scorer = nullptr);
  ExtractionResult Extract(const Submission& submission) const;
  const ExtractorOptions& options() const { return options_; }

 private:
  ExtractorOptions options_;
  std::shared_ptr<const SentenceScorer> scorer_;
};

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_EXTRACTOR_H_
