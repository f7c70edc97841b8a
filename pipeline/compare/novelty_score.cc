#include "pipeline/compare/novelty_score.h"

#include <algorithm>

#include "pipeline/retrieve/work_detail.h"

namespace novelta {
namespace {

// A work's place in the merged list before reranking; -1 when unknown.
int MergedRank(const PriorWork& w) { return w.detail ? w.detail->signals.merged_rank : -1; }

}  // namespace

NoveltyFactors ComputeNoveltyFactors(const NoveltyReport& report, const CompareOptions& options) {
  NoveltyFactors f;
  // Each claim's overlap with prior work, from its verdict: results and
  // analyses weigh half, because a reviewer judges a paper's novelty by what
  // it proposes more than by how well it does.
  double total = 0, weight = 0;
  for (const auto& ac : report.claims) {
    const double o = ac.verdict.verdict == Verdict::kAnticipated            ? 1.0
                     : ac.verdict.verdict == Verdict::kPartiallyAnticipated ? 0.5
                                                                            : 0.0;
    const double w =
        ac.claim.type == ClaimType::kResult || ac.claim.type == ClaimType::kAnalysis ? 0.5 : 1.0;
    total += w * o;
    weight += w;
    if (ac.claim.type == ClaimType::kTheory) f.theory_claims.push_back(ac.claim.id);
    if (ac.claim.type == ClaimType::kDataset) f.dataset_claims.push_back(ac.claim.id);
  }
  f.anticipation = weight > 0 ? total / weight : 0;
  const size_t n = std::max<size_t>(1, report.claims.size());
  f.theory_share = static_cast<double>(f.theory_claims.size()) / n;
  f.dataset_share = static_cast<double>(f.dataset_claims.size()) / n;
  const int year = report.cutoff.known() ? report.cutoff.year : report.submission.submitted.year;
  // The closest papers by retrieval similarity: the list's order when it was
  // reranked by likely relevance is not a measure of how crowded the topic is.
  std::vector<const PriorWork*> by_similarity;
  for (const auto& w : report.related_work) by_similarity.push_back(&w);
  const bool ranks_known = std::all_of(by_similarity.begin(), by_similarity.end(),
                                       [](const PriorWork* w) { return MergedRank(*w) >= 0; });
  if (ranks_known)
    std::stable_sort(by_similarity.begin(), by_similarity.end(), [](const PriorWork* a, const PriorWork* b) {
      return MergedRank(*a) < MergedRank(*b);
    });
  size_t closest = 0;
  for (const PriorWork* w : by_similarity) {
    if (closest++ >= 20) break;
    if (year > 0 && w->year >= year - 2) f.recent_prior.push_back(w->id);
  }
  // Without a date the share is unknown: use its typical value.
  f.recent_share = year > 0 && closest > 0
                       ? static_cast<double>(f.recent_prior.size()) / std::min<size_t>(closest, 20)
                       : 0.64;
  return f;
}

void Conclude(NoveltyReport* report, const CompareOptions& options) {
  if (report->claims.empty()) {
    report->novelty_score = 0.5;
    report->conclusion = Conclusion::kIncremental;
    return;
  }
  NoveltyFactors f = ComputeNoveltyFactors(*report, options);
  double nudge = options.overlap_per_recent_share * (f.recent_share - 0.64) +
                 options.overlap_per_theory_share * f.theory_share +
                 options.overlap_per_dataset_share * f.dataset_share;
  nudge = std::clamp(nudge, -options.max_nudge, options.max_nudge);
  report->novelty_score =
      std::clamp(options.novelty_base - options.novelty_per_overlap * f.anticipation - nudge, 0.0, 1.0);
  if (report->novelty_score >= options.novel_score_threshold)
    report->conclusion = Conclusion::kNovel;
  else if (report->novelty_score >= options.incremental_score_threshold)
    report->conclusion = Conclusion::kIncremental;
  else
    report->conclusion = Conclusion::kNotNovel;
}

}  // namespace novelta
