#include "pipeline/extract/cue_rule_scorer.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/text.h"
#include "pipeline/extract/claim_wording.h"

namespace novelta {
namespace {

using claim_wording::ActivityVerbs;
using claim_wording::Analyze;
using claim_wording::Analyzed;
using claim_wording::ContributionVerbs;
using claim_wording::FindPhrase;
using claim_wording::HasAnyWord;
using claim_wording::HasPhrase;
using claim_wording::SelfSubjectAt;
using claim_wording::Tokens;

// Nouns after "our" that name the paper's own artefacts ("our method").
const std::unordered_set<std::string>& OwnArtefactNouns() {
  static const auto* set = new std::unordered_set<std::string>{
      "method", "methods", "approach", "approaches", "model", "models", "framework",
      "algorithm", "algorithms", "system", "technique", "results", "experiments",
      "analysis", "contributions", "contribution", "findings", "proposed", "theory",
      "architecture", "dataset", "benchmark", "code", "main", "key", "work", "solution",
      "evaluation", "empirical", "theoretical", "experimental", "extensive", "proof",
      "bounds", "bound", "novel", "new", "simple", "estimator", "agent", "pipeline",
      "formulation", "objective", "loss", "strategy", "scheme", "design", "study",
      "implementation", "network", "policy", "procedure", "tool", "library"};
  return *set;
}

// Words of a result statement.
const std::unordered_set<std::string>& ResultWords() {
  static const auto* set = new std::unordered_set<std::string>{
      "outperforms", "outperform", "outperformed", "outperforming", "surpasses", "surpass",
      "surpassing", "achieves", "achieving", "improves", "improving", "improvement",
      "improvements", "gains", "competitive", "superior", "significantly", "substantially",
      "consistently", "speedup", "faster", "fewer", "accuracy", "reduces", "reducing",
      "boosts", "matches", "comparable", "effectiveness", "efficacy", "robustness"};
  return *set;
}

// A phrase cue with a weight on the logit of the claim probability.
struct PhraseCue {
  std::vector<std::string> phrase;
  double weight;
  const char* name;
};

// Background, motivation and related work: evidence against a claim.
const std::vector<PhraseCue>& BackgroundCues() {
  static const auto* cues = new std::vector<PhraseCue>{
      {{"recent", "work"}, -1.2, "recent work"},
      {{"recent", "works"}, -1.2, "recent work"},
      {{"recent", "years"}, -1.2, "in recent years"},
      {{"recent", "advances"}, -1.0, "recent advances"},
      {{"recent", "studies"}, -1.2, "recent studies"},
      {{"recent", "progress"}, -1.0, "recent progress"},
      {{"recently"}, -0.8, "recently"},
      {{"has", "been"}, -0.8, "has been"},
      {{"have", "been"}, -0.8, "have been"},
      {{"has", "attracted"}, -1.0, "has attracted"},
      {{"have", "attracted"}, -1.0, "have attracted"},
      {{"has", "become"}, -1.0, "has become"},
      {{"have", "become"}, -1.0, "have become"},
      {{"have", "shown"}, -0.8, "have shown"},
      {{"has", "shown"}, -0.8, "has shown"},
      {{"have", "achieved"}, -0.8, "have achieved"},
      {{"is", "a", "fundamental"}, -1.5, "is a fundamental"},
      {{"is", "an", "important"}, -1.5, "is an important"},
      {{"is", "a", "challenging"}, -1.5, "is a challenging"},
      {{"is", "a", "key"}, -1.0, "is a key"},
      {{"is", "a", "central"}, -1.0, "is a central"},
      {{"is", "a", "critical"}, -1.0, "is a critical"},
      {{"is", "crucial"}, -1.0, "is crucial"},
      {{"is", "essential"}, -0.8, "is essential"},
      {{"plays", "an", "important", "role"}, -1.5, "plays an important role"},
      {{"plays", "a", "crucial", "role"}, -1.5, "plays a crucial role"},
      {{"widely", "used"}, -0.8, "widely used"},
      {{"existing", "methods"}, -1.0, "existing methods"},
      {{"existing", "approaches"}, -1.0, "existing approaches"},
      {{"existing", "work"}, -1.0, "existing work"},
      {{"existing", "works"}, -1.0, "existing work"},
      {{"previous", "work"}, -1.0, "previous work"},
      {{"previous", "works"}, -1.0, "previous work"},
      {{"previous", "methods"}, -1.0, "previous methods"},
      {{"prior", "work"}, -1.0, "prior work"},
      {{"prior", "works"}, -1.0, "prior work"},
      {{"most", "existing"}, -1.0, "most existing"},
      {{"traditional"}, -0.6, "traditional"},
      {{"conventional"}, -0.6, "conventional"},
      {{"remains", "a"}, -1.0, "remains a challenge"},
      {{"remains", "challenging"}, -1.0, "remains challenging"},
      {{"remain", "challenging"}, -1.0, "remains challenging"},
      {{"remains", "an", "open"}, -1.0, "remains open"},
      {{"however"}, -0.7, "however"},
      {{"despite"}, -0.5, "despite"},
      {{"suffer", "from"}, -0.8, "suffer from"},
      {{"suffers", "from"}, -0.8, "suffer from"},
      {{"little", "attention"}, -0.8, "little attention"},
      {{"is", "often"}, -0.5, "is often"},
      {{"are", "often"}, -0.5, "are often"},
      {{"is", "one", "of"}, -0.8, "is one of"},
      {{"are", "increasingly"}, -0.8, "are increasingly"},
      {{"is", "increasingly"}, -0.8, "is increasingly"},
      {{"a", "growing"}, -0.8, "a growing"},
      {{"many", "applications"}, -0.8, "many applications"},
      {{"wide", "range", "of", "applications"}, -0.8, "wide range of applications"},
      {{"has", "emerged"}, -1.0, "has emerged"},
      {{"have", "emerged"}, -1.0, "have emerged"},
      {{"limited", "by"}, -0.5, "limited by"},
      {{"current"}, -0.4, "current"},
      {{"typically"}, -0.4, "typically"},
  };
  return *cues;
}

// Phrases by which a paper announces what it does ("in this paper").
const std::vector<PhraseCue>& ObjectiveCues() {
  static const auto* cues = new std::vector<PhraseCue>{
      {{"in", "this", "paper"}, 2.0, "in this paper"},
      {{"in", "this", "work"}, 2.0, "in this work"},
      {{"in", "this", "study"}, 1.8, "in this study"},
      {{"in", "this", "article"}, 1.8, "in this article"},
      {{"this", "paper"}, 1.5, "this paper"},
      {{"this", "work"}, 1.2, "this work"},
      {{"our", "contributions"}, 2.5, "our contributions"},
      {{"our", "contribution"}, 2.5, "our contributions"},
      {{"main", "contributions"}, 2.0, "our contributions"},
      {{"the", "proposed"}, 1.5, "the proposed"},
      {{"our", "proposed"}, 2.0, "our proposed"},
      {{"state", "of", "the", "art"}, 1.5, "state-of-the-art"},
      {{"sota"}, 1.2, "state-of-the-art"},
      {{"results", "show"}, 1.5, "results show"},
      {{"results", "demonstrate"}, 1.5, "results show"},
      {{"results", "indicate"}, 1.2, "results show"},
      {{"results", "suggest"}, 1.0, "results show"},
      {{"experiments", "show"}, 1.5, "experiments show"},
      {{"experiments", "demonstrate"}, 1.5, "experiments show"},
      {{"experimental", "results"}, 1.5, "experimental results"},
      {{"empirical", "results"}, 1.2, "empirical results"},
      {{"empirically"}, 0.6, "empirically"},
      {{"code", "is", "available"}, 1.0, "code is available"},
      {{"publicly", "available"}, 0.8, "publicly available"},
      {{"to", "the", "best", "of", "our", "knowledge"}, 1.5, "to the best of our knowledge"},
      {{"for", "the", "first", "time"}, 1.2, "for the first time"},
      {{"novel"}, 0.8, "novel"},
      {{"here", "we"}, 1.5, "here we"},
      {{"we", "also"}, 0.5, "we also"},
      {{"our", "goal"}, 1.5, "our goal"},
      {{"our", "aim"}, 1.5, "our aim"},
  };
  return *cues;
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// The contribution verbs that are unambiguous on their own: in an
// introduction "we provide details" or "we collect neighbours" describe
// procedure, but "we propose" and "we show" state a contribution.
const std::unordered_set<std::string>& StrongContributionLemmas() {
  static const auto* set = new std::unordered_set<std::string>{
      "propose", "introduce", "present", "show", "prove", "demonstrate", "develop", "design",
      "release", "devise", "establish", "derive", "formulate", "contribute", "achieve",
      "outperform"};
  return *set;
}

// Finds the strongest first-person contribution statement: a self subject
// ("we", "this paper") followed within a few words by a contribution verb,
// or "our <method/results/...>". Returns its strength (0 none, 1 activity
// verb, 2 contribution verb, 1.5 own artefact), its cue text ("we propose",
// "this paper introduces", "our method") and the verb's lemma.
double SelfStatement(const Tokens& t, std::string* cue, std::string* lemma = nullptr) {
  double best = 0;
  std::string best_lemma;
  for (size_t i = 0; i < t.size(); ++i) {
    size_t subject = SelfSubjectAt(t, i);
    if (subject > 0) {
      // "we first propose", "this paper then presents", "we further show".
      for (size_t k = i + subject; k < t.size() && k <= i + subject + 3; ++k) {
        if (t[k] == "we") break;  // "in this work, we ...": the "we" clause decides
        double strength = 0;
        const std::string* verb_lemma = nullptr;
        if (auto c = ContributionVerbs().find(t[k]); c != ContributionVerbs().end()) {
          strength = 2;
          verb_lemma = &c->second;
        } else if (auto a = ActivityVerbs().find(t[k]); a != ActivityVerbs().end()) {
          strength = 1;
          verb_lemma = &a->second;
        }
        if (strength == 0) continue;
        if (strength > best) {
          best = strength;
          best_lemma = *verb_lemma;
          *cue = subject == 1 ? "we " + *verb_lemma : t[i] + " " + t[i + 1] + " " + t[k];
        }
        break;
      }
    }
    if (t[i] == "our" && i + 1 < t.size() && OwnArtefactNouns().count(t[i + 1]) && best < 1.5) {
      best = 1.5;
      best_lemma.clear();
      *cue = "our " + t[i + 1];
    }
  }
  if (lemma) *lemma = best_lemma;
  return best;
}

class CueRuleScorer : public SentenceScorer {
 public:
  double Score(std::string_view sentence, const SentenceContext& ctx, std::string* cue) const override {
    std::string found;
    double score = ctx.field == "abstract" ? ScoreAbstract(sentence, ctx, &found)
                                           : ScoreBody(sentence, ctx, &found);
    if (cue) *cue = found;
    return std::clamp(score, 0.0, 1.0);
  }

 private:
  // Abstracts are short and mostly about the paper itself: every cue counts,
  // and position is informative (the first sentences set the background).
  static double ScoreAbstract(std::string_view sentence, const SentenceContext& ctx, std::string* cue) {
    Analyzed a = Analyze(sentence);
    if (a.tokens.size() < 3) return 0.0;
    const Tokens& t = a.tokens;
    double rel = ctx.count > 1 ? static_cast<double>(ctx.index) / (ctx.count - 1) : 0.5;
    double logit = -0.6 + 1.6 * rel;
    if (ctx.index == 0 && ctx.count > 2) logit -= 0.6;
    std::string best_cue;
    double best_weight = 0;
    auto note = [&](double w, const std::string& name) {
      logit += w;
      if (w > best_weight) {
        best_weight = w;
        best_cue = name;
      }
    };
    std::string self_cue;
    double self = SelfStatement(t, &self_cue);
    if (self >= 2) note(3.0, self_cue);
    else if (self >= 1.5) note(2.2, self_cue);
    else if (self >= 1) note(2.0, self_cue);
    else if (HasPhrase(t, {"we"}) || HasPhrase(t, {"our"})) note(1.2, "we");
    for (const PhraseCue& c : ObjectiveCues())
      if (FindPhrase(t, c.phrase) >= 0) note(c.weight, c.name);
    int results = 0;
    for (const std::string& w : t) results += ResultWords().count(w) ? 1 : 0;
    if (results > 0) note(std::min(results, 2) * 0.7, "result wording");
    for (const std::string& w : t)
      if (!w.empty() && w.find_first_not_of("0123456789") == std::string::npos && w.size() <= 3) {
        note(0.3, "numbers");  // figures: scores, sizes, percentages
        break;
      }
    double background = 0;
    for (const PhraseCue& c : BackgroundCues())
      if (FindPhrase(t, c.phrase) >= 0) background += c.weight;
    if (self >= 2) background *= 0.5;  // "however, we show ..."
    logit += std::max(background, -2.5);
    if (a.citation) logit -= self >= 1 ? 1.0 : 2.0;  // "Smith et al. prove ..." is theirs
    if (a.question) logit -= 1.5;
    if (best_weight > 0) *cue = best_cue;
    else *cue = "position";
    return Sigmoid(logit);
  }

  // Introductions and other long fields mostly discuss other work: only a
  // first-person contribution statement, or an item of the contributions
  // list, counts.
  static double ScoreBody(std::string_view sentence, const SentenceContext& ctx, std::string* cue) {
    Analyzed a = Analyze(sentence);
    if (a.tokens.size() < 3) return 0.0;
    const Tokens& t = a.tokens;
    double logit = -3.0;
    std::string self_cue, lemma;
    double self = SelfStatement(t, &self_cue, &lemma);
    bool paper_frame = HasPhrase(t, {"in", "this", "paper"}) || HasPhrase(t, {"in", "this", "work"}) ||
                       HasPhrase(t, {"this", "paper"}) || HasPhrase(t, {"here", "we"});
    bool strong = self >= 2 && StrongContributionLemmas().count(lemma) > 0;
    // "Our model outperforms ...", "the proposed method achieves 88.9% ...".
    bool own_subject = self >= 1 || HasPhrase(t, {"the", "proposed"}) || HasPhrase(t, {"our"});
    bool own_result = own_subject && !strong &&
                      (HasAnyWord(t, ResultWords()) || HasPhrase(t, {"state", "of", "the", "art"}) ||
                       HasPhrase(t, {"best", "performance"}) || HasPhrase(t, {"new", "state"}));
    if (strong || (self >= 1 && paper_frame) || own_result) {
      logit += 3.2;
      *cue = self_cue;
    }
    if (HasPhrase(t, {"our", "contributions"}) || HasPhrase(t, {"our", "contribution"}) ||
        HasPhrase(t, {"main", "contributions"})) {
      logit += 3.5;
      *cue = "our contributions";
    }
    if (ctx.in_contribution_list) {
      logit += 4.0;
      *cue = "contribution list";
    }
    if (self >= 2 && paper_frame) logit += 1.0;
    if (logit > -3.0) {
      if (HasPhrase(t, {"state", "of", "the", "art"}) || HasAnyWord(t, ResultWords())) logit += 0.5;
      if (HasPhrase(t, {"to", "the", "best", "of", "our", "knowledge"})) logit += 0.5;
      if (a.citation && !ctx.in_contribution_list) logit -= 0.8;
      if (a.question) logit -= 1.5;
      double background = 0;
      for (const PhraseCue& c : BackgroundCues())
        if (FindPhrase(t, c.phrase) >= 0) background += c.weight;
      logit += std::max(background * 0.5, -1.5);
      // Hypothetical or reported-speech uses of "we": "we need", "as we show in Sec. 3".
      if (HasPhrase(t, {"as", "we"}) || HasPhrase(t, {"we", "need"}) || HasPhrase(t, {"if", "we"}))
        logit -= 1.0;
    }
    if (cue->empty()) *cue = "";
    return Sigmoid(logit);
  }
};

}  // namespace

std::unique_ptr<SentenceScorer> NewCueRuleScorer() { return std::make_unique<CueRuleScorer>(); }

bool HasOwnWorkCue(std::string_view sentence) {
  Tokens t = WordTokens(sentence);
  for (size_t i = 0; i < t.size(); ++i) {
    const std::string& w = t[i];
    if (w == "we" || w == "our" || w == "us" || w == "ours" || w == "here") return true;
    if (SelfSubjectAt(t, i) > 0) return true;
    if (w == "proposed" && i > 0 && t[i - 1] == "the") return true;
  }
  return false;
}

}  // namespace novelta
