#include "pipeline/compare/reasoning.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "pipeline/compare/novelty_score.h"

namespace novelta {
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

// "a", "a and b", "a, b and c".
std::string JoinAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// Where the submission differs from a prior work, in the claim's own terms:
// the names it gives (its method, its setting) that the prior work's title
// and abstract never use, and the phrases of its facets (what it proposes,
// its methods, task, data and metrics) most of whose words they never use.
// At most `most`, in claim order.
std::vector<std::string> DistinctTerms(const Claim& claim, const PriorWork& w, size_t most) {
  std::set<std::string> in_work;
  for (auto& t : WordTokens(TextForMatching(w.title + " " + w.abstract))) in_work.insert(t);
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& term) {
    if (out.size() < most && seen.insert(ToLowerAscii(term)).second) out.push_back(term);
  };
  for (const auto& n : NameTokens(claim.text)) {
    const std::string lower = ToLowerAscii(n.token);
    if (LooksCoined(n.token) && n.token.size() >= 3 && !in_work.count(lower) &&
        n.token.find_first_of("-.") == std::string::npos)
      add(n.token);
  }
  for (const char* facet : {"object", "method", "task", "dataset", "metric"}) {
    auto it = claim.facets.find(facet);
    if (it == claim.facets.end()) continue;
    for (const auto& phrase : it->second) {
      size_t words = 0, absent = 0;
      for (auto& t : WordTokens(TextForMatching(phrase))) {
        if (t.size() < 3 || IsStopword(t)) continue;
        ++words;
        absent += !in_work.count(t);
      }
      if (words > 0 && words <= 6 && 2 * absent > words) add(std::string(Trim(phrase)));
    }
  }
  return out;
}

struct Overlap {
  const AssessedClaim* claim;
  const Evidence* evidence;
  const PriorWork* work;
};

class Writer {
 public:
  Writer(NoveltyReport* report, const CompareOptions& options) : r_(*report), options_(options) {
    for (const auto& w : r_.related_work) works_[w.id] = &w;
  }

  void Write() {
    std::vector<Overlap> overlaps = Overlaps();
    ClosestWorks(overlaps);
    for (size_t i = 0; i < overlaps.size() && static_cast<int>(i) < options_.reasoning_claims; ++i)
      OverlapSentence(overlaps[i]);
    if (overlaps.empty()) CoreClaimsAgainstNearest();
    NovelClaims();
    UncitedWorks(overlaps);
    Conclusion(overlaps);
    r_.reasoning.clear();
    for (const auto& s : out_) r_.reasoning += (r_.reasoning.empty() ? "" : " ") + s.text;
    r_.reasoning_sentences = std::move(out_);
  }

 private:
  // Claims with evidence, the strongest first (by the evidence model's
  // relevance, then similarity).
  std::vector<Overlap> Overlaps() const {
    std::vector<Overlap> out;
    for (const auto& ac : r_.claims) {
      if (ac.verdict.verdict == Verdict::kNovel || ac.verdict.evidence.empty()) continue;
      const Evidence& e = ac.verdict.evidence.front();
      auto it = works_.find(e.prior_id);
      if (it != works_.end()) out.push_back({&ac, &e, it->second});
    }
    std::stable_sort(out.begin(), out.end(), [](const Overlap& a, const Overlap& b) {
      if (a.evidence->relevance != b.evidence->relevance) return a.evidence->relevance > b.evidence->relevance;
      return a.evidence->similarity > b.evidence->similarity;
    });
    return out;
  }

  // The works a reviewer would compare the submission with first: those
  // behind evidence, else the top of the related-work list.
  void ClosestWorks(const std::vector<Overlap>& overlaps) {
    std::vector<std::string> ids, names;
    for (const auto& o : overlaps) {
      if (ids.size() >= 3) break;
      if (std::find(ids.begin(), ids.end(), o.work->id) != ids.end()) continue;
      ids.push_back(o.work->id);
      names.push_back(WorkRef(*o.work));
    }
    const std::string among = std::to_string(std::min<size_t>(r_.related_work.size(), CompareCount())) +
                              " related works compared" +
                              (r_.cutoff.known() ? " (published before " + r_.cutoff.ToString() + ")" : "");
    if (!ids.empty()) {
      out_.push_back({"The closest prior work among the " + among + " is " + JoinAnd(names) + ".", {}, ids});
      return;
    }
    std::vector<std::string> top_ids, top_names;
    for (const auto& w : r_.related_work) {
      if (top_ids.size() >= 3) break;
      top_ids.push_back(w.id);
      top_names.push_back(WorkRef(w));
    }
    if (top_ids.empty()) {
      out_.push_back({"No related work published before the cutoff was found to compare the claims with.", {}, {}});
      return;
    }
    out_.push_back({"The submission is closest in topic to " + JoinAnd(top_names) + ", but none of the " + among +
                        " has a passage that states one of its claims.",
                    {}, top_ids});
  }

  size_t CompareCount() const {
    int most = 0;
    for (const auto& ac : r_.claims) most = std::max(most, ac.verdict.compared_works);
    return most > 0 ? static_cast<size_t>(most) : r_.related_work.size();
  }

  void OverlapSentence(const Overlap& o) {
    const Claim& c = o.claim->claim;
    const std::string strength =
        o.claim->verdict.verdict == Verdict::kAnticipated ? "is anticipated by" : "overlaps with";
    std::string text = "Claim " + c.id + " (" + ClaimTypeName(c.type) + ", \"" + Shorten(c.text, 140) +
                       "\") " + strength + " " + WorkRef(*o.work) + ", which states: \"" +
                       Shorten(o.evidence->quote, 220) + "\"";
    std::vector<std::string> shared(o.evidence->shared_terms.begin(),
                                    o.evidence->shared_terms.begin() +
                                        std::min<size_t>(4, o.evidence->shared_terms.size()));
    if (!shared.empty()) text += "; both concern " + JoinAnd(shared);
    const auto distinct = DistinctTerms(c, *o.work, 4);
    if (!distinct.empty()) text += "; the submission differs in " + JoinAnd(distinct);
    out_.push_back({text + ".", {c.id}, {o.work->id}});
  }

  // With nothing overlapping, the submission's central claims (methods,
  // theory, tasks and datasets before results) each against the work its
  // closest passage came from: what a reviewer would check them against.
  void CoreClaimsAgainstNearest() {
    std::vector<const AssessedClaim*> core;
    for (const auto& ac : r_.claims)
      if (ac.claim.type != ClaimType::kResult && ac.claim.type != ClaimType::kAnalysis) core.push_back(&ac);
    if (core.empty())
      for (const auto& ac : r_.claims) core.push_back(&ac);
    std::stable_sort(core.begin(), core.end(), [](const AssessedClaim* a, const AssessedClaim* b) {
      return a->claim.score > b->claim.score;
    });
    int written = 0;
    for (const AssessedClaim* ac : core) {
      if (written >= std::min(2, options_.reasoning_claims)) break;
      auto it = works_.find(ac->verdict.nearest_prior_id);
      if (it == works_.end()) continue;
      const Claim& c = ac->claim;
      std::string text = "Claim " + c.id + " (" + ClaimTypeName(c.type) + ", \"" + Shorten(c.text, 140) +
                         "\") comes nearest to " + WorkRef(*it->second) + ", but no passage of it states the claim";
      const auto distinct = DistinctTerms(c, *it->second, 4);
      if (!distinct.empty())
        text += "; the submission's " + JoinAnd(distinct) + (distinct.size() == 1 ? " does" : " do") +
                " not appear there";
      out_.push_back({text + ".", {c.id}, {it->second->id}});
      ++written;
    }
  }

  void NovelClaims() {
    std::vector<std::string> ids;
    for (const auto& ac : r_.claims)
      if (ac.verdict.verdict == Verdict::kNovel) ids.push_back(ac.claim.id);
    if (ids.empty()) return;
    const std::string n = std::to_string(CompareCount());
    std::string text = ids.size() == r_.claims.size()
                           ? "For every claim (" + JoinAnd(ids) + "), no close prior passage was found among the " +
                                 n + " related works compared, so on this evidence the contributions appear new."
                           : "For " + JoinAnd(ids) + ", no close prior passage was found among the " + n +
                                 " related works compared, so on this evidence " +
                                 (ids.size() == 1 ? "it appears new." : "they appear new.");
    out_.push_back({text, ids, {}});
  }

  // Close prior work the submission does not cite is what a reviewer most
  // needs to see: only works backed by evidence, and only when the
  // submission's references are known.
  void UncitedWorks(const std::vector<Overlap>& overlaps) {
    if (r_.submission.references.empty()) return;
    std::vector<std::string> ids, names;
    for (const auto& o : overlaps) {
      if (ids.size() >= 3) break;
      if (o.work->cited || std::find(ids.begin(), ids.end(), o.work->id) != ids.end()) continue;
      ids.push_back(o.work->id);
      names.push_back(WorkRef(*o.work));
    }
    if (ids.empty()) return;
    out_.push_back({"The submission does not cite " + JoinAnd(names) + ", though " +
                        (ids.size() == 1 ? "it is" : "they are") + " close to its claims.",
                    {}, ids});
  }

  void Conclusion(const std::vector<Overlap>& overlaps) {
    std::vector<std::string> all;
    for (const auto& ac : r_.claims) all.push_back(ac.claim.id);
    std::string text = std::string("Overall the submission is assessed as ") + ConclusionName(r_.conclusion) +
                       " (novelty score " + Fmt2(r_.novelty_score) + ")";
    if (!r_.claims.empty())
      text += ": " + std::to_string(overlaps.size()) + " of " + std::to_string(r_.claims.size()) +
              " claims overlap with prior work";
    const NoveltyFactors f = ComputeNoveltyFactors(r_, options_);
    std::vector<std::string> factors, ids;
    if (f.recent_share >= 0.75 && !f.recent_prior.empty()) {
      factors.push_back(std::to_string(f.recent_prior.size()) +
                        " of the closest prior works appeared in the two years before the cutoff (a crowded "
                        "topic, which lowers the score)");
      ids.insert(ids.end(), f.recent_prior.begin(),
                 f.recent_prior.begin() + std::min<size_t>(3, f.recent_prior.size()));
    }
    if (!f.theory_claims.empty())
      factors.push_back("the theoretical results (" + JoinAnd(f.theory_claims) + ") raise it");
    if (!f.dataset_claims.empty())
      factors.push_back("the dataset contributions (" + JoinAnd(f.dataset_claims) + ") lower it");
    if (!factors.empty()) text += "; besides, " + JoinAnd(factors);
    out_.push_back({text + ".", all, ids});
  }

  NoveltyReport& r_;
  const CompareOptions& options_;
  std::map<std::string, const PriorWork*> works_;
  std::vector<ReasoningSentence> out_;
};

}  // namespace

void WriteReasoning(NoveltyReport* report, const CompareOptions& options) {
  if (report->claims.empty()) {
    report->reasoning_sentences = {{"No contribution statements were found in the submission, so no claim "
                                    "could be compared with prior work.",
                                    {},
                                    {}}};
    report->reasoning = report->reasoning_sentences.front().text;
    return;
  }
  Writer(report, options).Write();
}

}  // namespace novelta
