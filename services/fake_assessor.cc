#include "services/fake_assessor.h"

#include <chrono>
#include <thread>

#include "base/text.h"

namespace novelta {

StatusOr<std::vector<Claim>> FakeAssessor::ExtractClaims(const Submission& s) const {
  std::vector<Claim> out;
  size_t start = 0;
  while (start < s.abstract.size()) {
    size_t dot = s.abstract.find('.', start);
    size_t end = dot == std::string::npos ? s.abstract.size() : dot + 1;
    std::string text(Trim(std::string_view(s.abstract).substr(start, end - start)));
    if (!text.empty()) {
      Claim c;
      c.id = "c" + std::to_string(out.size() + 1);
      c.text = text;
      c.span = {"abstract", start, end};
      c.score = 0.9;
      out.push_back(c);
    }
    start = end;
  }
  return out;
}

StatusOr<std::vector<PriorWork>> FakeAssessor::FindRelated(const Submission& s, const AssessParams& params) const {
  std::vector<PriorWork> out;
  for (int i = 0; i < std::min(params.top_k, 3); ++i) {
    PriorWork p;
    p.id = "P" + std::to_string(i + 1);
    p.title = "Prior work " + std::to_string(i + 1) + " on " + s.title;
    p.abstract = "We study " + s.abstract;
    p.year = 2020 + i;
    p.venue = "ICML";
    p.score = 0.9 - 0.1 * i;
    p.cited = i == 1;
    p.matched_by = {"paper"};
    out.push_back(p);
  }
  return out;
}

StatusOr<NoveltyReport> FakeAssessor::Assess(const Submission& s, const AssessParams& params) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_[s.title];
  }
  if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
  if (StartsWith(s.title, "FAIL")) return Status::InvalidArgument("the fake assessor fails this submission");
  NoveltyReport r;
  r.submission = s;
  r.cutoff = params.cutoff;
  NOVELTA_ASSIGN_OR_RETURN(auto claims, ExtractClaims(s));
  NOVELTA_ASSIGN_OR_RETURN(r.related_work, FindRelated(s, params));
  for (auto& c : claims) {
    AssessedClaim ac;
    ac.claim = c;
    Evidence e;
    e.prior_id = "P1";
    e.title = r.related_work.empty() ? "" : r.related_work[0].title;
    e.quote = c.text;
    e.similarity = 0.8;
    ac.verdict.verdict = Verdict::kPartiallyAnticipated;
    ac.verdict.max_similarity = 0.8;
    ac.verdict.evidence.push_back(e);
    r.claims.push_back(ac);
  }
  r.conclusion = Conclusion::kIncremental;
  r.novelty_score = 0.5;
  r.reasoning = "Fake reasoning.";
  r.timing_ms = {{"extract", 1.0}, {"retrieve", 2.0}, {"compare", 3.0}, {"total", 6.0}};
  r.index_id = "fake-index";
  return r;
}

IndexSummary FakeAssessor::index_summary() const { return {"fake-index", 3, 8, "2026-01-01T00:00:00Z"}; }

std::map<std::string, int> FakeAssessor::assess_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

int FakeAssessor::total_assess_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const auto& [t, c] : calls_) n += c;
  return n;
}

}  // namespace novelta
