#include "pipeline/compare/comparer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "base/text.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {

struct Comparer::Passage {
  size_t work;        // index into `related`
  size_t start, end;  // byte span in that work's abstract
  SparseVector sparse;
  std::vector<float> dense;
};

namespace {

std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = text.rfind(' ', max_bytes);
  if (cut == std::string::npos || cut < max_bytes / 2) cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return text.substr(0, cut) + "...";
}

std::string Fmt2(double v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  return buf;
}

std::string WorkRef(const PriorWork& w) {
  return "\"" + w.title + "\"" + (w.year > 0 ? " (" + std::to_string(w.year) + ")" : "");
}

std::vector<std::string> SharedTerms(std::string_view a, std::string_view b) {
  std::set<std::string> in_a;
  for (auto& w : WordTokens(a))
    if (w.size() >= 3 && !IsStopword(w)) in_a.insert(w);
  std::vector<std::string> shared;
  std::set<std::string> seen;
  for (auto& w : WordTokens(b))
    if (in_a.count(w) && seen.insert(w).second) shared.push_back(w);
  if (shared.size() > 12) shared.resize(12);
  return shared;
}

// A work's place in the merged list before reranking; -1 when unknown.
int MergedRank(const PriorWork& w) { return w.detail ? w.detail->signals.merged_rank : -1; }

float DenseDot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

bool EvidenceIsVerbatim(const Evidence& e, const std::string& abstract) {
  return e.quote_end > e.quote_start && e.quote_end <= abstract.size() && !e.quote.empty() &&
         abstract.compare(e.quote_start, e.quote_end - e.quote_start, e.quote) == 0;
}

Comparer::Comparer(const PaperIndex* index, CompareOptions options)
    : index_(index), options_(options) {}

std::vector<Comparer::Passage> Comparer::Passages(const std::vector<PriorWork>& related) const {
  std::vector<Passage> out;
  const size_t n = std::min<size_t>(related.size(), std::max(0, options_.candidate_papers));
  const int dim = index_->dimensions();
  for (size_t w = 0; w < n; ++w) {
    const PriorWork& work = related[w];
    static const WorkDetail kNone;
    const WorkDetail& detail = work.detail ? *work.detail : kNone;
    std::vector<SentenceSpan> spans = detail.passages;
    if (spans.empty()) spans = SplitSentences(work.abstract);
    // The index's stored pieces of each passage spare tokenizing it again.
    const bool stored = !detail.passages.empty() && detail.passage_pieces.size() == spans.size();
    for (size_t k = 0; k < spans.size(); ++k) {
      const SentenceSpan& s = spans[k];
      if (s.end <= s.start || s.end > work.abstract.size()) continue;
      Passage p{w, s.start, s.end, {}, std::vector<float>(dim)};
      std::string_view text(work.abstract.data() + s.start, s.end - s.start);
      p.sparse = stored ? index_->SparseFromPieces(detail.passage_pieces[k]) : index_->Sparse(text);
      if (p.sparse.empty()) continue;
      index_->DenseFromSparse(p.sparse, p.dense.data());
      out.push_back(std::move(p));
    }
  }
  return out;
}

ClaimVerdict Comparer::Judge(const Claim& claim, const std::vector<PriorWork>& related,
                             const std::vector<Passage>& passages) const {
  ClaimVerdict v;
  SparseVector cs = index_->Sparse(claim.text);
  std::vector<float> cd(index_->dimensions());
  index_->DenseFromSparse(cs, cd.data());
  const double lw = options_.passage_lexical_share;

  // Dense cosines are measured against their background: the mean cosine of
  // the claim with all candidate passages. In a low-dimensional space two
  // unrelated texts can share a sizeable cosine; only the excess over that
  // background says the passage is about the same thing.
  std::vector<double> dense(passages.size());
  double background = 0;
  for (size_t i = 0; i < passages.size(); ++i) background += dense[i] = DenseDot(cd, passages[i].dense);
  if (!passages.empty()) background = std::clamp(background / passages.size(), 0.0, 0.95);

  // Best passage per prior work, then the best works.
  std::unordered_map<size_t, std::pair<double, const Passage*>> best;
  for (size_t i = 0; i < passages.size(); ++i) {
    const Passage& p = passages[i];
    double excess = std::max(0.0, (dense[i] - background) / (1 - background));
    double sim = lw * SparseDot(cs, p.sparse) + (1 - lw) * excess;
    auto& b = best[p.work];
    if (b.second == nullptr || sim > b.first) b = {sim, &p};
  }
  std::vector<std::pair<double, const Passage*>> ranked;
  for (auto& [w, b] : best) ranked.push_back(b);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->work < b.second->work;
  });
  for (const auto& [sim, p] : ranked) {
    if (static_cast<int>(v.evidence.size()) >= options_.evidence_per_claim) break;
    const PriorWork& w = related[p->work];
    Evidence e;
    e.prior_id = w.id;
    e.title = w.title;
    e.year = w.year;
    e.venue = w.venue;
    e.quote_start = p->start;
    e.quote_end = p->end;
    e.quote = w.abstract.substr(p->start, p->end - p->start);
    e.similarity = std::clamp(sim, 0.0, 1.0);
    e.shared_terms = SharedTerms(claim.text, e.quote);
    if (!EvidenceIsVerbatim(e, w.abstract)) continue;  // never show a quote we cannot verify
    v.evidence.push_back(std::move(e));
  }

  const double top = v.evidence.empty() ? 0.0 : v.evidence.front().similarity;
  v.max_similarity = top;
  const double hi = options_.anticipated_threshold, lo = options_.partial_threshold;
  double margin;  // distance to the nearest decision boundary
  if (top >= hi) {
    v.verdict = Verdict::kAnticipated;
    margin = top - hi;
  } else if (top >= lo) {
    v.verdict = Verdict::kPartiallyAnticipated;
    margin = std::min(top - lo, hi - top);
  } else {
    v.verdict = Verdict::kNovel;
    margin = lo - top;
  }
  // Far from a boundary -> confident; on it -> a coin toss.
  v.confidence = std::clamp(0.5 + margin / (2 * 0.15), 0.5, 1.0);
  if (v.evidence.empty()) v.confidence = 0.5;  // nothing to compare against
  return v;
}

ClaimVerdict Comparer::CompareClaim(const Claim& claim, const std::vector<PriorWork>& related) const {
  return Judge(claim, related, Passages(related));
}

void Comparer::Assess(NoveltyReport* report) const {
  auto passages = Passages(report->related_work);
  for (auto& ac : report->claims) ac.verdict = Judge(ac.claim, report->related_work, passages);
  Conclude(report);
  WriteReasoning(report);
}

NoveltyFactors Comparer::Factors(const NoveltyReport& report) const {
  NoveltyFactors f;
  // Each claim's degree of anticipation, from 0 (below the partial threshold)
  // to 1 (at the anticipated threshold), weighted by how sure stage 1 is that
  // it is a contribution at all.
  const double lo = options_.partial_threshold, hi = options_.anticipated_threshold;
  double total = 0, weight = 0;
  for (const auto& ac : report.claims) {
    double a = std::clamp((ac.verdict.max_similarity - lo) / (hi - lo), 0.0, 1.0);
    double w = 0.5 + 0.5 * std::clamp(ac.claim.score, 0.0, 1.0);
    total += w * a;
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

void Comparer::Conclude(NoveltyReport* report) const {
  if (report->claims.empty()) {
    report->novelty_score = 0.5;
    report->conclusion = Conclusion::kIncremental;
    return;
  }
  NoveltyFactors f = Factors(*report);
  const double predicted = options_.originality_intercept +
                           options_.originality_per_anticipation * f.anticipation +
                           options_.originality_per_recent_share * f.recent_share +
                           options_.originality_per_theory_share * f.theory_share +
                           options_.originality_per_dataset_share * f.dataset_share;
  report->novelty_score = std::clamp((predicted - 1.0) / 3.0, 0.0, 1.0);
  if (report->novelty_score >= options_.novel_score_threshold)
    report->conclusion = Conclusion::kNovel;
  else if (report->novelty_score >= options_.incremental_score_threshold)
    report->conclusion = Conclusion::kIncremental;
  else
    report->conclusion = Conclusion::kNotNovel;
}

void Comparer::WriteReasoning(NoveltyReport* report) const {
  auto& out = report->reasoning_sentences;
  out.clear();
  std::unordered_map<std::string, const PriorWork*> works;
  for (const auto& w : report->related_work) works[w.id] = &w;
  std::vector<std::string> all_claims;
  int n_ant = 0, n_part = 0, n_novel = 0;
  for (const auto& ac : report->claims) {
    all_claims.push_back(ac.claim.id);
    n_ant += ac.verdict.verdict == Verdict::kAnticipated;
    n_part += ac.verdict.verdict == Verdict::kPartiallyAnticipated;
    n_novel += ac.verdict.verdict == Verdict::kNovel;
  }
  const std::string cutoff =
      report->cutoff.known() ? " published before " + report->cutoff.ToString() : "";
  if (report->claims.empty()) {
    out.push_back({"No contribution statements were found in the submission, so no claim could be "
                   "compared with prior work.", {}, {}});
  } else {
    out.push_back({"Of " + std::to_string(report->claims.size()) + " claims, " +
                       std::to_string(n_ant) + " are anticipated, " + std::to_string(n_part) +
                       " partially anticipated and " + std::to_string(n_novel) +
                       " have no close counterpart among " +
                       std::to_string(report->related_work.size()) + " related papers" + cutoff + ".",
                   all_claims, {}});
  }

  // The most anticipated claims, each with the passage that anticipates it.
  std::vector<const AssessedClaim*> by_sim;
  for (const auto& ac : report->claims) by_sim.push_back(&ac);
  std::sort(by_sim.begin(), by_sim.end(), [](const AssessedClaim* a, const AssessedClaim* b) {
    return a->verdict.max_similarity > b->verdict.max_similarity;
  });
  int written = 0;
  for (const AssessedClaim* ac : by_sim) {
    if (written >= options_.reasoning_claims) break;
    if (ac->verdict.verdict == Verdict::kNovel || ac->verdict.evidence.empty()) break;
    const Evidence& e = ac->verdict.evidence.front();
    auto it = works.find(e.prior_id);
    if (it == works.end()) continue;
    std::string strength =
        ac->verdict.verdict == Verdict::kAnticipated ? "is anticipated by" : "overlaps with";
    out.push_back({"Claim " + ac->claim.id + " (" + ClaimTypeName(ac->claim.type) + ") " + strength +
                       " " + WorkRef(*it->second) + ", which states: \"" + Shorten(e.quote, 240) +
                       "\" (similarity " + Fmt2(e.similarity) + ").",
                   {ac->claim.id}, {e.prior_id}});
    ++written;
  }

  // The claim that stands out most, when one does.
  if (!by_sim.empty() && by_sim.back()->verdict.verdict == Verdict::kNovel) {
    const AssessedClaim* ac = by_sim.back();
    if (ac->verdict.evidence.empty()) {
      out.push_back({"Claim " + ac->claim.id + " (" + ClaimTypeName(ac->claim.type) +
                         ") has no related passage in the prior work retrieved.",
                     {ac->claim.id}, {}});
    } else {
      const Evidence& e = ac->verdict.evidence.front();
      auto it = works.find(e.prior_id);
      if (it != works.end())
        out.push_back({"Claim " + ac->claim.id + " (" + ClaimTypeName(ac->claim.type) +
                           ") has no close counterpart: its nearest prior passage, in " +
                           WorkRef(*it->second) + ", has similarity only " + Fmt2(e.similarity) + ".",
                       {ac->claim.id}, {e.prior_id}});
    }
  }

  // Close prior work the submission does not cite is what a reviewer most needs to see.
  std::vector<std::string> uncited_ids;
  std::string uncited;
  std::set<std::string> evidence_ids;
  for (const auto& ac : report->claims)
    for (const auto& e : ac.verdict.evidence)
      if (e.similarity >= options_.partial_threshold) evidence_ids.insert(e.prior_id);
  for (const auto& w : report->related_work) {
    if (uncited_ids.size() >= 3) break;
    if (w.cited || !evidence_ids.count(w.id)) continue;
    uncited += (uncited.empty() ? "" : "; ") + WorkRef(w);
    uncited_ids.push_back(w.id);
  }
  bool has_references = !report->submission.references.empty();
  if (!uncited_ids.empty() && has_references)
    out.push_back({"Close prior work that the submission does not cite: " + uncited + ".", {},
                   uncited_ids});

  // The other factors of the score, each with what it rests on.
  NoveltyFactors f = Factors(*report);
  if (f.recent_share >= 0.75 && !f.recent_prior.empty()) {
    std::vector<std::string> ids(f.recent_prior.begin(),
                                 f.recent_prior.begin() + std::min<size_t>(3, f.recent_prior.size()));
    std::string names;
    for (const auto& id : ids) {
      auto it = works.find(id);
      if (it != works.end()) names += (names.empty() ? "" : "; ") + WorkRef(*it->second);
    }
    out.push_back({std::to_string(f.recent_prior.size()) + " of the " +
                       std::to_string(std::min<size_t>(20, report->related_work.size())) +
                       " closest prior papers appeared in the two years before the cutoff, a crowded "
                       "topic, which lowers the score (among them " + names + ").",
                   {}, ids});
  }
  if (!f.theory_claims.empty()) {
    std::string ids;
    for (const auto& id : f.theory_claims) ids += (ids.empty() ? "" : ", ") + id;
    out.push_back({std::to_string(f.theory_claims.size()) + " of " +
                       std::to_string(report->claims.size()) +
                       " claims are theoretical results (" + ids + "), which raises the score.",
                   f.theory_claims, {}});
  }
  if (!f.dataset_claims.empty()) {
    std::string ids;
    for (const auto& id : f.dataset_claims) ids += (ids.empty() ? "" : ", ") + id;
    out.push_back({std::to_string(f.dataset_claims.size()) + " of " +
                       std::to_string(report->claims.size()) + " claims contribute datasets (" + ids +
                       "), which lowers the score.",
                   f.dataset_claims, {}});
  }

  out.push_back({std::string("Overall the submission is assessed as ") +
                     ConclusionName(report->conclusion) + " (novelty score " +
                     Fmt2(report->novelty_score) + ").",
                 all_claims, {}});
  report->reasoning.clear();
  for (const auto& s : out) report->reasoning += (report->reasoning.empty() ? "" : " ") + s.text;
}

}  // namespace novelta
