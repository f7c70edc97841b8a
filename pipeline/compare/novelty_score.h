// The novelty score and conclusion of a report: the reviewers' originality
// (1-4) predicted from how the claims relate to prior work and what they
// claim, rescaled to [0,1], then cut into novel / incremental / not_novel
// (CompareOptions holds the weights and cut points, fitted on dev papers;
// docs/quality.md).
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_COMPARE_NOVELTY_SCORE_H_
#define NOVELTA_PIPELINE_COMPARE_NOVELTY_SCORE_H_

#include <string>
#include <vector>

#include "novelta/model.h"
#include "novelta/options.h"

namespace novelta {

// What the novelty score rests on besides the claims' verdicts.
struct NoveltyFactors {
  double anticipation = 0;   // weighted mean claim anticipation in [0,1]
  double recent_share = 0;   // share of the 20 closest prior papers from the 2 years before the cutoff
  double theory_share = 0;   // share of claims typed theory
  double dataset_share = 0;  // share of claims typed dataset
  std::vector<std::string> recent_prior;    // ids of those recent prior papers
  std::vector<std::string> theory_claims;   // claim ids
  std::vector<std::string> dataset_claims;  // claim ids
};

// The factors of a report whose claims have their verdicts.
NoveltyFactors ComputeNoveltyFactors(const NoveltyReport& report, const CompareOptions& options);

// Sets the report's novelty_score and conclusion.
void Conclude(NoveltyReport* report, const CompareOptions& options);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_COMPARE_NOVELTY_SCORE_H_
