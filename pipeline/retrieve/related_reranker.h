// RelatedReranker: the last step of stage 2. Retrieval merges many queries'
// rankings into one pool of candidates; the reranker reorders that pool by a
// trained estimate of how likely each candidate is prior work the submission
// builds on (measured as: cites), so that the related-work list a reviewer
// reads starts with the works that matter.
//
// It weighs what retrieval saw of a candidate (RetrievalSignals: which kinds
// of query found it and how high) with what a reviewer would notice beside
// similarity: how many years before the submission it appeared, whether its
// venue is the community most of the pool comes from, and whether the words
// and word pairs of its title occur in the submission's own text (a paper
// names the ideas it builds on). The model is a logistic regression over
// RerankFeatureNames(), trained by `novelta train-reranker` on the dev set's
// cited prior work (models/rerank/, with its manifest).
//
// Which model the assessor uses: RetrievalOptions::rerank_model (see
// RerankerForModel). A missing or unreadable model leaves the merged order,
// with one warning line.
//
// Thread-safety: a RelatedReranker is immutable after construction; all
// methods may be called concurrently.
#ifndef NOVELTA_PIPELINE_RETRIEVE_RELATED_RERANKER_H_
#define NOVELTA_PIPELINE_RETRIEVE_RELATED_RERANKER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/logistic_regression.h"
#include "novelta/status.h"
#include "novelta/model.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {

// What the features need to know of the submission.
struct RerankContext {
  std::string_view own_text;  // title, abstract, introduction, body up to the references
  int year = 0;               // of the submission (0: unknown)
  bool has_body = false;      // an introduction or full text, not only an abstract
};

// The names of the features, in the order RerankFeatures returns them.
const std::vector<std::string>& RerankFeatureNames();

// One row of features per work of `pool` (which is in merged order).
std::vector<std::vector<float>> RerankFeatures(const RerankContext& context,
                                               const std::vector<PriorWork>& pool);

class RelatedReranker {
 public:
  // From the JSON a trainer wrote. InvalidArgument when it is malformed or was
  // trained on other features than RerankFeatureNames().
  static StatusOr<std::unique_ptr<RelatedReranker>> FromJson(const Json& model);
  // Reads and parses a model file. NotFound, IOError or as FromJson.
  static StatusOr<std::unique_ptr<RelatedReranker>> Load(const std::string& path);
  Json ToJson() const;

  // The estimated probability, in [0,1], for one row of features.
  double Probability(const std::vector<float>& features) const;
  // Reorders `pool` (merged order, features in `features`) by probability,
  // best first (ties: merged order), and sets each work's score to it.
  void Rerank(const std::vector<std::vector<float>>& features, std::vector<PriorWork>* pool) const;

  // Per feature its mean and scale (the standardisation) and its weight on
  // the standardised value; `bias` the intercept. Sizes must agree.
  RelatedReranker(std::vector<double> mean, std::vector<double> scale, std::vector<double> weights,
                  double bias);
  explicit RelatedReranker(LogisticModel model) : model_(std::move(model)) {}

 private:
  LogisticModel model_;
};

// The reranker of `path` ("" or "none": null, no reranking). A model that
// cannot be loaded gives null and sets `warning` to one line saying so.
std::shared_ptr<const RelatedReranker> RerankerForModelPath(const std::string& path,
                                                            std::string* warning);
// The reranker RetrievalOptions::rerank_model names: "" the model shipped
// with novelta (models/rerank/, its path baked in at configure time), "none"
// null, else a path. Loaded once per process and path; a model that cannot
// be loaded gives null, its warning printed to stderr once.
std::shared_ptr<const RelatedReranker> RerankerForModel(const std::string& model);

// Training ------------------------------------------------------------------

// One submission's pool: features per candidate (merged order), which of
// them it cites, and how many corpus papers it cites in all (in the pool or not).
struct RerankGroup {
  std::string id;
  std::vector<std::vector<float>> features;
  std::vector<bool> cited;
  int n_gold = 0;
};

struct RerankTrainingOptions {
  // L2 penalty on the standardised weights (not the intercept). Default: 1.0.
  double l2 = 1.0;
  // Folds of the cross-fitted estimate (submissions split at random). Default: 2.
  int folds = 2;
  // Seed of the fold split. Default: 1.
  uint64_t seed = 1;
  // Newton (IRLS) iterations at most. Default: 50.
  int max_iterations = 50;
};

struct TrainedReranker {
  std::unique_ptr<RelatedReranker> model;  // fitted on every group
  // Recall@10/20/50 of the cited works, averaged over groups: of the merged
  // order, and of the reranked order with each fold scored by a model fitted
  // on the other folds (what to expect on unseen submissions).
  Json scores;
};

// Fits the logistic regression. InvalidArgument when there is nothing to fit
// (no group, rows of unequal width, no positive or no negative example).
StatusOr<TrainedReranker> TrainReranker(const std::vector<RerankGroup>& groups,
                                        const RerankTrainingOptions& options);

// Reads candidates.jsonl as `novelta eval --candidates` writes it: one line
// per submission, {"id", "n_gold", "works": [{"cited", "features"}, ...]}.
// Errors name the line.
StatusOr<std::vector<RerankGroup>> ReadRerankGroups(const std::string& candidates_path);

// Trains on `candidates_path` and writes OUT/reranker.json (the model) and
// OUT/manifest.json (data checksum, settings, scores), which it returns.
StatusOr<Json> TrainRerankerModel(const std::string& candidates_path, const std::string& out_dir,
                                  const RerankTrainingOptions& options);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_RETRIEVE_RELATED_RERANKER_H_
