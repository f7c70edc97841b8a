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
#include "pipeline/model.h"

namespace novelta {

struct CompareOptions {
  // Related works (closest first) whose passages are compared with each claim. Default: 30.
  int candidate_papers = 30;
  // Evidence passages kept per claim, at most one per prior paper. Default: 3.
  int evidence_per_claim = 3;
  // Share of lexical (sparse TF-IDF cosine) similarity in a passage's score;
  // the rest is the dense (LSA) cosine in excess of its background. Default: 0.6.
  double lexical_weight = 0.6;
  // A claim whose closest passage scores at least this is anticipated. Default: 0.55.
  double anticipated_threshold = 0.55;
  // ... at least this, partially anticipated. Default: 0.35.
  double partial_threshold = 0.35;
  // The novelty score is the reviewers' originality (1-4) predicted from what
  // is claimed and how it relates to prior work, rescaled to [0,1]:
  // score = (predicted - 1) / 3, with predicted = intercept + the weighted
  // features below. The weights were fitted by least squares on 300 NeurIPS
  // 2025 dev papers (docs/quality.md); reviewers rate theory higher, datasets
  // and crowded recent topics lower, and anticipated claims lower.
  double originality_intercept = 2.948;
  // Mean anticipation of the claims (0: all novel, 1: all anticipated). Default: -0.307.
  double originality_per_anticipation = -0.307;
  // Share of the 20 closest prior papers from the 2 years before the cutoff. Default: -0.221.
  double originality_per_recent_share = -0.221;
  // Share of claims typed theory. Default: 0.425.
  double originality_per_theory_share = 0.425;
  // Share of claims typed dataset. Default: -0.531.
  double originality_per_dataset_share = -0.531;
  // Novelty score at or above which the conclusion is novel; set so that about
  // as many papers are called novel as reviewers call novel (65%). Default: 0.585.
  double novel_score_threshold = 0.585;
  // ... at or above which it is incremental (below: not_novel, about 2%). Default: 0.553.
  double incremental_score_threshold = 0.553;
  // Reasoning sentences that cite a specific anticipated claim. Default: 3.
  int reasoning_claims = 3;
};

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
