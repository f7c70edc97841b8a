// Training the claim-sentence classifier from CSAbstruct and
// NLPContributionGraph (NCG), reproducibly: the same data and options give the
// same model file.
//
//  1. Examples: CSAbstruct train and NCG train minus a held-out share of its
//     tasks (chosen by a seeded hash of the task name; NCG test papers are
//     from other tasks than its train papers), with the contexts the
//     evaluation gives the scorer (claim_eval.h), in fastText format.
//  2. fastText on one thread, quantized (sentence_classifier.h).
//  3. Combination weights (classifier and cue rules) fitted on the tuning
//     sets only: CSAbstruct dev and the held-out NCG papers.
//  4. Optionally, F1 of the rules, the classifier and the combination on the
//     test sets, measured once and recorded.
//  5. OUT/claims.ftz and OUT/manifest.json (data files and their SHA-256,
//     settings, weights, scores, sizes, time, date).
//
// Thread-safety: a pure function of its inputs; uses one thread.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_TRAINING_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_TRAINING_H_

#include <cstdint>
#include <string>

#include "base/json.h"
#include "novelta/status.h"
#include "pipeline/extract/sentence_classifier.h"

namespace novelta {

struct ClaimTrainingOptions {
  // Folder with csabstruct/{train,dev,test}.jsonl and ncg/{train,test}.jsonl.gz. Required.
  std::string train_dir;
  // Output folder (created): claims.ftz (or claims.bin unquantized) and manifest.json. Required.
  std::string out_dir;
  ClassifierTrainOptions classifier;
  // Share of NCG train tasks (and their papers) held out for tuning. Default: 0.2.
  double ncg_holdout = 0.2;
  // Seed of the held-out choice. Default: 1.
  uint64_t split_seed = 1;
  // Fit the combination weights on the tuning sets (else the defaults). Default: true.
  bool fit_combination = true;
  // Measure on the test sets too. Default: true.
  bool evaluate_test = true;
  // Highest score of an introduction sentence without an own-work cue (see
  // CombinationWeights). Default: 0.45, below the extractor's threshold: such a
  // sentence is never a claim.
  double body_foreign_cap = 0.45;
  // Progress lines on stderr. Default: false.
  bool verbose = false;
};

// Trains, fits, scores and writes the model and its manifest; returns the manifest.
// Errors: NotFound / InvalidArgument for missing or malformed data, IOError
// for the output.
StatusOr<Json> TrainClaimModel(const ClaimTrainingOptions& options);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_TRAINING_H_
