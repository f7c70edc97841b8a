// The evidence model: how likely a reviewer would cite a prior passage when
// judging a claim's novelty — the same or a closely overlapping idea, method,
// setting or result, not shared words ("model", "code", "grid").
//
// Shared words alone separate relevant from irrelevant passages poorly (an
// expert judge found 15% of the quotes chosen by similarity relevant). What
// tells them apart is mostly the prior work as a whole: of quotes from works
// the judge called on topic, 40% were relevant; of quotes from off-topic
// works, none. So the model weighs, beside the passage's similarity to the
// claim, how close the whole work is to the submission (its words and
// embedding, its place and score in the related-work list, whether the
// submission cites it) and what kind of sentence the passage is (a method or
// result statement, or a generic opening, an availability line).
//
// It is a logistic regression (base/logistic_regression.h) trained by
// `novelta train-evidence` on (claim, passage) pairs of dev papers labelled
// by an expert judge (models/evidence/, with its manifest). The product never
// calls the judge: the labels are an instrument, the model a file.
//
// Thread-safety: EvidenceModel is immutable; Probability may be called concurrently.
#ifndef NOVELTA_PIPELINE_COMPARE_EVIDENCE_MODEL_H_
#define NOVELTA_PIPELINE_COMPARE_EVIDENCE_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/logistic_regression.h"
#include "novelta/model.h"
#include "novelta/status.h"

namespace novelta {

// What the comparer measures of one candidate passage for one claim.
struct EvidenceSignals {
  // The passage against the claim.
  float lexical = 0;           // TF-IDF cosine
  float dense_excess = 0;      // LSA cosine above the claim's background, in [0,1]
  float similarity = 0;        // the blend of the two the report shows
  float claim_coverage = 0;    // share of the claim's TF-IDF mass the passage's words cover
  float passage_coverage = 0;  // share of the passage's TF-IDF mass the claim's words cover
  int shared_pieces = 0;       // word pieces both contain
  int shared_phrases = 0;      // pairs of adjacent content words both contain ("noise injection")
  float object_coverage = 0;   // share of what the claim proposes (its "object" facet) the passage names
  float names_found = 0;       // share of the names the claim mentions ("DPO", "LoRA") in the work
  int rank_in_claim = 0;       // 0-based rank of its similarity among the claim's candidates
  float similarity_gap = 0;    // its similarity minus the claim's best
  // The passage itself.
  int passage_index = 0;       // 0-based sentence of the prior abstract
  int passages = 1;            // sentences in that abstract
  bool own_work = false;       // states the prior paper's own work ("we propose", "this paper")
  bool not_a_claim = false;    // reads as background, availability, generic result... (WhyNotAClaim)
  int passage_bytes = 0;
  // The prior work.
  int work_rank = 0;                 // 0-based place in the related-work list
  float work_score = 0;              // its score there (the reranker's estimate)
  float work_closeness_lexical = 0;  // TF-IDF cosine of its title + abstract with the submission's
  float work_closeness_dense = 0;    // the same with the LSA embeddings
  float work_claim_lexical = 0;      // TF-IDF cosine of its title + abstract with the claim
  float title_in_claim = 0;          // share of its title's content words the claim uses
  // 1 when the submission's references cite it, 0 when they do not; without
  // a references list, the reranker's estimate that the submission cites it
  // (its expected value, so a title + abstract submission is not read as
  // citing nothing).
  float cited = 0;
  bool named_only = false;           // found only because the submission mentions a name it coins
  int years_before = 0;              // years between it and the cutoff (0 when unknown)
  // The claim.
  ClaimType claim_type = ClaimType::kMethod;
  int claim_bytes = 0;
};

// The names of the features, in the order EvidenceFeatures returns them.
const std::vector<std::string>& EvidenceFeatureNames();
std::vector<float> EvidenceFeatures(const EvidenceSignals& s);

class EvidenceModel {
 public:
  explicit EvidenceModel(LogisticModel model) : model_(std::move(model)) {}
  // From the JSON TrainEvidenceModel wrote; InvalidArgument when malformed or
  // trained on other features than EvidenceFeatureNames().
  static StatusOr<std::unique_ptr<EvidenceModel>> FromJson(const Json& model);
  // Reads and parses a model file. NotFound, IOError or as FromJson.
  static StatusOr<std::unique_ptr<EvidenceModel>> Load(const std::string& path);
  Json ToJson() const;

  // The estimated probability, in [0,1], that the judge calls the passage relevant.
  double Probability(const EvidenceSignals& s) const { return model_.Probability(EvidenceFeatures(s)); }

 private:
  LogisticModel model_;
};

// The model CompareOptions::evidence_model names: "" the model shipped with
// novelta (models/evidence/, its path baked in at configure time), "none"
// null, else a path. Loaded once per process and path; a model that cannot be
// loaded gives null, its warning printed to stderr once.
std::shared_ptr<const EvidenceModel> EvidenceModelFor(const std::string& model);

// Training --------------------------------------------------------------------

// One judged pair: its features, the judge's label, and the paper it comes
// from (folds split by paper).
struct EvidenceExample {
  std::string paper_id;
  std::vector<float> features;
  bool relevant = false;
};

struct EvidenceTrainingOptions {
  // L2 penalty on the standardised weights. Default: 1.0.
  double l2 = 1.0;
  // Folds of the cross-fitted estimate (papers split at random). Default: 5.
  int folds = 5;
  // Seed of the fold split. Default: 1.
  uint64_t seed = 1;
};

struct TrainedEvidenceModel {
  std::unique_ptr<EvidenceModel> model;  // fitted on every example
  // Cross-fitted (each fold scored by a model fitted on the others): AUC, and
  // per probability threshold the share of pairs kept and their precision.
  Json scores;
};

StatusOr<TrainedEvidenceModel> TrainEvidence(const std::vector<EvidenceExample>& examples,
                                             const EvidenceTrainingOptions& options);

// Reads examples as `novelta eval --evidence-labels` writes them: one JSON
// object a line, {"paper_id", "relevant", "features": [...]}.
StatusOr<std::vector<EvidenceExample>> ReadEvidenceExamples(const std::string& path);

// Trains on `examples_path` and writes OUT/evidence.json and OUT/manifest.json
// (data checksums, settings, cross-fitted scores), which it returns.
// `provenance` (the labels, dataset and index the examples came from) is
// recorded under the manifest's "data".
StatusOr<Json> TrainEvidenceModel(const std::string& examples_path, const std::string& out_dir,
                                  const EvidenceTrainingOptions& options, const Json& provenance = Json::object());

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_COMPARE_EVIDENCE_MODEL_H_
