// Stage 3, compare: each claim against the closest passages (abstract
// sentences) of the retrieved prior work. A claim's verdict — novel,
// partially_anticipated or anticipated — rests on quoted evidence: verbatim
// sentences of prior abstracts with their similarity to the claim. The claims'
// verdicts then give the paper's novelty score, its conclusion (novel,
// incremental, not_novel) and a written reasoning whose every sentence names
// the claims and prior works it rests on.
//
// Thread-safety: a Comparer is immutable; its methods may be called concurrently.
#ifndef NOVELTA_PIPELINE_COMPARE_COMPARER_H_
#define NOVELTA_PIPELINE_COMPARE_COMPARER_H_

#include <string>
#include <vector>

#include "index/paper_index.h"
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

class Comparer {
 public:
  // `index` embeds claims and passages; it must outlive the Comparer.
  Comparer(const PaperIndex* index, CompareOptions options = {});

  // The verdict for one claim against `related` (closest first).
  ClaimVerdict CompareClaim(const Claim& claim, const std::vector<PriorWork>& related) const;

  // Compares every claim of `report` (claims and related_work filled in) and
  // fills verdicts, novelty_score, conclusion and the reasoning.
  void Assess(NoveltyReport* report) const;

  const CompareOptions& options() const { return options_; }

 private:
  struct Passage;
  std::vector<Passage> Passages(const std::vector<PriorWork>& related) const;
  ClaimVerdict Judge(const Claim& claim, const std::vector<PriorWork>& related,
                     const std::vector<Passage>& passages) const;
  NoveltyFactors Factors(const NoveltyReport& report) const;
  void Conclude(NoveltyReport* report) const;
  void WriteReasoning(NoveltyReport* report) const;

  const PaperIndex* index_;
  CompareOptions options_;
};

// True when `e.quote` is exactly the bytes [quote_start, quote_end) of `abstract`.
bool EvidenceIsVerbatim(const Evidence& e, const std::string& abstract);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_COMPARE_COMPARER_H_
