// The evaluation harness: runs the full pipeline on every submission of a
// dataset in the shared eval format and measures it against the human reviews
// of the same papers — conclusions, reasoning, retrieval of the papers' own
// cited prior work, claim extraction — beside the baselines that make each
// figure meaningful and the human–human ceiling.
//
// Thread-safety: RunEvaluation uses its own worker threads; call it from one thread.
#ifndef NOVELTA_EVALUATION_EVALUATION_H_
#define NOVELTA_EVALUATION_EVALUATION_H_

#include <memory>
#include <string>

#include "base/json.h"
#include "novelta/status.h"
#include "index/paper_index.h"
#include "novelta/assessor.h"

namespace novelta {

struct EvalOptions {
  // Papers evaluated: 0 = all; otherwise a seeded random sample of this many. Default: 0.
  size_t limit = 0;
  // Seed of the sample, the bootstrap and the random baseline. Default: 42.
  uint64_t seed = 42;
  // Worker threads, each running one assessment at a time. Default: 2.
  int threads = 2;
  // Prior works retrieved per query. Default: 20.
  int top_k = 20;
  // CSAbstruct test file and NLPContributionGraph test file for claim
  // extraction F1; empty: not measured. Defaults: empty.
  std::string csabstruct_test;
  std::string ncg_test;
  // Pipeline settings.
  AssessorOptions assessor;
  // Progress bar on a terminal. Default: true.
  bool progress = true;
};

struct EvalResult {
  Json metrics;       // what metrics.json holds
  std::string html;   // report.html: tables and inline SVG charts
  // papers.jsonl: one line per paper evaluated — conclusion, novelty score,
  // claims' verdicts and similarities, related-work scores, the reviewers'
  // scores and conclusions, retrieval recall.
  std::string papers_jsonl;
  // candidates.jsonl when assessor.record_rerank_features is set: per paper
  // with cited prior work in the corpus, each candidate of its related-work
  // pool with its reranker features, whether the paper cites it and whether
  // a reviewer names it (what `novelta train-reranker` fits); else empty.
  std::string candidates_jsonl;
};

// Evaluates `dataset` (JSON Lines, plain or gzip, in the shared eval format).
StatusOr<EvalResult> RunEvaluation(const std::string& dataset,
                                   std::shared_ptr<const PaperIndex> index,
                                   const EvalOptions& options);

// Writes metrics.json, papers.jsonl and report.html into `dir` (created if missing).
Status WriteEvaluation(const EvalResult& result, const std::string& dir, Env* env = Env::Default());

// The HTML report of a metrics document (see RunEvaluation).
std::string RenderEvaluationHtml(const Json& metrics);

}  // namespace novelta

#endif  // NOVELTA_EVALUATION_EVALUATION_H_
