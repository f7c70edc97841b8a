#include "pipeline/extract/claim_wording.h"

#include <algorithm>

namespace novelta {
namespace claim_wording {
namespace {

bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

// Builds a VerbTable from groups of forms, the first of each its lemma.
VerbTable MakeVerbTable(std::initializer_list<std::initializer_list<const char*>> groups) {
  VerbTable table;
  for (const auto& group : groups) {
    const char* lemma = *group.begin();
    for (const char* form : group) table.emplace(form, lemma);
  }
  return table;
}

}  // namespace

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

int FindPhrase(const Tokens& t, std::initializer_list<const char*> phrase, size_t from) {
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

bool IsDatasetWord(std::string_view lower) {
  return lower == "dataset" || lower == "datasets" || lower == "benchmark" || lower == "benchmarks" ||
         lower == "corpus" || lower == "corpora" || lower == "suite";
}

}  // namespace claim_wording
}  // namespace novelta
