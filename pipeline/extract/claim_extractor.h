// Stage 1, extract: finds the contributions a submission claims for itself —
// "we propose", "we show", and the objective / method / result sentences of
// its abstract and introduction — and types each one (method, task, dataset,
// result, theory, analysis) with its facets and its byte span in the input.
//
// Thread-safety: a ClaimExtractor is immutable after construction; Extract may
// be called concurrently.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_EXTRACTOR_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_EXTRACTOR_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"
#include "novelta/model.h"
#include "novelta/options.h"

namespace novelta {

// Where a sentence sits, to help a classifier: which field, its position.
struct SentenceContext {
  std::string field;     // "abstract", "introduction", ...
  size_t index = 0;      // 0-based position in that field
  size_t count = 0;      // sentences in that field
  // The sentence is an item of a list announced as the paper's contributions
  // ("Our contributions are as follows:" then "- We ...", "(1) ..."). Default: false.
  bool in_contribution_list = false;
  // The heading of the section the sentence sits in, lower-cased and with
  // single spaces ("introduction", "experimental setup"); empty in an
  // abstract or when unknown. Default: empty.
  std::string section;
  // 0-based position of the sentence after that heading. Default: 0.
  size_t section_index = 0;
  // The sentences before and after it in the same field (empty at either
  // end); valid only during the Score call. Default: empty.
  std::string_view previous;
  std::string_view next;
};

// Scores how likely a sentence states one of the paper's own contributions.
// The rule-based scorer uses cue phrases; a trained classifier (fastText) can
// be plugged in behind the same interface. Implementations must be safe to
// call concurrently (Score is const).
class SentenceScorer {
 public:
  virtual ~SentenceScorer() = default;
  // Probability in [0,1]; `cue` (optional) receives what decided it.
  virtual double Score(std::string_view sentence, const SentenceContext& ctx,
                       std::string* cue) const = 0;
};
// Cue rules: first-person contribution phrases ("we propose", "this paper
// presents", "our method"), result phrases ("outperforms", "state-of-the-art"),
// background phrases against ("recent work has", "however, existing methods",
// citations, questions) and, in an abstract, the sentence's position (later
// sentences more often state methods and results). In any other field only
// strong first-person contribution cues and contribution-list items count.
// `cue` receives the strongest cue found, or "position" / "" when none.
std::unique_ptr<SentenceScorer> NewCueRuleScorer();

// A section heading as SentenceContext::section: lower-cased, single
// spaces, a leading numbering ("4.1", "IV.") dropped. "## 3.2 Main Results" -> "main results".
std::string NormalizeSectionHeading(std::string_view heading);

// True when a sentence shows the paper speaking of its own work: "we",
// "our", "us", "this paper / work / study", "the proposed", "here". A weak
// test, used to keep a trained classifier from calling background a claim.
bool HasOwnWorkCue(std::string_view sentence);

struct ExtractionResult {
  std::vector<Claim> claims;      // in text order, ids c1..cN
  size_t dropped_past_limit = 0;  // claims above min_score dropped by max_claims
};

class ClaimExtractor {
 public:
  // `scorer` null: DefaultSentenceScorer() (sentence_classifier.h), the
  // shipped classifier combined with the cue rules, or the cue rules alone
  // when no model is found. Pass NewCueRuleScorer() for the rules alone.
  explicit ClaimExtractor(ExtractorOptions options = {},
                          std::shared_ptr<const SentenceScorer> scorer = nullptr);
  ExtractionResult Extract(const Submission& submission) const;
  const ExtractorOptions& options() const { return options_; }

 private:
  ExtractorOptions options_;
  std::shared_ptr<const SentenceScorer> scorer_;
};

// Types a claim sentence from its wording ("we prove" -> theory, "we introduce
// a dataset" -> dataset, "outperforms" -> result, ...).
ClaimType ClassifyClaimType(std::string_view sentence);
// Facets of a claim sentence: "object", "task", "dataset", "metric", "method".
std::map<std::string, std::vector<std::string>> ExtractFacets(std::string_view sentence);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_EXTRACTOR_H_
