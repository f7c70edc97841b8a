// Stage 3, compare: each claim against the passages (abstract sentences) of
// the closest related works. A passage is quoted as evidence only when a
// reviewer would cite it when judging the claim: the evidence model
// (evidence_model.h) estimates that from the passage's similarity to the claim
// and from how close its whole work is to the submission. A claim with no
// passage close enough says so instead of showing weak quotes. Its verdict —
// novel, partially_anticipated or anticipated — rests on the evidence shown;
// its confidence is the estimated chance that verdict is right. The claims'
// verdicts then give the paper's novelty score and conclusion
// (novelty_score.h) and a written reasoning whose every sentence names the
// claims and prior works it rests on (reasoning.h).
//
// Thread-safety: a Comparer is immutable; its methods may be called concurrently.
#ifndef NOVELTA_PIPELINE_COMPARE_COMPARER_H_
#define NOVELTA_PIPELINE_COMPARE_COMPARER_H_

#include <memory>
#include <string>
#include <vector>

#include "index/paper_index.h"
#include "novelta/model.h"
#include "novelta/options.h"
#include "pipeline/compare/evidence_model.h"

namespace novelta {

// One passage of a related work as a candidate quote for one claim.
struct ScoredPassage {
  size_t work = 0;            // index into the report's related_work
  size_t start = 0, end = 0;  // byte span in that work's abstract
  EvidenceSignals signals;
  double relevance = 0;       // the evidence model's probability (0 without a model)
};

class Comparer {
 public:
  // `index` embeds claims and passages; it must outlive the Comparer. The
  // evidence model is the one options.evidence_model names (EvidenceModelFor).
  Comparer(const PaperIndex* index, CompareOptions options = {});

  // Compares every claim of `report` (claims and related_work filled in) and
  // fills verdicts, novelty_score, conclusion and the reasoning.
  void Assess(NoveltyReport* report) const;

  // The verdict for one claim of `report` (its submission and related work
  // filled in).
  ClaimVerdict CompareClaim(const Claim& claim, const NoveltyReport& report) const;

  // Every passage of the compared works scored against each claim of
  // `report`, one list per claim: what the evidence model is trained on.
  std::vector<std::vector<ScoredPassage>> ScorePassages(const NoveltyReport& report) const;

  const CompareOptions& options() const { return options_; }

 private:
  struct Work;
  std::vector<Work> Works(const NoveltyReport& report) const;
  std::vector<ScoredPassage> Score(const Claim& claim, const std::vector<Work>& works) const;
  ClaimVerdict Judge(const Claim& claim, const std::vector<PriorWork>& related,
                     const std::vector<Work>& works) const;

  const PaperIndex* index_;
  CompareOptions options_;
  std::shared_ptr<const EvidenceModel> model_;  // null: similarity alone
};

// True when `e.quote` is exactly the bytes [quote_start, quote_end) of `abstract`.
bool EvidenceIsVerbatim(const Evidence& e, const std::string& abstract);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_COMPARE_COMPARER_H_
