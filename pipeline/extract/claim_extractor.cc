#include "pipeline/extract/claim_extractor.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/sentence_splitter.h"
#include "base/text.h"
#include "pipeline/extract/sentence_classifier.h"

namespace novelta {
namespace {

using Tokens = std::vector<std::string>;

// Lower-cased word tokens of a sentence plus a few punctuation facts the
// rules need. Built once per sentence.
struct Analyzed {
  Tokens tokens;
  std::vector<TokenSpan> spans;
  bool question = false;   // ends with "?"
  bool citation = false;   // cites other work: "[12]", "(Smith et al., 2020)", "et al."
};

bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

// True when `s` cites other work: a numeric bracket "[3]", "[3, 4]", "[3-5]",
// an author-year parenthesis "(Smith, 2020)" / "(Smith et al., 2020)", or "et al.".
bool HasCitation(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') {
      size_t j = i + 1;
      bool digit = false;
      while (j < s.size() && j - i < 40 && (IsDigitChar(s[j]) || s[j] == ',' || s[j] == ' ' || s[j] == '-')) {
        digit = digit || IsDigitChar(s[j]);
        ++j;
      }
      if (digit && j < s.size() && s[j] == ']') return true;
    }
  }
  std::string lower = ToLowerAscii(s);
  if (lower.find("et al") != std::string::npos) return true;
  // "(Name, 2020)" / "(Name 2020)": a parenthesis holding a 19xx/20xx year.
  for (size_t i = 0; i + 5 < s.size(); ++i) {
    if (s[i] != '(') continue;
    size_t close = s.find(')', i);
    if (close == std::string_view::npos || close - i > 120) continue;
    std::string_view inner = s.substr(i + 1, close - i - 1);
    for (size_t k = 0; k + 4 <= inner.size(); ++k) {
      if ((inner.substr(k, 2) == "19" || inner.substr(k, 2) == "20") && IsDigitChar(inner[k + 2]) &&
          IsDigitChar(inner[k + 3]) && (k + 4 == inner.size() || !IsDigitChar(inner[k + 4])) &&
          (k == 0 || !IsDigitChar(inner[k - 1])) &&
          inner.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos)
        return true;
    }
  }
  return false;
}

Analyzed Analyze(std::string_view sentence) {
  Analyzed a;
  a.spans = WordTokenSpans(sentence);
  a.tokens.reserve(a.spans.size());
  for (const TokenSpan& t : a.spans) a.tokens.push_back(t.token);
  std::string_view trimmed = Trim(sentence);
  a.question = !trimmed.empty() && trimmed.back() == '?';
  a.citation = HasCitation(sentence);
  return a;
}

// Index of the first occurrence of `phrase` (a token sequence) at or after
// `from`, or -1.
int FindPhrase(const Tokens& t, std::initializer_list<const char*> phrase, size_t from = 0) {
  const size_t n = phrase.size();
  if (n == 0 || t.size() < n) return -1;
  for (size_t i = from; i + n <= t.size(); ++i) {
    size_t k = 0;
    for (const char* w : phrase) {
      if (t[i + k] != w) break;
      ++k;
    }
    if (k == n) return static_cast<int>(i);
  }
  return -1;
}
int FindPhrase(const Tokens& t, const std::vector<std::string>& phrase) {
  const size_t n = phrase.size();
  if (n == 0 || t.size() < n) return -1;
  for (size_t i = 0; i + n <= t.size(); ++i)
    if (std::equal(phrase.begin(), phrase.end(), t.begin() + i)) return static_cast<int>(i);
  return -1;
}
bool HasPhrase(const Tokens& t, std::initializer_list<const char*> phrase) {
  return FindPhrase(t, phrase) >= 0;
}
bool HasAnyWord(const Tokens& t, const std::unordered_set<std::string>& words) {
  for (const std::string& w : t)
    if (words.count(w)) return true;
  return false;
}

// Verb forms, mapped to the lemma reported as the cue ("we propose").
using VerbTable = std::unordered_map<std::string, std::string>;

VerbTable MakeVerbTable(std::initializer_list<std::initializer_list<const char*>> groups) {
  VerbTable table;
  for (const auto& group : groups) {
    const char* lemma = *group.begin();
    for (const char* form : group) table.emplace(form, lemma);
  }
  return table;
}

// Verbs with which a paper states what it contributes.
const VerbTable& ContributionVerbs() {
  static const auto* table = new VerbTable(MakeVerbTable({
      {"propose", "proposes", "proposed", "proposing"},
      {"introduce", "introduces", "introduced", "introducing"},
      {"present", "presents", "presented", "presenting"},
      {"show", "shows", "showed", "shown", "showing"},
      {"prove", "proves", "proved", "proven", "proving"},
      {"demonstrate", "demonstrates", "demonstrated", "demonstrating"},
      {"develop", "develops", "developed", "developing"},
      {"design", "designs", "designed", "designing"},
      {"release", "releases", "released", "releasing"},
      {"devise", "devises", "devised"},
      {"establish", "establishes", "established"},
      {"derive", "derives", "derived"},
      {"formulate", "formulates", "formulated"},
      {"provide", "provides", "provided"},
      {"contribute", "contributes"},
      {"create", "creates", "created"},
      {"build", "builds", "built"},
      {"construct", "constructs", "constructed"},
      {"collect", "collects", "collected"},
      {"curate", "curates", "curated"},
      {"achieve", "achieves", "achieved", "achieving"},
      {"outperform", "outperforms", "outperformed", "outperforming"},
      {"obtain", "obtains", "obtained"},
      {"report", "reports"},
      {"find", "finds", "found"},
      {"describe", "describes", "described"},
      {"offer", "offers"},
      {"extend", "extends", "extended"},
      {"generalize", "generalizes", "generalise", "generalises"},
      {"unify", "unifies"},
      {"reveal", "reveals"},
      {"identify", "identifies"},
      {"characterize", "characterizes", "characterise"},
      {"improve", "improves", "improved"},
      {"leverage", "leverages"},
      {"argue", "argues"},
      {"observe", "observes"},
      {"establish", "establishes"},
  }));
  return *table;
}

// Verbs of research activity: weaker evidence of a contribution.
const VerbTable& ActivityVerbs() {
  static const auto* table = new VerbTable(MakeVerbTable({
      {"study", "studies", "studied"},
      {"investigate", "investigates", "investigated"},
      {"analyze", "analyzes", "analyzed", "analyse", "analyses", "analysed"},
      {"explore", "explores", "explored"},
      {"examine", "examines", "examined"},
      {"evaluate", "evaluates", "evaluated"},
      {"address", "addresses", "addressed"},
      {"consider", "considers", "considered"},
      {"focus", "focuses", "focused"},
      {"tackle", "tackles", "tackled"},
      {"aim", "aims"},
      {"apply", "applies", "applied"},
      {"use", "uses", "used"},
      {"employ", "employs", "employed"},
      {"train", "trains", "trained"},
      {"compare", "compares", "compared"},
      {"conduct", "conducts", "conducted"},
      {"perform", "performs", "performed"},
      {"adopt", "adopts", "adopted"},
      {"learn", "learns"},
      {"model", "models"},
      {"test", "tests", "tested"},
      {"measure", "measures", "measured"},
      {"seek", "seeks"},
      {"attempt", "attempts"},
      {"discuss", "discusses"},
      {"explain", "explains"},
      {"validate", "validates", "validated"},
      {"verify", "verifies", "verified"},
      {"apply", "applies"},
      {"combine", "combines", "combined"},
      {"incorporate", "incorporates"},
      {"exploit", "exploits"},
      {"utilize", "utilizes", "utilise", "utilises"},
      {"cast", "casts"},
      {"frame", "frames"},
      {"define", "defines"},
      {"solve", "solves"},
      {"enable", "enables"},
      {"allow", "allows"},
      {"suggest", "suggests"},
      {"highlight", "highlights"},
      {"benchmark", "benchmarks"},
  }));
  return *table;
}

// Subjects that make a sentence first-person: the paper speaking of itself.
// Returns the length of the subject phrase at `i` (0 when none).
size_t SelfSubjectAt(const Tokens& t, size_t i) {
  const std::string& w = t[i];
  if (w == "we") return 1;
  if (i + 1 < t.size()) {
    const std::string& n = t[i + 1];
    bool self_noun = n == "paper" || n == "work" || n == "study" || n == "article" ||
                     n == "thesis" || n == "note" || n == "manuscript" || n == "submission";
    if ((w == "this" || w == "the" || w == "our" || w == "present") && self_noun &&
        !(w == "the" && n == "work"))
      return 2;
  }
  return 0;
}

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

// ---------------------------------------------------------------------------
// Claim types and facets.

bool ContainsAny(const Tokens& t, std::initializer_list<std::initializer_list<const char*>> phrases) {
  for (const auto& p : phrases)
    if (FindPhrase(t, p) >= 0) return true;
  return false;
}
int FirstOf(const Tokens& t, std::initializer_list<std::initializer_list<const char*>> phrases) {
  int best = -1;
  for (const auto& p : phrases) {
    int at = FindPhrase(t, p);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

// Well-known datasets and benchmarks, matched case-sensitively as words.
const std::vector<std::string>& KnownDatasets() {
  static const auto* list = new std::vector<std::string>{
      "ImageNet", "ImageNet-1K", "ImageNet-21K", "CIFAR-10", "CIFAR-100", "CIFAR10", "CIFAR100",
      "MS-COCO", "MSCOCO", "COCO", "MNIST", "Fashion-MNIST", "SVHN", "CelebA", "CelebA-HQ",
      "LSUN", "FFHQ", "Cityscapes", "KITTI", "nuScenes", "ShapeNet", "ScanNet", "ModelNet40",
      "ADE20K", "PASCAL VOC", "Kinetics", "UCF101", "GLUE", "SuperGLUE", "SQuAD", "MMLU",
      "GSM8K", "HumanEval", "MBPP", "BIG-bench", "HellaSwag", "TruthfulQA", "WikiText-103",
      "WikiText", "Penn Treebank", "WMT", "LibriSpeech", "Omniglot", "miniImageNet",
      "tieredImageNet", "D4RL", "MuJoCo", "Atari", "OGB", "Cora", "Citeseer", "PubMed",
      "CUB", "Places365", "LAION", "LAION-5B", "CommonCrawl", "C4", "The Pile", "MATH",
      "ARC", "Natural Questions", "TriviaQA", "HotpotQA", "MS MARCO", "BEIR", "VQA", "GQA",
      "Flickr30k", "Visual Genome", "AudioSet", "STL-10", "Tiny ImageNet", "QM9", "ZINC",
      "PDBbind", "Procgen", "Meta-World", "MiniGrid", "NetHack", "SWE-bench", "AlpacaEval",
      "MT-Bench", "Waymo", "DomainNet", "Office-Home", "PACS", "WILDS"};
  return *list;
}

const std::vector<std::pair<std::vector<std::string>, const char*>>& MetricPhrases() {
  static const auto* list = new std::vector<std::pair<std::vector<std::string>, const char*>>{
      {{"accuracy"}, "accuracy"}, {{"f1"}, "F1"}, {{"bleu"}, "BLEU"}, {{"rouge"}, "ROUGE"},
      {{"meteor"}, "METEOR"}, {{"fid"}, "FID"}, {{"auc"}, "AUC"}, {{"auroc"}, "AUROC"},
      {{"auprc"}, "AUPRC"}, {{"map"}, "mAP"}, {{"iou"}, "IoU"}, {{"miou"}, "mIoU"},
      {{"perplexity"}, "perplexity"}, {{"psnr"}, "PSNR"}, {{"ssim"}, "SSIM"}, {{"lpips"}, "LPIPS"},
      {{"precision"}, "precision"}, {{"recall"}, "recall"}, {{"top", "1"}, "top-1"},
      {{"top", "5"}, "top-5"}, {{"error", "rate"}, "error rate"}, {{"wer"}, "WER"},
      {{"cer"}, "CER"}, {{"exact", "match"}, "exact match"}, {{"success", "rate"}, "success rate"},
      {{"mse"}, "MSE"}, {{"rmse"}, "RMSE"}, {{"mae"}, "MAE"}, {{"ndcg"}, "NDCG"},
      {{"mrr"}, "MRR"}, {{"latency"}, "latency"}, {{"throughput"}, "throughput"},
      {{"speedup"}, "speedup"}, {{"inception", "score"}, "inception score"},
      {{"pass", "1"}, "pass@1"}, {{"win", "rate"}, "win rate"}, {{"regret"}, "regret"},
      {{"sample", "efficiency"}, "sample efficiency"}, {{"spearman"}, "Spearman"},
      {{"log", "likelihood"}, "log-likelihood"}, {{"elbo"}, "ELBO"}, {{"cider"}, "CIDEr"},
      {{"chrf"}, "chrF"}, {{"calibration", "error"}, "calibration error"}, {{"ece"}, "ECE"},
      {{"wall", "clock"}, "wall-clock time"}, {{"memory", "footprint"}, "memory footprint"}};
  return *list;
}

// Capitalised words and acronyms that are not method names.
const std::unordered_set<std::string>& NotMethodNames() {
  static const auto* set = new std::unordered_set<std::string>{
      "We", "The", "This", "Our", "In", "AI", "ML", "US", "UK", "EU", "II", "III", "IV",
      "OK", "PhD", "TM", "NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "GPU", "GPUs",
      "CPU", "CPUs", "TPU", "API", "APIs", "URL", "PDF", "RGB", "SOTA", "Fig", "Figure",
      "Table", "Section", "Appendix", "Eq", "Theorem", "Lemma", "I", "A", "An", "It", "By",
      "On", "For", "To", "As", "At", "Code", "Experiments", "Results", "However", "Finally"};
  return *set;
}

// Words ending a noun phrase taken as a facet value.
const std::unordered_set<std::string>& PhraseStopWords() {
  static const auto* set = new std::unordered_set<std::string>{
      "that", "which", "who", "whose", "where", "whereby", "while", "whilst", "when",
      "because", "since", "although", "though", "thereby", "thus", "hence", "via", "using",
      "by", "through", "and", "but", "or", "with", "without", "achieving", "achieves",
      "outperforming", "outperforms", "showing", "shows", "leading", "yielding", "allowing",
      "enabling", "is", "are", "was", "were", "can", "could", "will", "would", "to", "in",
      "on", "from", "under", "across", "against", "than", "as", "if", "into", "within"};
  return *set;
}

std::string_view TrimPunct(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && std::string_view(" \t\n,;:.()[]\"'*-").find(s.back()) != std::string_view::npos)
    s.remove_suffix(1);
  while (!s.empty() && std::string_view(" \t\n,;:.()[]\"'*").find(s.front()) != std::string_view::npos)
    s.remove_prefix(1);
  return s;
}

// Text of the noun phrase starting at token `from`: stops at clause
// punctuation, a word that begins a new clause, or after `max_tokens` words.
std::string PhraseFrom(std::string_view sentence, const std::vector<TokenSpan>& spans, size_t from,
                       size_t max_tokens, const std::unordered_set<std::string>& stop) {
  if (from >= spans.size()) return "";
  size_t last = from;
  for (size_t k = from; k < spans.size() && k < from + max_tokens; ++k) {
    if (k > from) {
      // Punctuation between the previous token and this one ends the phrase,
      // except hyphens, slashes and apostrophes inside a compound.
      std::string_view gap = sentence.substr(spans[k - 1].end, spans[k].begin - spans[k - 1].end);
      if (gap.find_first_of(",;:.()[]!?\"") != std::string_view::npos) break;
      const std::string& w = spans[k].token;
      if (stop.count(w)) break;
      // An adverb starts the predicate: "X significantly improves Y".
      if (w.size() > 5 && EndsWith(w, "ly") && w != "family" && w != "anomaly" && w != "supply") break;
    }
    last = k;
  }
  // A phrase ending on a bare function word reads badly: drop trailing ones.
  while (last > from && (IsStopword(spans[last].token) || spans[last].token == "and")) --last;
  std::string_view text = sentence.substr(spans[from].begin, spans[last].end - spans[from].begin);
  return std::string(TrimPunct(text));
}

void AddUnique(std::vector<std::string>* list, std::string value) {
  if (value.empty()) return;
  for (const std::string& v : *list)
    if (ToLowerAscii(v) == ToLowerAscii(value)) return;
  list->push_back(std::move(value));
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// Capitalised names and acronyms of the original sentence, with byte offsets:
// "VQGAN", "BERT", "GPT-4", "ResNet-50", "AlphaFold".
struct NameToken {
  std::string text;
  size_t begin;
  size_t end;
};
std::vector<NameToken> NameTokens(std::string_view s) {
  std::vector<NameToken> out;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsWordChar(s[i])) { ++i; continue; }
    size_t b = i;
    while (i < s.size() && IsWordChar(s[i])) ++i;
    std::string_view w = s.substr(b, i - b);
    while (!w.empty() && (w.back() == '-' || w.back() == '_')) w.remove_suffix(1);
    if (w.empty()) continue;
    out.push_back({std::string(w), b, b + w.size()});
  }
  return out;
}
// An acronym or a CamelCase name: two or more capitals, or a capital after a
// lower-case letter ("ResNet").
bool LooksLikeName(std::string_view w) {
  int upper = 0;
  bool camel = false;
  for (size_t k = 0; k < w.size(); ++k) {
    if (std::isupper(static_cast<unsigned char>(w[k]))) {
      ++upper;
      if (k > 0 && std::islower(static_cast<unsigned char>(w[k - 1]))) camel = true;
    }
  }
  return std::isalpha(static_cast<unsigned char>(w[0])) && (upper >= 2 || camel);
}

bool IsDatasetWord(std::string_view lower) {
  return lower == "dataset" || lower == "datasets" || lower == "benchmark" || lower == "benchmarks" ||
         lower == "corpus" || lower == "corpora" || lower == "suite";
}

}  // namespace

std::unique_ptr<SentenceScorer> NewCueRuleScorer() { return std::make_unique<CueRuleScorer>(); }

std::string NormalizeSectionHeading(std::string_view heading) {
  std::string lower = ToLowerAscii(CollapseWhitespace(Trim(heading)));
  size_t k = 0;
  while (k < lower.size() && (std::isdigit(static_cast<unsigned char>(lower[k])) || lower[k] == '.' ||
                              lower[k] == ' '))
    ++k;
  if (k == 0) {  // roman numerals: "iv. results"
    size_t r = 0;
    while (r < lower.size() && (lower[r] == 'i' || lower[r] == 'v' || lower[r] == 'x')) ++r;
    if (r > 0 && r + 1 < lower.size() && lower[r] == '.' && lower[r + 1] == ' ') k = r + 2;
  }
  return lower.substr(k);
}

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

std::map<std::string, std::vector<std::string>> ExtractFacets(std::string_view sentence) {
  std::map<std::string, std::vector<std::string>> facets;
  Analyzed a = Analyze(sentence);
  const Tokens& t = a.tokens;

  // object: the noun phrase after the contribution verb.
  static const std::unordered_set<std::string> kObjectVerbs = {
      "propose", "proposes", "introduce", "introduces", "present", "presents", "develop",
      "develops", "design", "designs", "devise", "devises", "release", "releases", "build",
      "builds", "construct", "constructs", "create", "creates", "collect", "collects",
      "formulate", "formulates", "study", "studies", "investigate", "investigates", "analyze",
      "analyzes", "analyse", "analyses", "prove", "proves", "show", "shows", "demonstrate",
      "demonstrates", "establish", "establishes", "derive", "derives", "provide", "provides",
      "describe", "describes", "explore", "explores", "examine", "examines", "curate", "offer",
      "offers", "contribute", "contributes", "extend", "extends", "address", "addresses"};
  for (size_t i = 0; i < t.size(); ++i) {
    size_t subject = SelfSubjectAt(t, i);
    if (subject == 0) continue;
    size_t k = i + subject;
    while (k < t.size() && k <= i + subject + 2 && !kObjectVerbs.count(t[k])) ++k;
    if (k >= t.size() || !kObjectVerbs.count(t[k])) continue;
    size_t from = k + 1;
    if (from < t.size() && (t[from] == "that" || t[from] == "how" || t[from] == "here")) ++from;
    static const std::unordered_set<std::string> kObjectStops = [] {
      std::unordered_set<std::string> s = PhraseStopWords();
      s.erase("to");  // "a novel approach to learning"
      s.erase("in");
      s.erase("on");
      s.erase("with");
      s.erase("and");
      return s;
    }();
    // "we present X and evaluate it": the object ends before the next verb.
    size_t max_tokens = 14;
    for (size_t m = from + 1; m + 1 < t.size() && m < from + max_tokens; ++m) {
      const std::string& next = t[m + 1];
      if (t[m] == "and" && (ContributionVerbs().count(next) || ActivityVerbs().count(next) ||
                            next == "we" || next == "it" || next == "then" || next == "also")) {
        max_tokens = m - from;
        break;
      }
    }
    std::string object = PhraseFrom(sentence, a.spans, from, max_tokens, kObjectStops);
    if (!object.empty() && object.size() >= 3) AddUnique(&facets["object"], object);
    break;
  }

  // dataset: well-known names, and names next to a dataset word.
  std::vector<NameToken> names = NameTokens(sentence);
  std::set<std::string> dataset_names;
  for (const std::string& known : KnownDatasets()) {
    size_t at = 0;
    while ((at = sentence.find(known, at)) != std::string_view::npos) {
      size_t end = at + known.size();
      bool left = at == 0 || !IsWordChar(sentence[at - 1]);
      bool right = end == sentence.size() || !IsWordChar(sentence[end]);
      if (left && right) {
        AddUnique(&facets["dataset"], known);
        dataset_names.insert(known);
        for (const NameToken& n : names)
          if (n.begin >= at && n.end <= end) dataset_names.insert(n.text);
        break;
      }
      at = end;
    }
  }
  for (size_t k = 0; k < names.size(); ++k) {
    std::string lower = ToLowerAscii(names[k].text);
    if (!IsDatasetWord(lower)) continue;
    // "the XYZ dataset", "XYZ benchmark"
    if (k > 0 && LooksLikeName(names[k - 1].text) && !NotMethodNames().count(names[k - 1].text)) {
      AddUnique(&facets["dataset"], names[k - 1].text);
      dataset_names.insert(names[k - 1].text);
    }
    // "dataset XYZ", "benchmark, XYZ,"
    if (k + 1 < names.size() && LooksLikeName(names[k + 1].text) &&
        !NotMethodNames().count(names[k + 1].text) && names[k + 1].begin - names[k].end <= 3) {
      AddUnique(&facets["dataset"], names[k + 1].text);
      dataset_names.insert(names[k + 1].text);
    }
  }

  // metric
  std::set<std::string> metric_names;
  for (const auto& [phrase, name] : MetricPhrases()) {
    if (FindPhrase(t, phrase) >= 0) {
      AddUnique(&facets["metric"], name);
      metric_names.insert(ToLowerAscii(name));
    }
  }

  // method: acronyms and CamelCase names that are not datasets or metrics.
  for (const NameToken& n : names) {
    if (!LooksLikeName(n.text) || NotMethodNames().count(n.text) || dataset_names.count(n.text)) continue;
    if (metric_names.count(ToLowerAscii(n.text))) continue;
    AddUnique(&facets["method"], n.text);
  }

  // task: "for X", "on the task of X", "the problem of X".
  static const std::unordered_set<std::string> kNotTask = {
      "example", "instance", "each", "all", "the", "first", "free", "this", "that", "these",
      "those", "any", "both", "which", "such", "a", "an", "many", "most", "some", "more",
      "its", "their", "our", "it", "them", "training", "inference", "evaluation", "every"};
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    size_t from = 0;
    if (i + 3 < t.size() && (t[i] == "task" || t[i] == "problem") && t[i + 1] == "of") {
      from = i + 2;
    } else if (t[i] == "for") {
      from = i + 1;
      if (from < t.size() && (t[from] == "the" || t[from] == "a" || t[from] == "an")) ++from;
    } else {
      continue;
    }
    if (from >= t.size() || kNotTask.count(t[from]) || IsStopword(t[from])) continue;
    // Only a phrase right after the cue word (no punctuation in between).
    std::string_view gap = sentence.substr(a.spans[i].end, a.spans[from].begin - a.spans[i].end);
    if (gap.find_first_of(",;:.()") != std::string_view::npos) continue;
    std::string task = PhraseFrom(sentence, a.spans, from, 6, PhraseStopWords());
    if (task.size() >= 3 && !std::isdigit(static_cast<unsigned char>(task[0])))
      AddUnique(&facets["task"], task);
  }
  return facets;
}

// ---------------------------------------------------------------------------
// The extractor.

namespace {

// Bytes of a Markdown list marker ("- ", "* ", "+ ", "• ", "1. ", "1) ", "(1) ",
// "(a) ", "(i) ") at the start of `s`, including the space after it; 0 when none.
size_t ListMarkerLen(std::string_view s) {
  size_t j = 0;
  if (s.empty()) return 0;
  if (s[0] == '-' || s[0] == '*' || s[0] == '+') {
    j = 1;
  } else if (StartsWith(s, "\xE2\x80\xA2")) {  // •
    j = 3;
  } else if (std::isdigit(static_cast<unsigned char>(s[0]))) {
    while (j < s.size() && j < 3 && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j >= s.size() || (s[j] != '.' && s[j] != ')')) return 0;
    ++j;
  } else if (s[0] == '(') {
    j = 1;
    while (j < s.size() && j < 6 && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j == 1 || j >= s.size() || s[j] != ')') return 0;
    ++j;
  } else {
    return 0;
  }
  if (j >= s.size() || (s[j] != ' ' && s[j] != '\t')) return 0;
  while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
  return j;
}

// True when a sentence announces a list of contributions ("Our main
// contributions are as follows:", "In summary, we make the following contributions:").
bool AnnouncesContributionList(std::string_view sentence) {
  std::string lower = ToLowerAscii(Trim(sentence));
  if (lower.find("contribution") == std::string::npos) return false;
  return (!lower.empty() && lower.back() == ':') || lower.find("as follows") != std::string::npos ||
         lower.find("following") != std::string::npos || lower.find("summarized") != std::string::npos ||
         lower.find("summarize") != std::string::npos;
}

struct Candidate {
  Claim claim;
  int field_order = 0;  // abstract before introduction
};

}  // namespace

ClaimExtractor::ClaimExtractor(ExtractorOptions options, std::shared_ptr<const SentenceScorer> scorer)
    : options_(std::move(options)), scorer_(std::move(scorer)) {
  if (!scorer_) scorer_ = ScorerForModel(options_.claims_model);
}

ExtractionResult ClaimExtractor::Extract(const Submission& submission) const {
  std::vector<Candidate> candidates;
  auto scan_field = [&](const std::string& field_name, const std::string& text, int order) {
    std::vector<SentenceSpan> spans = SplitSentences(text);
    bool in_list = false;
    size_t previous_end = 0;
    // The introduction field is the introduction section (the reader cut it there).
    const std::string section = field_name == "introduction" ? "introduction" : "";
    size_t section_index = 0;
    for (size_t index = 0; index < spans.size(); ++index) {
      SentenceSpan span = spans[index];
      std::string_view sentence(text.data() + span.start, span.end - span.start);
      size_t marker = ListMarkerLen(sentence);
      if (in_list && marker == 0) {
        // A list item's later sentences stay in the list; a new line without
        // a marker ends it.
        std::string_view gap(text.data() + previous_end, span.start - previous_end);
        if (gap.find('\n') != std::string_view::npos) in_list = false;
      }
      previous_end = span.end;
      bool announces = AnnouncesContributionList(sentence);
      // A heading inside the introduction starts one of its subsections
      // ("1.1 Our contributions"): the position restarts, the section stays
      // the introduction, whose guards (sentence_classifier.h) keep applying.
      if (!sentence.empty() && sentence[0] == '#') section_index = 0;
      if (sentence.empty() || sentence[0] == '#' || sentence[0] == '|') {
        in_list = false;
        continue;
      }
      SentenceContext ctx;
      ctx.field = field_name;
      ctx.index = index;
      ctx.count = spans.size();
      ctx.in_contribution_list = in_list;
      ctx.section = field_name == "abstract" ? "" : section;
      ctx.section_index = section_index++;
      if (index > 0)
        ctx.previous = std::string_view(text.data() + spans[index - 1].start, spans[index - 1].end - spans[index - 1].start);
      if (index + 1 < spans.size())
        ctx.next = std::string_view(text.data() + spans[index + 1].start, spans[index + 1].end - spans[index + 1].start);
      if (announces) {
        in_list = true;
        // "Our contributions are as follows:" announces claims, it states none.
        std::string_view trimmed = Trim(sentence);
        if (!trimmed.empty() && trimmed.back() == ':') continue;
      }
      // The claim is the sentence without its list marker.
      span.start += marker;
      sentence.remove_prefix(marker);
      if (sentence.empty() || sentence.size() > options_.max_claim_bytes) continue;
      std::string cue;
      double score = scorer_->Score(sentence, ctx, &cue);
      if (!(score >= options_.min_score)) continue;
      Candidate c;
      c.field_order = order;
      c.claim.text = std::string(sentence);
      c.claim.span = Span{field_name, span.start, span.end};
      c.claim.cue = cue;
      c.claim.score = score;
      candidates.push_back(std::move(c));
    }
  };
  scan_field("abstract", submission.abstract, 0);
  if (options_.use_introduction && !submission.introduction.empty())
    scan_field("introduction", submission.introduction, 1);

  // The same sentence in the abstract and the introduction is one claim.
  std::vector<Candidate> unique;
  std::unordered_map<std::string, size_t> seen;
  for (Candidate& c : candidates) {
    std::string key = ToLowerAscii(CollapseWhitespace(c.claim.text));
    auto it = seen.find(key);
    if (it != seen.end()) {
      Candidate& kept = unique[it->second];
      kept.claim.score = std::max(kept.claim.score, c.claim.score);
      continue;
    }
    seen.emplace(std::move(key), unique.size());
    unique.push_back(std::move(c));
  }

  ExtractionResult result;
  if (unique.size() > options_.max_claims) {
    std::stable_sort(unique.begin(), unique.end(),
                     [](const Candidate& a, const Candidate& b) { return a.claim.score > b.claim.score; });
    result.dropped_past_limit = unique.size() - options_.max_claims;
    unique.resize(options_.max_claims);
    std::sort(unique.begin(), unique.end(), [](const Candidate& a, const Candidate& b) {
      if (a.field_order != b.field_order) return a.field_order < b.field_order;
      return a.claim.span.start < b.claim.span.start;
    });
  }
  for (Candidate& c : unique) {
    Claim& claim = c.claim;
    claim.id = "c" + std::to_string(result.claims.size() + 1);
    claim.type = ClassifyClaimType(claim.text);
    claim.facets = ExtractFacets(claim.text);
    result.claims.push_back(std::move(claim));
  }
  return result;
}

}  // namespace novelta
