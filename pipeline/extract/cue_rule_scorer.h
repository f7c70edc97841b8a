// The cue rules: stage 1's hand-written sentence scorer. It reads the phrases
// by which a paper states its own contributions ("we propose", "this paper
// presents", "our method", "outperforms") against those of background and
// related work ("recent work has", "however, existing methods", citations).
// It scores alone when no trained model is found, and inside the combined
// scorer (sentence_classifier.h) it knows what a first-person contribution
// statement looks like, where the classifier knows what the labelled corpora
// call a contribution sentence.
//
// Thread-safety: the scorer is immutable and Score may be called
// concurrently; HasOwnWorkCue is a pure function.
#ifndef NOVELTA_PIPELINE_EXTRACT_CUE_RULE_SCORER_H_
#define NOVELTA_PIPELINE_EXTRACT_CUE_RULE_SCORER_H_

#include <memory>
#include <string_view>

#include "pipeline/extract/sentence_scorer.h"

namespace novelta {

// Cue rules: first-person contribution phrases ("we propose", "this paper
// presents", "our method"), result phrases ("outperforms", "state-of-the-art"),
// background phrases against ("recent work has", "however, existing methods",
// citations, questions) and, in an abstract, the sentence's position (later
// sentences more often state methods and results). In any other field only
// strong first-person contribution cues and contribution-list items count.
// `cue` receives the strongest cue found, or "position" / "" when none.
std::unique_ptr<SentenceScorer> NewCueRuleScorer();

// True when a sentence shows the paper speaking of its own work: "we",
// "our", "us", "this paper / work / study", "the proposed", "here". A weak
// test, used to keep a trained classifier from calling background a claim.
bool HasOwnWorkCue(std::string_view sentence);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CUE_RULE_SCORER_H_
