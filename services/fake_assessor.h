// FakeAssessor: a deterministic Assessor for service tests. It derives claims
// from the abstract's sentences and returns fixed related work; it can be made
// slow (delay_ms) and fails any submission whose title starts with "FAIL".
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_FAKE_ASSESSOR_H_
#define NOVELTA_SERVICES_FAKE_ASSESSOR_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "novelta/assessor.h"

namespace novelta {

class FakeAssessor : public Assessor {
 public:
  explicit FakeAssessor(int delay_ms = 0) : delay_ms_(delay_ms) {}

  StatusOr<NoveltyReport> Assess(const Submission& submission, const AssessParams& params) const override;
  StatusOr<std::vector<Claim>> ExtractClaims(const Submission& submission) const override;
  StatusOr<std::vector<PriorWork>> FindRelated(const Submission& submission,
                                               const AssessParams& params) const override;
  IndexSummary index_summary() const override;

  // Assess calls per submission title.
  std::map<std::string, int> assess_calls() const;
  int total_assess_calls() const;

 private:
  int delay_ms_;
  mutable std::mutex mu_;
  mutable std::map<std::string, int> calls_;
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_FAKE_ASSESSOR_H_
