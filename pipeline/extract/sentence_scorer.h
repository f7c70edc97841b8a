// SentenceScorer: the interface by which stage 1 asks how likely a sentence
// states one of the paper's own contributions, and the SentenceContext it
// asks it in. Its own header because three kinds of scorer sit behind it —
// the cue rules (cue_rule_scorer.h), the trained classifier and the two
// combined (sentence_classifier.h) — and the extractor (claim_extractor.h),
// the sentence-level evaluation (claim_eval.h) and training
// (claim_training.h) each use it without needing the others.
//
// Thread-safety: SentenceContext is a plain value; implementations of
// SentenceScorer must be safe to call concurrently (Score is const).
#ifndef NOVELTA_PIPELINE_EXTRACT_SENTENCE_SCORER_H_
#define NOVELTA_PIPELINE_EXTRACT_SENTENCE_SCORER_H_

#include <cstddef>
#include <string>
#include <string_view>

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

// A section heading as SentenceContext::section: lower-cased, single
// spaces, a leading numbering ("4.1", "IV.") dropped. "## 3.2 Main Results" -> "main results".
std::string NormalizeSectionHeading(std::string_view heading);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_SENTENCE_SCORER_H_
