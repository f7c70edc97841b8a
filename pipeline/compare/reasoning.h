// The written reasoning of a report: the paragraph a reviewer would write
// about the submission's novelty. It names the closest prior works, says for
// each which claim it overlaps with, what they share and where the submission
// differs, says which claims have no close counterpart among the works
// compared, and ends with the conclusion and what weighs on the score. Every
// sentence carries the ids of the claims and prior works it rests on
// (ReasoningSentence), so each statement can be traced to its evidence.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_COMPARE_REASONING_H_
#define NOVELTA_PIPELINE_COMPARE_REASONING_H_

#include "novelta/model.h"
#include "novelta/options.h"

namespace novelta {

// Fills report->reasoning_sentences and report->reasoning from the claims'
// verdicts and evidence, the related work, the conclusion and novelty score.
void WriteReasoning(NoveltyReport* report, const CompareOptions& options);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_COMPARE_REASONING_H_
