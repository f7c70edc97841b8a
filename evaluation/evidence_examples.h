// The evidence model's training data: an expert judge's labels of (claim,
// prior passage) pairs joined with the features the comparer computes for
// each pair in the pipeline as it runs now.
//
// A label names its pair by ids and byte offsets only (scripts/audit_labels.py
// writes them from audits): the paper's id in the dataset, the claim's span in
// the submission, the prior work's id and the quote's offsets in its abstract.
// Each labelled paper is assessed as a user would submit it (full text with
// its references), its claims replaced by the labelled ones, and every passage
// of the compared works scored (Comparer::ScorePassages); a label whose work
// is no longer among the compared works is counted and left out.
//
// Thread-safety: one call at a time per output file.
#ifndef NOVELTA_EVALUATION_EVIDENCE_EXAMPLES_H_
#define NOVELTA_EVALUATION_EVIDENCE_EXAMPLES_H_

#include <memory>
#include <string>

#include "base/json.h"
#include "index/paper_index.h"
#include "novelta/options.h"
#include "novelta/status.h"

namespace novelta {

struct EvidenceExportCounts {
  size_t labels = 0;            // lines of the labels file
  size_t papers = 0;            // labelled papers found in the dataset and assessed
  size_t examples = 0;          // labels joined with their features
  size_t missing_paper = 0;     // labels whose paper is not in the dataset
  size_t missing_work = 0;      // labels whose work is not among the compared works
  size_t missing_passage = 0;   // labels whose quote is not a passage of that work
  Json ToJson() const;
};

// Writes one line per joined label to `out_path`: {"paper_id", "relevant",
// "features"} (what ReadEvidenceExamples reads). `options` are the assessor's
// (its evidence_model is not used: features need no model).
StatusOr<EvidenceExportCounts> ExportEvidenceExamples(const std::string& labels_path,
                                                      const std::string& dataset_path,
                                                      std::shared_ptr<const PaperIndex> index,
                                                      const AssessorOptions& options,
                                                      const std::string& out_path);

}  // namespace novelta

#endif  // NOVELTA_EVALUATION_EVIDENCE_EXAMPLES_H_
