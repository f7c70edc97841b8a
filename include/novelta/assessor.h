// Assessor: the three stages end to end. A submission goes in, a NoveltyReport
// comes out: extract claims (stage 1), retrieve prior work from the index
// (stage 2), compare each claim with the closest prior passages (stage 3).
//
// The REST service and the CLI depend only on this interface, so tests can
// put a fake behind them. Part of the public API (with status.h, date.h,
// model.h and options.h).
//
// Thread-safety: an Assessor is immutable after Open; all methods may be called
// concurrently.
#ifndef NOVELTA_ASSESSOR_H_
#define NOVELTA_ASSESSOR_H_

#include <memory>
#include <string>
#include <vector>

#include "novelta/model.h"
#include "novelta/options.h"
#include "novelta/status.h"

namespace novelta {

// Per-request settings.
struct AssessParams {
  // Prior works retrieved for the paper and for each claim before merging. Default: 20.
  int top_k = 20;
  // Only prior work dated before this counts; unknown: the submission's own date.
  Date cutoff;
};

// What the loaded index holds (for readiness, metrics and reports).
struct IndexSummary {
  std::string index_id;   // the manifest's hash
  size_t n_papers = 0;
  int dimensions = 0;
  std::string built_at;   // ISO 8601
};

class Assessor {
 public:
  virtual ~Assessor() = default;
  // All three stages.
  virtual StatusOr<NoveltyReport> Assess(const Submission& submission,
                                         const AssessParams& params) const = 0;
  // Stage 1 alone.
  virtual StatusOr<std::vector<Claim>> ExtractClaims(const Submission& submission) const = 0;
  // Stage 2 alone (for the paper and its claims), merged, closest first.
  virtual StatusOr<std::vector<PriorWork>> FindRelated(const Submission& submission,
                                                       const AssessParams& params) const = 0;
  virtual IndexSummary index_summary() const = 0;
};

// Opens the index built by `novelta index build` in `index_dir`.
// Errors: NotFound (no index there), Corruption (checksum mismatch or a
// half-written index), InvalidArgument (incompatible format version).
StatusOr<std::unique_ptr<Assessor>> OpenAssessor(const std::string& index_dir,
                                                 const AssessorOptions& options = {});

}  // namespace novelta

#endif  // NOVELTA_ASSESSOR_H_
