// Alignment: how far automated novelty assessments agree with human reviewers,
// on the conclusion and on the reasoning, with the human–human ceiling beside
// every figure (one review against the other reviews of the same paper, on the
// same papers) and simple baselines for conclusions.
//
//   auto assessments = LoadAssessments("reports.jsonl");
//   auto papers = LoadHumanPapers("neurips2025-dev.jsonl.gz", {.resolver = &corpus});
//   AlignmentResult result = ComputeAlignment(*assessments, *papers, {});
//   double kappa = result.conclusion.per_review.assessment.cohens_kappa;
//   WriteAlignment(ToJson(result), "out/", Env::Default());   // out/alignment.json
//
// The inputs are read by alignment_inputs.h; the result's types, one per
// measure, are in alignment_result.h. Inputs and every metric are described
// in docs/alignment.md.
//
// Thread-safety: pure functions over their arguments.
#ifndef NOVELTA_ALIGNMENT_ALIGNMENT_H_
#define NOVELTA_ALIGNMENT_ALIGNMENT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"
#include "alignment/agreement_stats.h"
#include "alignment/alignment_inputs.h"
#include "alignment/alignment_result.h"
#include "alignment/review_reader.h"

namespace novelta::alignment {

// All metrics of assessments against the reviews of the same papers (its
// ToJson is the document written to alignment.json). Papers without an
// assessment, and assessments without reviews, are counted and left out.
AlignmentResult ComputeAlignment(const std::vector<Assessment>& assessments,
                                 const std::vector<HumanPaper>& papers,
                                 const AlignmentOptions& options = {});
// The human side only: how reviews were read (text-vs-score agreement, named
// and resolved works) and the human–human figures, over every paper.
HumanOnlyResult ComputeHumanOnly(const std::vector<HumanPaper>& papers,
                                 const AlignmentOptions& options = {});

// TF-IDF cosine similarity between documents, IDF from the documents given.
class TfIdf {
 public:
  explicit TfIdf(const std::vector<std::string>& documents);
  // Cosine of the TF-IDF vectors of documents a and b (indices into the
  // constructor's list), in [0,1]; 0 when either is empty.
  double Cosine(size_t a, size_t b) const;

 private:
  std::vector<std::vector<std::pair<uint32_t, double>>> vectors_;  // sorted, L2-normalised
};

// Writes `result` to DIR/alignment.json (atomically), creating DIR.
Status WriteAlignment(const Json& result, const std::string& dir, Env* env);

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_ALIGNMENT_H_
