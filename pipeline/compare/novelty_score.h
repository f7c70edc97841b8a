// The novelty score and conclusion of a report: 1 minus the share of the
// submission's claims that prior work covers (by their verdicts, so by the
// evidence shown), nudged by what reviewers rate lower or higher beside
// overlap, then cut into novel / incremental / not_novel. A report whose
// claims no evidence overlaps is novel, so its conclusion never contradicts
// its claims (CompareOptions holds the weights and cut points; docs/quality.md).
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
  double anticipation = 0;   // weighted mean claim overlap in [0,1] (1: every claim anticipated)
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
