// Submissions as the evaluation gives them to the pipeline — references
// withheld, since the works a paper cites are the answer key of retrieval —
// and the trust block of reports that any build or system made from them.
// With these, `novelta trust` puts an older build (or another assessor) in the
// same "trust" table as `novelta eval`: write the withheld submissions, assess
// them with the other build, score its reports.
//
// Thread-safety: plain functions; the index is only read.
#ifndef NOVELTA_EVALUATION_WITHHELD_H_
#define NOVELTA_EVALUATION_WITHHELD_H_

#include <string>
#include <unordered_set>

#include "base/env.h"
#include "base/json.h"
#include "index/paper_index.h"
#include "novelta/model.h"

namespace novelta {

// The submission without its references: the full text cut before them (and
// before a checklist or appendices), its sections found again.
Submission WithheldSubmission(const Submission& submission);

// The ids of the corpus works the submission's references resolve to, dated
// before it and not the submission itself.
std::unordered_set<std::string> CitedPriorWork(const Submission& submission, const PaperIndex& index);

// Writes every record of `dataset` (the shared eval format) that parses as a
// submission to `out`, one JSON object a line ({"id", "title", "abstract",
// "submitted"?, "fulltext"?}), as `novelta assess` reads them. Returns how
// many were written.
StatusOr<size_t> WriteWithheldSubmissions(const std::string& dataset, const std::string& out,
                                          Env* env = Env::Default());

// The trust block (evaluation/trust.h) of `reports` (JSON Lines, one report a
// line as `novelta assess --format json` writes them), each report's cited
// works taken from the `dataset` record of the same id. InvalidArgument on a
// line that is not a report; reports whose id is not in the dataset count
// with no references known.
StatusOr<Json> TrustOfReports(const std::string& dataset, const PaperIndex& index,
                              const std::string& reports);

}  // namespace novelta

#endif  // NOVELTA_EVALUATION_WITHHELD_H_
