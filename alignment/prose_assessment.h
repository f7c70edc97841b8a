// Another system's novelty assessment written as prose — the summary a
// structured novelty pipeline or an LLM writes for a paper — read the way a
// human review is read (review_reader.h), so that any system can be scored
// beside the reviewers with the same measures as a novelta report
// (alignment.h). Its novelty statements give the conclusion (ConclusionFrom-
// Statements: novel, incremental, not_novel, or no_opinion when no statement
// takes a side), the prior works it names (resolved to corpus papers through
// the assessed paper's references list, as a review's are), its aspects and
// the text its rationale is compared by.
//
// A prose assessment has no originality score, so its conclusion is its
// text's alone; reviews' conclusions lean on their scores (docs/alignment.md,
// "Other systems' prose assessments").
//
// Thread-safety: pure functions over their arguments; a PriorWorkResolver
// must be safe for concurrent const calls.
#ifndef NOVELTA_ALIGNMENT_PROSE_ASSESSMENT_H_
#define NOVELTA_ALIGNMENT_PROSE_ASSESSMENT_H_

#include <string>
#include <vector>

#include "alignment/alignment_inputs.h"
#include "alignment/review_reader.h"

namespace novelta::alignment {

// Reads `a->text` with the paper's references list and `resolver` (null:
// named works stay unresolved) and sets the assessment from the reading: kind
// prose, reading, conclusion, reasoning (the novelty statements joined),
// cited_prior_ids (the resolved named works, in order of mention) and
// claim_aspects (the aspects of the statements that take a side or name a
// work).
void ReadProse(const PaperContext& paper, const PriorWorkResolver* resolver, Assessment* a);

// Reads every prose assessment again with the references list of its paper
// in `papers` (empty when the paper is not there) and `resolver`, so that its
// "Author et al. (2021)" and "[3]" resolve as they do in that paper's
// reviews. Other assessments are left as they are.
void ReadProseAssessments(const std::vector<HumanPaper>& papers, const PriorWorkResolver* resolver,
                          std::vector<Assessment>* assessments);

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_PROSE_ASSESSMENT_H_
