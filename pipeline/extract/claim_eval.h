// Sentence-level evaluation of a SentenceScorer against labelled data: how
// well it tells the sentences that state a paper's own contributions from
// the rest. Two public datasets are read:
//
//  - CSAbstruct (JSON Lines: {"abstract_id", "sentences": [...], "labels": [...]}):
//    a sentence is positive when labelled objective, method or result;
//    background and other are negative. Every sentence is scored as part of
//    the "abstract" field.
//  - NLPContributionGraph (gzip JSON Lines: {"paper", "sentences": [{"i", "text",
//    "label"}]}): a sentence is positive when labelled 1. Sentences before the
//    "Introduction" heading are scored as "abstract", the rest as
//    "introduction". One-word heading lines ("title", "abstract",
//    "Introduction") are left out of the positions given to the scorer and
//    always predicted negative.
//
// Thread-safety: pure functions; the scorer must allow concurrent Score calls.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_EVAL_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_EVAL_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "novelta/status.h"
#include "pipeline/extract/claim_extractor.h"

namespace novelta {

// Counts of a binary decision against labels, and the figures derived from them.
struct ClassificationScore {
  size_t n = 0;   // sentences evaluated
  size_t tp = 0;  // predicted claim, labelled positive
  size_t fp = 0;  // predicted claim, labelled negative
  size_t fn = 0;  // not predicted, labelled positive
  double precision = 0;  // tp / (tp + fp); 0 when nothing was predicted
  double recall = 0;     // tp / (tp + fn); 0 when nothing is positive
  double f1 = 0;         // harmonic mean of the two; 0 when both are 0

  // Fills precision, recall and f1 from the counts.
  void Finish();
};

// One labelled sentence with the context a scorer is given for it.
struct LabelledSentence {
  std::string_view text;
  SentenceContext ctx;
  bool positive = false;
  // A heading pseudo-sentence (NCG one-word lines): counted, always predicted
  // negative, never scored.
  bool heading = false;
  std::string group;  // the abstract id (CSAbstruct) or paper (NCG) it belongs to
};
// Called once per sentence, in file order; the views are valid during the call only.
using LabelledSentenceVisitor = std::function<void(const LabelledSentence&)>;

// Reads every sentence of a CSAbstruct / NCG file. Errors as for the
// Evaluate functions below.
Status ForEachCsAbstructSentence(const std::string& path, const LabelledSentenceVisitor& visit);
Status ForEachNcgSentence(const std::string& path, const LabelledSentenceVisitor& visit);

// True for a line of a paper that reads as a section heading: at most eight
// words, no final sentence punctuation, starting with a letter or digit
// ("Experimental Setup", "4.1 Baselines").
bool LooksLikeSectionHeading(std::string_view text);

// Adds one decision to `score` (call Finish afterwards).
void CountDecision(bool predicted, bool positive, ClassificationScore* score);

// A sentence is predicted a claim when `scorer` gives it at least
// `options.min_score`. Errors: NotFound / IOError for the file, InvalidArgument
// naming "path:line" for a malformed record.
StatusOr<ClassificationScore> EvaluateOnCsAbstruct(const SentenceScorer& scorer,
                                                   const std::string& path,
                                                   const ExtractorOptions& options = {});
StatusOr<ClassificationScore> EvaluateOnNcg(const SentenceScorer& scorer, const std::string& path,
                                            const ExtractorOptions& options = {});

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_EVAL_H_
