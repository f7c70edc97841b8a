#include "pipeline/extract/claim_typing.h"

#include <initializer_list>

#include "pipeline/extract/claim_wording.h"

namespace novelta {
namespace {

using claim_wording::Analyze;
using claim_wording::Analyzed;
using claim_wording::FindPhrase;
using claim_wording::IsDatasetWord;
using claim_wording::Tokens;

// True when any of `phrases` occurs in `t`.
bool ContainsAny(const Tokens& t, std::initializer_list<std::initializer_list<const char*>> phrases) {
  for (const auto& p : phrases)
    if (FindPhrase(t, p) >= 0) return true;
  return false;
}
// Index of the earliest occurrence of any of `phrases` in `t`, or -1.
int FirstOf(const Tokens& t, std::initializer_list<std::initializer_list<const char*>> phrases) {
  int best = -1;
  for (const auto& p : phrases) {
    int at = FindPhrase(t, p);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

}  // namespace

ClaimType ClassifyClaimType(std::string_view sentence) {
  Analyzed a = Analyze(sentence);
  const Tokens& t = a.tokens;
  // Theory first: a proof or a bound is the claim even when a method comes with it.
  if (ContainsAny(t, {{"we", "prove"}, {"we", "also", "prove"}, {"theorem"}, {"we", "derive"},
                      {"upper", "bound"}, {"lower", "bound"}, {"upper", "bounds"}, {"lower", "bounds"},
                      {"generalization", "bound"}, {"regret", "bound"}, {"sample", "complexity"},
                      {"convergence", "rate"}, {"provably"}, {"guarantee"}, {"guarantees"},
                      {"minimax"}, {"theoretical", "analysis"}, {"we", "establish"}}))
    return ClaimType::kTheory;
  // A dataset the paper itself builds or releases.
  int dataset_cue = FirstOf(t, {{"we", "collect"}, {"we", "release"}, {"we", "construct"}, {"we", "curate"},
                      {"we", "introduce"}, {"we", "present"}, {"we", "create"}, {"we", "build"},
                      {"we", "propose"}, {"we", "contribute"}, {"new", "dataset"}, {"new", "benchmark"},
                      {"novel", "dataset"}, {"novel", "benchmark"}, {"large", "scale", "dataset"},
                      {"we", "collected"}, {"we", "released"}, {"publicly", "available"},
                      {"we", "annotate"}, {"annotated"}, {"our", "dataset"}, {"our", "benchmark"}});
  // The dataset word must be what the verb acts on: close after the cue.
  if (dataset_cue >= 0) {
    for (size_t k = dataset_cue; k < t.size() && k <= static_cast<size_t>(dataset_cue) + 8; ++k) {
      if (IsDatasetWord(t[k]) || (t[k] == "data" && k + 1 < t.size() && t[k + 1] == "set"))
        return ClaimType::kDataset;
    }
  }
  if (ContainsAny(t, {{"we", "formulate"}, {"introduce", "the", "problem"}, {"introduce", "the", "task"},
                      {"introduce", "a", "new", "task"}, {"introduce", "a", "new", "problem"},
                      {"introduce", "the", "novel", "task"}, {"new", "task", "of"},
                      {"novel", "task", "of"}, {"we", "define", "the"}, {"we", "pose"},
                      {"we", "cast"}, {"we", "frame"}, {"formulate", "the"}, {"new", "problem", "setting"},
                      {"new", "setting"}, {"problem", "formulation"}}))
    return ClaimType::kTask;
  int method_at = FirstOf(t, {{"we", "propose"}, {"we", "introduce"}, {"we", "present"},
                              {"we", "develop"}, {"we", "design"}, {"we", "devise"},
                              {"paper", "proposes"}, {"paper", "introduces"}, {"paper", "presents"},
                              {"work", "proposes"}, {"work", "introduces"}, {"work", "presents"}});
  int result_at = FirstOf(t, {{"outperforms"}, {"outperform"}, {"outperforming"}, {"achieves"},
                              {"achieve"}, {"improves", "by"}, {"improve", "by"}, {"surpasses"},
                              {"state", "of", "the", "art"}, {"results", "show"}, {"experiments", "show"},
                              {"results", "demonstrate"}, {"experiments", "demonstrate"},
                              {"experimental", "results"}, {"improvement", "of"}, {"improvements", "of"},
                              {"gains", "of"}, {"speedup"}, {"faster", "than"}, {"reduces"}});
  int analysis_at = FirstOf(t, {{"we", "study"}, {"we", "analyze"}, {"we", "analyse"},
                                {"we", "investigate"}, {"we", "examine"}, {"we", "explore"},
                                {"empirical", "study"}, {"we", "find"}, {"we", "observe"},
                                {"we", "show", "that"}, {"analysis", "of"}, {"we", "characterize"},
                                {"we", "systematically"}, {"we", "conduct"}, {"paper", "studies"},
                                {"work", "studies"}, {"we", "revisit"}, {"we", "identify"}});
  int best = -1;
  ClaimType type = ClaimType::kMethod;
  auto consider = [&](int at, ClaimType candidate) {
    if (at >= 0 && (best < 0 || at < best)) {
      best = at;
      type = candidate;
    }
  };
  consider(method_at, ClaimType::kMethod);
  consider(result_at, ClaimType::kResult);
  consider(analysis_at, ClaimType::kAnalysis);
  return type;
}

}  // namespace novelta
