#include "alignment/review_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/sentence_splitter.h"
#include "base/text.h"

namespace novelta::alignment {
namespace {

// ---------------------------------------------------------------------------
// Cue lexicon. Each cue is a run of lower-case word tokens.

enum class CueKind {
  kPositive,      // "novel", "original", "the first to"
  kNegative,      // "incremental", "already proposed", "similar to"
  kTopic,         // "novelty", "prior work": the sentence is about novelty, no side taken
  kNoveltyNoun,   // "novelty", "originality", "contribution": takes a side through modifiers
};

struct Cue {
  std::vector<std::string> words;
  CueKind kind;
  int strength = 1;  // for negative cues: 1 incremental, 2 not novel
  // Counts only when the sentence also names a prior work or mentions prior
  // work in general ("similar to" is about novelty only next to a reference).
  bool needs_prior_reference = false;
};

std::vector<std::string> Words(const char* phrase) { return WordTokens(phrase); }

const std::vector<Cue>& Cues() {
  static const std::vector<Cue> cues = [] {
    std::vector<Cue> c;
    auto pos = [&](const char* p) { c.push_back({Words(p), CueKind::kPositive, 0, false}); };
    auto neg = [&](const char* p, int strength, bool needs_ref = false) {
      c.push_back({Words(p), CueKind::kNegative, strength, needs_ref});
    };
    auto topic = [&](const char* p) { c.push_back({Words(p), CueKind::kTopic, 0, false}); };
    auto noun = [&](const char* p) { c.push_back({Words(p), CueKind::kNoveltyNoun, 0, false}); };

    for (const char* p : {"novel", "original", "innovative", "pioneering", "groundbreaking",
                          "unexplored", "underexplored", "under explored", "understudied",
                          "new idea", "new ideas", "new perspective", "new insight", "new insights",
                          "new direction", "new paradigm", "new angle", "fresh perspective",
                          "fresh idea", "fresh look", "creative", "not been explored",
                          "not been studied", "not been addressed", "not been considered",
                          "not been investigated", "not yet been explored", "rarely explored",
                          "first to", "first work", "first paper", "first study", "first attempt",
                          "first time", "first approach", "first method", "first framework",
                          "first systematic", "first comprehensive", "first benchmark",
                          "first dataset", "first effort", "first known", "first theoretical",
                          "first principled", "first unified", "first rigorous"})
      pos(p);
    for (const char* p : {"incremental", "incrementally", "marginally novel", "marginally new",
                          "derivative",
                          "straightforward extension", "straightforward combination",
                          "straightforward application", "straightforward adaptation",
                          "straightforward generalization", "simple extension",
                          "simple combination", "natural extension", "direct extension",
                          "direct application", "minor extension", "minor modification",
                          "minor modifications", "minor improvement", "trivial extension",
                          "combination of existing", "combines existing", "combining existing",
                          "well studied",
                          "well explored", "extensively studied", "widely studied",
                          "extensively explored", "widely explored"})
      neg(p, 1);
    for (const char* p : {"well known", "well established", "similar to", "closely related to", "resembles", "reminiscent of",
                          "variant of", "extension of", "builds heavily on", "builds upon",
                          "relies heavily on", "overlap with", "overlaps with",
                          "significant overlap", "heavily inspired", "inspired by",
                          "adaptation of", "application of"})
      neg(p, 1, /*needs_ref=*/true);
    for (const char* p : {"is new", "entirely new", "completely new", "genuinely new",
                          "truly new", "fundamentally new"})
      pos(p);
    for (const char* p : {"not entirely new", "not completely new", "not particularly new",
                          "not totally new", "not very new", "not that new", "not fully new",
                          "not really new"})
      neg(p, 1);
    for (const char* p : {"not new", "t new", "nothing new", "already proposed", "already explored",
                          "already studied", "already known", "already exists", "already exist",
                          "already established", "already shown", "already done",
                          "already investigated", "already introduced", "already been proposed",
                          "already been explored", "already been studied", "already been done",
                          "already been introduced", "already been shown", "already been investigated",
                          "already been addressed", "already been considered", "already been published",
                          "already been established", "already been reported", "already been developed",
                          "already been discussed", "already been known", "already been widely",
                          "already been extensively", "already been well", "already been used in",
                          "already been applied",
                          "previously proposed", "previously explored", "previously studied",
                          "previously introduced", "previously shown", "been done before",
                          "been proposed before", "been explored before", "been studied before",
                          "been shown before", "essentially the same", "identical to",
                          "the same as", "same idea", "rebranding", "re branding"})
      neg(p, 2);
    for (const char* p : {"prior work", "prior works", "previous work", "previous works",
                          "existing work", "existing works", "earlier work", "earlier works",
                          "related work", "related works", "concurrent work", "concurrent works",
                          "recent work", "recent works", "prior art", "prior methods",
                          "previous methods", "existing methods", "prior approaches",
                          "previous approaches", "existing approaches", "prior studies",
                          "previous studies", "existing studies", "prior literature",
                          "existing literature", "the literature"})
      topic(p);
    for (const char* p : {"novelty", "novelties", "originality", "innovation", "innovations",
                          "innovativeness", "contribution", "contributions", "incrementality"})
      noun(p);
    return c;
  }();
  return cues;
}

// Cues by their first word, longest first so that "not been explored" wins
// over a shorter cue starting at the same word.
const std::unordered_map<std::string, std::vector<const Cue*>>& CuesByFirstWord() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, std::vector<const Cue*>>();
    for (const auto& c : Cues()) (*m)[c.words[0]].push_back(&c);
    for (auto& [word, list] : *m)
      std::stable_sort(list.begin(), list.end(), [](const Cue* x, const Cue* y) {
        return x->words.size() > y->words.size();
      });
    return m;
  }();
  return *index;
}

// Words that turn a following cue around within a small window.
bool IsNegator(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "not", "no", "never", "hardly", "barely", "scarcely", "t", "cannot", "nor", "neither",
      "lack", "lacks", "lacking", "without",
      "isn", "aren", "wasn", "doesn", "don", "didn", "hasn", "haven"};
  return k.count(w) > 0;
}

// Words between a negator and a positive cue that soften "not novel" into
// "not entirely novel" (incremental rather than not novel).
bool IsSoftener(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "particularly", "very", "entirely", "totally", "completely", "that", "so", "especially",
      "really", "fully", "terribly", "extremely", "too", "highly", "quite", "sufficiently"};
  return k.count(w) > 0;
}

// Modifiers of a novelty noun: "limited novelty", "the novelty is not clear".
int ModifierPolarity(std::string_view w, int* strength) {
  static const std::unordered_set<std::string_view> kNeg1 = {
      "limited", "minor", "low", "little", "modest", "questionable", "unclear", "weak",
      "insufficient", "restricted", "concern", "concerns", "concerned", "doubt", "doubts",
      "doubtful", "overstated", "overclaimed", "thin", "moderate", "small", "narrow", "weakness",
      "weaknesses", "lacks", "lack", "lacking", "missing", "incremental", "marginal"};
  static const std::unordered_set<std::string_view> kNeg2 = {"lack", "lacks", "lacking", "no",
                                                             "missing"};
  static const std::unordered_set<std::string_view> kPos = {
      "high", "strong", "significant", "clear", "considerable", "good", "great", "sufficient",
      "solid", "notable", "substantial", "convinced", "convincing", "evident", "clearly",
      "substantive", "important", "valuable", "impressive", "genuine", "meaningful", "strength",
      "strengths"};
  if (kNeg2.count(w)) {
    *strength = 2;
    return -1;
  }
  if (kNeg1.count(w)) {
    *strength = 1;
    return -1;
  }
  if (kPos.count(w)) return 1;
  return 0;
}

// Nouns after "novel" in its sense of "unseen" (generalisation to novel classes).
bool IsUnseenNoun(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "view", "views", "viewpoint", "viewpoints", "class", "classes", "object", "objects",
      "category", "categories", "environment", "environments", "scene", "scenes", "domain",
      "domains", "instance", "instances", "concept", "concepts", "word", "words", "entity",
      "entities", "molecule", "molecules", "protein", "proteins", "input", "inputs", "pose",
      "poses", "combinations", "compositions", "situations", "states", "tokens", "users",
      "items", "materials", "shapes", "target", "targets", "test", "unseen", "species"};
  return k.count(w) > 0;
}

bool IsOriginalityLead(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "is", "are", "be", "been", "was", "were", "seems", "seem", "appears", "appear", "very",
      "quite", "highly", "truly", "fairly", "rather", "reasonably", "sufficiently", "somewhat",
      "genuinely", "and", "particularly", "entirely", "completely", "not", "both", "most", "more",
      "also", "remains", "relatively", "an", "is", "novel", "and", "t"};
  return k.count(w) > 0;
}

bool IsOriginalityHead(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "idea", "ideas", "contribution", "contributions", "approach", "perspective", "insight",
      "insights", "work", "research", "method", "technique", "formulation", "take", "angle",
      "solution", "design", "framework", "analysis", "concept"};
  return k.count(w) > 0;
}

bool IsAttribution(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "claim", "claims", "claimed", "claiming", "argue", "argues", "argued", "assert", "asserts",
      "state", "states", "stated", "emphasize", "emphasizes", "highlight", "highlights"};
  return k.count(w) > 0;
}

bool IsDescriptiveVerb(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "propose", "proposes", "proposed", "proposing", "introduce", "introduces", "introduced",
      "introducing", "present", "presents", "presented", "presenting", "develop", "develops",
      "developed", "design", "designs", "designed", "offer", "offers", "devise", "devises",
      "formulate", "formulates", "build", "builds", "construct", "constructs", "establish",
      "establishes", "release", "releases", "provide", "provides", "curate", "curates"};
  return k.count(w) > 0;
}

// Weight of a cue by its place in a contrast: the clause after "but" carries
// the reviewer's point ("novel but incremental" is negative), a concessive
// clause ("although novel, ...") carries less.
enum class ContrastRole { kPlain, kAfterBut, kConcessive, kAfterConcessive };

double RoleWeight(ContrastRole r) {
  switch (r) {
    case ContrastRole::kPlain: return 1.0;
    case ContrastRole::kAfterBut: return 2.0;
    case ContrastRole::kConcessive: return 0.5;
    case ContrastRole::kAfterConcessive: return 1.5;
  }
  return 1.0;
}

// True when the text between two tokens holds a clause break (, ; : or a dash).
bool ClauseBreakBetween(std::string_view s, const TokenSpan& a, const TokenSpan& b) {
  for (size_t i = a.end; i < b.begin && i < s.size(); ++i) {
    char c = s[i];
    if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Aspects.

const std::vector<std::pair<Aspect, std::vector<const char*>>>& AspectKeywords() {
  static const std::vector<std::pair<Aspect, std::vector<const char*>>> k = {
      {Aspect::kTheory,
       {"theory", "theoretical", "theoretically", "theorem", "theorems", "proof", "proofs",
        "bound", "bounds", "lemma", "guarantee", "guarantees", "convergence", "analytical",
        "regret", "complexity", "provable", "provably", "formal", "formally"}},
      {Aspect::kData,
       {"dataset", "datasets", "data", "benchmark", "benchmarks", "corpus", "corpora",
        "annotation", "annotations", "annotated", "collection", "samples", "testbed"}},
      {Aspect::kProblem,
       {"problem", "problems", "task", "tasks", "setting", "settings", "formulation",
        "question", "questions", "motivation", "perspective", "direction", "challenge",
        "scenario", "paradigm", "viewpoint", "topic", "research"}},
      {Aspect::kResults,
       {"result", "results", "finding", "findings", "experiment", "experiments", "experimental",
        "empirical", "empirically", "evaluation", "performance", "insight", "insights",
        "observation", "observations", "study", "analysis", "improvement", "improvements",
        "gains", "evidence"}},
      {Aspect::kApplication,
       {"application", "applications", "applied", "applying", "apply", "domain", "domains",
        "deployment", "practical", "practice", "use", "usage", "industry", "real"}},
      {Aspect::kMethod,
       {"method", "methods", "approach", "approaches", "algorithm", "algorithms", "technique",
        "techniques", "architecture", "framework", "model", "models", "module", "loss",
        "mechanism", "design", "strategy", "training", "idea", "ideas", "objective",
        "procedure", "pipeline", "component", "components", "regularization", "network",
        "estimator", "solver", "scheme", "methodology", "technical"}},
  };
  return k;
}

// ---------------------------------------------------------------------------
// Named works.

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordByte(char c) {
  return IsUpper(c) || IsLower(c) || IsDigit(c) || c == '-' || c == '\'' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

// Capitalised words that precede years or "et al." but are not surnames.
bool IsNotSurname(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "In", "The", "This", "That", "These", "Since", "From", "Before", "After", "Until", "By",
      "As", "At", "On", "For", "And", "Or", "See", "E", "Eq", "Equation", "Table", "Figure",
      "Fig", "Section", "Sec", "Appendix", "Line", "Lines", "Page", "Theorem", "Lemma",
      "Proceedings", "Conference", "Workshop", "Journal", "Transactions", "Advances", "Vol",
      "Volume", "January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December", "Spring", "Summer", "Fall", "Winter",
      "Year", "Years", "Also", "Also,", "Published", "Accepted", "Around", "Circa", "Between",
      "Cf", "Compare", "Note", "Ref", "Refs", "Reference", "References", "Similarly", "Like",
      "Unlike", "Q", "Question", "Arxiv", "ArXiv", "Preprint", "Version", "Release", "Edition",
      "Neurips", "NeurIPS", "Icml", "Iclr", "Cvpr", "Iccv", "Eccv", "Aaai", "Acl", "Emnlp",
      "Naacl", "Ijcai", "Colt", "Aistats", "Uai", "Corl", "Icra", "Iros", "Kdd", "Www", "Tmlr",
      "Jmlr", "Openreview", "OpenReview", "GitHub", "Github", "Google", "Meta", "OpenAI",
      "Microsoft", "Our", "My", "Their", "Its", "Was", "Were", "Is", "Are", "Both", "All"};
  return k.count(w) > 0;
}

bool LooksLikeSurname(std::string_view w) {
  if (w.size() < 2 || !IsUpper(w[0])) return false;
  bool has_lower = false;
  for (char c : w) {
    if (IsDigit(c)) return false;
    if (IsLower(c) || static_cast<unsigned char>(c) >= 0x80) has_lower = true;
  }
  return has_lower && !IsNotSurname(w);
}

// The word ending just before position `end` (skipping spaces); sets *begin.
std::string_view WordBefore(std::string_view s, size_t end, size_t* begin) {
  size_t e = end;
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  size_t b = e;
  while (b > 0 && IsWordByte(s[b - 1])) --b;
  *begin = b;
  return s.substr(b, e - b);
}

int ParseYearAt(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return 0;
  for (size_t k = i; k < i + 4; ++k)
    if (!IsDigit(s[k])) return 0;
  if (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == '.')) return 0;
  if (i + 4 < s.size()) {
    char n = s[i + 4];
    if (IsDigit(n)) return 0;
    if (n == '.' && i + 5 < s.size() && IsDigit(s[i + 5])) return 0;  // arXiv id
  }
  int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
  return (y >= 1950 && y <= 2029) ? y : 0;
}

bool TitleCaseEnough(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && IsWordByte(text[i])) ++i;
    if (i > b) words.push_back(text.substr(b, i - b));
  }
  if (words.size() < 3 || words.size() > 30) return false;
  int long_words = 0, capitalised = 0;
  for (auto w : words) {
    if (w.size() < 4) continue;
    ++long_words;
    if (IsUpper(w[0])) ++capitalised;
  }
  return long_words > 0 && capitalised * 10 >= long_words * 6;
}

struct Found {
  NamedWork work;
  size_t pos;
  bool title_case = true;  // for kTitle: looks like a title without resolution
};

void FindAuthorMentions(std::string_view s, std::vector<Found>* out,
                        std::vector<std::pair<size_t, size_t>>* covered_years) {
  // "Surname et al." with an optional year or number after it.
  size_t from = 0;
  while (true) {
    size_t p = s.find("et al", from);
    if (p == std::string_view::npos) break;
    from = p + 5;
    if (p > 0 && IsWordByte(s[p - 1])) continue;
    size_t sb;
    std::string_view surname = WordBefore(s, p, &sb);
    if (!LooksLikeSurname(surname)) continue;
    NamedWork w;
    w.surname = std::string(surname);
    size_t q = p + 5;
    // Skip "." "," spaces and a possessive "'s" / "\u2019s".
    while (q < s.size()) {
      if (s[q] == '.' || s[q] == ',' || s[q] == ' ') {
        ++q;
      } else if (s.substr(q, 2) == "'s") {
        q += 2;
      } else if (s.substr(q, 4) == "\xe2\x80\x99s") {
        q += 4;
      } else {
        break;
      }
    }
    bool bracket = false;
    if (q < s.size() && (s[q] == '(' || s[q] == '[')) {
      bracket = s[q] == '[';
      ++q;
    }
    size_t end = q;
    if (int y = ParseYearAt(s, q)) {
      w.kind = NamedWork::Kind::kAuthorYear;
      w.year = y;
      end = q + 4;
      if (end < s.size() && IsLower(s[end])) ++end;  // "2020a"
      covered_years->push_back({q, q + 4});
    } else if (bracket && q < s.size() && IsDigit(s[q])) {
      size_t e = q;
      while (e < s.size() && IsDigit(s[e]) && e - q < 3) ++e;
      w.kind = NamedWork::Kind::kNumbered;
      w.number = std::stoi(std::string(s.substr(q, e - q)));
      end = e;
    } else {
      w.kind = NamedWork::Kind::kAuthor;
      end = p + 5;
    }
    if (end < s.size() && (s[end] == ')' || s[end] == ']')) ++end;
    w.text = std::string(s.substr(sb, end - sb));
    out->push_back({std::move(w), sb, true});
  }
  // "(Surname, 2020)", "[Surname 2020]", "Surname (2020)", "(Surname and Other, 2020)".
  for (size_t i = 0; i + 4 <= s.size(); ++i) {
    int year = ParseYearAt(s, i);
    if (!year) continue;
    bool taken = false;
    for (auto& c : *covered_years)
      if (c.first == i) taken = true;
    if (taken) continue;
    size_t k = i;
    bool paren_before_year = false;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == ',')) --k;
    if (k > 0 && s[k - 1] == '(') {
      paren_before_year = true;
      --k;
    }
    size_t b1;
    std::string_view w1 = WordBefore(s, k, &b1);
    if (!LooksLikeSurname(w1)) continue;
    std::string_view surname = w1;
    size_t start = b1;
    // "Author and Other, 2020" / "Author & Other 2020": the first author leads.
    size_t b0;
    std::string_view conj = WordBefore(s, b1, &b0);
    size_t conj_end = b1;
    while (conj_end > 0 && s[conj_end - 1] == ' ') --conj_end;
    size_t first_end = std::string_view::npos;
    if (conj == "and") {
      first_end = b0;
    } else if (conj_end > 0 && s[conj_end - 1] == '&') {
      first_end = conj_end - 1;
    }
    if (first_end != std::string_view::npos) {
      size_t bf;
      std::string_view first = WordBefore(s, first_end, &bf);
      if (LooksLikeSurname(first)) {
        surname = first;
        start = bf;
      }
    }
    size_t before = start;
    while (before > 0 && s[before - 1] == ' ') --before;
    bool bracket_before_name = before > 0 && (s[before - 1] == '(' || s[before - 1] == '[' ||
                                              s[before - 1] == ';');
    if (!paren_before_year && !bracket_before_name) continue;
    size_t end = i + 4;
    if (end < s.size() && IsLower(s[end])) ++end;
    if (end < s.size() && (s[end] == ')' || s[end] == ']')) ++end;
    NamedWork w;
    w.kind = NamedWork::Kind::kAuthorYear;
    w.surname = std::string(surname);
    w.year = year;
    w.text = std::string(s.substr(start, end - start));
    out->push_back({std::move(w), start, true});
  }
}

void FindNumbered(std::string_view s, std::vector<Found>* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '[') continue;
    // Look for the bracket's close nearby only: a long run of "[" must not
    // make this quadratic.
    size_t close = s.substr(i, 42).find(']');
    if (close == std::string_view::npos) continue;
    close += i;
    std::string_view inner = s.substr(i + 1, close - i - 1);
    if (inner.empty() || !IsDigit(inner[0])) continue;
    if (close + 1 < s.size() && s[close + 1] == '(') continue;  // a Markdown link
    bool ok = true;
    for (char c : inner)
      if (!(IsDigit(c) || c == ',' || c == ' ' || c == '-' || c == '\xe2' || c == '\x80' ||
            c == '\x93'))
        ok = false;
    if (!ok) continue;
    // Skip "et al. [12]": FindAuthorMentions already has it with its surname.
    size_t k = i;
    while (k > 0 && s[k - 1] == ' ') --k;
    if (k >= 3 && (s.substr(k - 3, 3) == "al." || s.substr(k - 2, 2) == "al")) continue;
    std::vector<int> numbers;
    size_t p = 0;
    int prev = -1;
    bool range = false;
    while (p < inner.size()) {
      if (IsDigit(inner[p])) {
        size_t e = p;
        while (e < inner.size() && IsDigit(inner[e])) ++e;
        if (e - p > 3) {
          ok = false;
          break;
        }
        int n = std::stoi(std::string(inner.substr(p, e - p)));
        if (range && prev > 0 && n > prev && n - prev <= 10) {
          for (int m = prev + 1; m <= n; ++m) numbers.push_back(m);
        } else {
          numbers.push_back(n);
        }
        prev = n;
        range = false;
        p = e;
      } else {
        if (inner[p] == '-' || inner[p] == '\x93') range = true;
        ++p;
      }
    }
    if (!ok) continue;
    for (int n : numbers) {
      if (n <= 0) continue;
      NamedWork w;
      w.kind = NamedWork::Kind::kNumbered;
      w.number = n;
      w.text = "[" + std::to_string(n) + "]";
      out->push_back({std::move(w), i, true});
    }
  }
}

void FindArxiv(std::string_view s, std::vector<Found>* out) {
  for (size_t i = 0; i + 10 <= s.size(); ++i) {
    if (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == '.')) continue;
    bool ok = true;
    for (size_t k = i; k < i + 4; ++k) ok = ok && IsDigit(s[k]);
    if (!ok || s[i + 4] != '.') continue;
    size_t e = i + 5;
    while (e < s.size() && IsDigit(s[e])) ++e;
    size_t n = e - (i + 5);
    if (n < 4 || n > 5) continue;
    int yy = (s[i] - '0') * 10 + (s[i + 1] - '0');
    int mm = (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    if (yy < 7 || yy > 29 || mm < 1 || mm > 12) continue;
    NamedWork w;
    w.kind = NamedWork::Kind::kArxiv;
    w.arxiv_id = std::string(s.substr(i, e - i));
    w.text = w.arxiv_id;
    out->push_back({std::move(w), i, true});
    i = e;
  }
}

void FindQuotedTitles(std::string_view s, std::vector<Found>* out) {
  struct Delim {
    const char* open;
    const char* close;
  };
  static const Delim kDelims[] = {{"\"", "\""}, {"\xe2\x80\x9c", "\xe2\x80\x9d"}, {"*", "*"},
                                  {"_", "_"}};
  for (const auto& d : kDelims) {
    size_t ol = std::strlen(d.open), cl = std::strlen(d.close);
    size_t from = 0;
    while (from < s.size()) {
      size_t o = s.find(d.open, from);
      if (o == std::string_view::npos) break;
      bool emphasis = d.open[0] == '*' || d.open[0] == '_';
      if (emphasis) {
        // Single emphasis only: "**bold**" headings are not titles, nor are
        // snake_case identifiers.
        if ((o + 1 < s.size() && s[o + 1] == d.open[0]) || (o > 0 && s[o - 1] == d.open[0]) ||
            (o > 0 && IsWordByte(s[o - 1]))) {
          from = o + 1;
          continue;
        }
      }
      size_t c = s.find(d.close, o + ol);
      if (c == std::string_view::npos) break;
      if (emphasis && c + 1 < s.size() && (s[c + 1] == d.open[0] || IsWordByte(s[c + 1]))) {
        from = c + 1;
        continue;
      }
      std::string_view inner = Trim(s.substr(o + ol, c - o - ol));
      from = c + cl;
      if (inner.size() < 12 || inner.size() > 250 || inner.find('\n') != std::string_view::npos)
        continue;
      NamedWork w;
      w.kind = NamedWork::Kind::kTitle;
      w.title = std::string(inner);
      while (!w.title.empty() && (w.title.back() == '.' || w.title.back() == ','))
        w.title.pop_back();
      w.text = std::string(s.substr(o, c + cl - o));
      bool title_case = TitleCaseEnough(inner);
      out->push_back({std::move(w), o, title_case});
    }
  }
}

std::vector<Found> FindNamedWorks(std::string_view s) {
  std::vector<Found> found;
  std::vector<std::pair<size_t, size_t>> covered_years;
  FindAuthorMentions(s, &found, &covered_years);
  FindNumbered(s, &found);
  FindArxiv(s, &found);
  FindQuotedTitles(s, &found);
  std::stable_sort(found.begin(), found.end(),
                   [](const Found& a, const Found& b) { return a.pos < b.pos; });
  return found;
}

// ---------------------------------------------------------------------------
// Sections and the review's own references list.

struct Line {
  size_t start;
  size_t end;
};

std::vector<Line> SplitLines(std::string_view s) {
  std::vector<Line> lines;
  size_t b = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      lines.push_back({b, i});
      b = i + 1;
    }
  }
  return lines;
}

// "SUMMARY:" -> "summary"; empty when the line is not a section header.
std::string SectionHeader(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.size() < 4 || t.back() != ':') return "";
  for (char c : t.substr(0, t.size() - 1))
    if (!(IsUpper(c) || c == ' ' || c == '&' || c == '_' || c == '/')) return "";
  std::string name = ToLowerAscii(t.substr(0, t.size() - 1));
  if (name == "summary") return "summary";
  if (name == "strengths and weaknesses") return "strengths_and_weaknesses";
  if (name == "questions") return "questions";
  if (name == "limitations") return "limitations";
  return "other";
}

// "**Strengths:**", "Weaknesses", "## Cons" -> +1 strengths, -1 weaknesses, 0 neither.
int SubsectionMarker(std::string_view line) {
  std::string t;
  for (char c : line)
    if (std::isalpha(static_cast<unsigned char>(c)) || c == ' ') t += static_cast<char>(std::tolower(c));
  std::string_view v = Trim(t);
  if (v.size() > 40 || line.size() > 60) return 0;
  for (const char* p : {"strength", "pros", "positive", "merits"})
    if (StartsWith(v, p)) return 1;
  for (const char* p : {"weakness", "cons", "negative", "concerns", "limitation"})
    if (StartsWith(v, p)) return -1;
  return 0;
}

// A line of the review's own references list: "[3] Smith et al. Title. 2020."
bool ReferenceListLine(std::string_view line, ReferenceEntry* entry) {
  std::string_view t = Trim(line);
  if (StartsWith(t, "- ") || StartsWith(t, "* ")) t = Trim(t.substr(2));
  if (t.size() < 20 || t[0] != '[') return false;
  size_t close = t.find(']');
  if (close == std::string_view::npos || close < 2 || close > 4) return false;
  for (size_t i = 1; i < close; ++i)
    if (!IsDigit(t[i])) return false;
  std::string_view rest = Trim(t.substr(close + 1));
  // A citation list, not a sentence citing [3]: it needs a year or a quote.
  bool has_year = false;
  for (size_t i = 0; i + 4 <= rest.size(); ++i)
    if (ParseYearAt(rest, i)) has_year = true;
  if (!has_year && rest.find('"') == std::string_view::npos) return false;
  entry->number = std::stoi(std::string(t.substr(1, close - 1)));
  entry->text = std::string(rest);
  return true;
}

bool ContainsWord(std::string_view text, std::string_view word) {
  size_t from = 0;
  while (true) {
    size_t p = text.find(word, from);
    if (p == std::string_view::npos) return false;
    bool left = p == 0 || !IsWordByte(text[p - 1]);
    bool right = p + word.size() >= text.size() || !IsWordByte(text[p + word.size()]);
    if (left && right) return true;
    from = p + 1;
  }
}

bool ContainsYear(std::string_view text, int year) {
  std::string y = std::to_string(year);
  return ContainsWord(text, y) || text.find(y) != std::string_view::npos;
}

// The entry that an author(-year) mention points to, or null.
const ReferenceEntry* FindByAuthor(const std::vector<ReferenceEntry>& entries,
                                   std::string_view surname, int year) {
  const ReferenceEntry* best = nullptr;
  size_t best_pos = std::string::npos;
  int n_best = 0;
  // Authors come first in an entry; a surname deep in the entry is a title word.
  const size_t window = year ? 200 : 80;
  for (const auto& e : entries) {
    std::string_view head = std::string_view(e.text).substr(0, window);
    size_t p = head.find(surname);
    if (p == std::string_view::npos || !ContainsWord(head, surname)) continue;
    if (year && !ContainsYear(e.text, year)) continue;
    if (p < best_pos) {
      best = &e;
      best_pos = p;
      n_best = 1;
    } else if (p == best_pos) {
      ++n_best;
    }
  }
  return n_best == 1 ? best : nullptr;
}

const ReferenceEntry* FindByNumber(const std::vector<ReferenceEntry>& entries, int number) {
  for (const auto& e : entries)
    if (e.number == number) return &e;
  return nullptr;
}

const ReferenceEntry* FindContaining(const std::vector<ReferenceEntry>& entries,
                                     std::string_view needle) {
  for (const auto& e : entries)
    if (e.text.find(needle) != std::string::npos) return &e;
  return nullptr;
}

// Fills in `reference` and `corpus_id`. Returns false for a quoted phrase that
// neither resolves nor looks like a title (it is then not a named work).
bool Resolve(NamedWork* w, bool title_case, const std::vector<ReferenceEntry>& own,
             const PaperContext& paper, const PriorWorkResolver* resolver) {
  const ReferenceEntry* entry = nullptr;
  switch (w->kind) {
    case NamedWork::Kind::kNumbered:
      entry = FindByNumber(own, w->number);
      if (!entry) entry = FindByNumber(paper.references, w->number);
      break;
    case NamedWork::Kind::kAuthorYear:
    case NamedWork::Kind::kAuthor:
      entry = FindByAuthor(own, w->surname, w->year);
      if (!entry) entry = FindByAuthor(paper.references, w->surname, w->year);
      break;
    case NamedWork::Kind::kArxiv:
      entry = FindContaining(own, w->arxiv_id);
      if (!entry) entry = FindContaining(paper.references, w->arxiv_id);
      break;
    case NamedWork::Kind::kTitle:
      break;
  }
  if (entry) w->reference = entry->text;
  if (!resolver) return w->kind != NamedWork::Kind::kTitle || title_case;
  if (w->kind == NamedWork::Kind::kTitle) {
    w->corpus_id = resolver->ResolveTitle(w->title, 0);
    if (w->corpus_id.empty() && title_case) w->corpus_id = resolver->ResolveReference(w->title);
    return title_case || !w->corpus_id.empty();
  }
  if (entry) w->corpus_id = resolver->ResolveReference(entry->text);
  return true;
}

// ---------------------------------------------------------------------------
// Sentence analysis.

struct Analysis {
  bool is_statement = false;
  double score = 0;  // > 0 positive, < 0 negative
  int negative_strength = 0;
  bool has_novelty_noun = false;
  std::vector<std::string> cues;
};

std::string CueText(const Cue& cue) {
  std::string text;
  for (const auto& w : cue.words) text += (text.empty() ? "" : " ") + w;
  return text;
}

bool MatchAt(const std::vector<TokenSpan>& toks, size_t i, const std::vector<std::string>& words) {
  if (i + words.size() > toks.size()) return false;
  for (size_t k = 0; k < words.size(); ++k)
    if (toks[i + k].token != words[k]) return false;
  return true;
}

// The negator governing token i, looking back at most 4 tokens in the same
// clause; sets *softened when a softener sits between ("not entirely novel").
bool Negated(std::string_view s, const std::vector<TokenSpan>& toks, size_t i, bool* softened) {
  *softened = false;
  // Four tokens reach over "not appear to be original".
  for (size_t back = 1; back <= 4 && back <= i; ++back) {
    size_t j = i - back;
    if (ClauseBreakBetween(s, toks[j], toks[j + 1])) return false;
    if (IsNegator(toks[j].token)) return true;
    if (IsSoftener(toks[j].token)) *softened = true;
  }
  return false;
}

Analysis AnalyzeTokens(std::string_view s, std::string_view section, bool names_prior_work) {
  Analysis a;
  std::vector<TokenSpan> toks = WordTokenSpans(s);
  if (toks.empty()) return a;
  bool question = !Trim(s).empty() && Trim(s).back() == '?';

  // Contrast roles per token.
  std::vector<ContrastRole> role(toks.size(), ContrastRole::kPlain);
  ContrastRole current = ContrastRole::kPlain;
  for (size_t i = 0; i < toks.size(); ++i) {
    const std::string& t = toks[i].token;
    if (i > 0 && current == ContrastRole::kConcessive && ClauseBreakBetween(s, toks[i - 1], toks[i]))
      current = ContrastRole::kAfterConcessive;
    if (t == "but" || t == "however" || t == "yet" || t == "nevertheless" || t == "nonetheless" ||
        t == "unfortunately") {
      current = ContrastRole::kAfterBut;
    } else if (t == "although" || t == "though" || t == "despite" || t == "whereas" ||
               (t == "while" && (i == 0 || ClauseBreakBetween(s, toks[i - 1], toks[i])))) {
      current = ContrastRole::kConcessive;
    }
    role[i] = current;
  }

  bool mentions_prior = names_prior_work;
  for (size_t i = 0; i < toks.size() && !mentions_prior; ++i) {
    auto it = CuesByFirstWord().find(toks[i].token);
    if (it == CuesByFirstWord().end()) continue;
    for (const Cue* cue : it->second)
      if (cue->kind == CueKind::kTopic && MatchAt(toks, i, cue->words)) mentions_prior = true;
  }

  std::vector<bool> used(toks.size(), false);
  auto add_score = [&](size_t i, double polarity, int strength, const std::string& cue_text) {
    double w = RoleWeight(role[i]);
    a.score += polarity * w;
    if (polarity < 0) a.negative_strength = std::max(a.negative_strength, strength);
    a.cues.push_back(cue_text);
  };
  auto attributed = [&](size_t i, size_t window) {
    for (size_t back = 1; back <= window && back <= i; ++back)
      if (IsAttribution(toks[i - back].token)) return true;
    return false;
  };
  // In the summary, "introduces X, a novel framework" describes the paper's
  // own claim; elsewhere "proposes a novel method" is the reviewer's view.
  size_t first_descriptive_verb = toks.size();
  if (section == "summary")
    for (size_t j = 0; j < toks.size(); ++j)
      if (IsDescriptiveVerb(toks[j].token)) {
        first_descriptive_verb = j;
        break;
      }
  auto descriptive = [&](size_t i) { return first_descriptive_verb < i; };
  // "It is hard to say whether it is truly novel": doubt, not praise.
  auto doubted = [&](size_t i) {
    for (size_t back = 1; back <= 5 && back <= i; ++back) {
      const std::string& t = toks[i - back].token;
      if (t == "whether" || t == "if" || t == "wonder" || t == "doubt" || t == "unsure" ||
          t == "unclear" || t == "questionable")
        return true;
    }
    return false;
  };

  for (size_t i = 0; i < toks.size(); ++i) {
    if (used[i]) continue;
    auto it = CuesByFirstWord().find(toks[i].token);
    if (it == CuesByFirstWord().end()) continue;
    for (const Cue* cue : it->second) {
      if (!MatchAt(toks, i, cue->words)) continue;
      if (cue->needs_prior_reference && !mentions_prior) continue;
      // "first" needs "the"/"is" before it: "First, the authors ..." is an enumeration.
      if (cue->words[0] == "first" && (i == 0 || (toks[i - 1].token != "the" &&
                                                   toks[i - 1].token != "is" &&
                                                   toks[i - 1].token != "are")))
        continue;
      // "novel view synthesis", "novel classes": unseen things, not novelty.
      if (cue->words.size() == 1 && cue->words[0] == "novel" && i + 1 < toks.size() &&
          IsUnseenNoun(toks[i + 1].token))
        continue;
      // "original" is about originality when predicated or graded ("is
      // original", "highly original") or said of an idea; "the original
      // paper / version / numbering" is something else.
      if (cue->words.size() == 1 && cue->words[0] == "original" &&
          !(i > 0 && IsOriginalityLead(toks[i - 1].token)) &&
          !(i + 1 < toks.size() && IsOriginalityHead(toks[i + 1].token)))
        continue;
      for (size_t k = 0; k < cue->words.size(); ++k) used[i + k] = true;
      const std::string text = CueText(*cue);
      a.is_statement = true;
      if (cue->kind == CueKind::kTopic) {
        a.cues.push_back(text);
        break;
      }
      if (cue->kind == CueKind::kNoveltyNoun) {
        // "Contribution" is often about significance; only the novelty words
        // proper take a side from the strengths / weaknesses list they sit in.
        if (text != "contribution" && text != "contributions" && text != "innovation" &&
            text != "innovations")
          a.has_novelty_noun = true;
        a.cues.push_back(text);
        // Modifiers up to 3 tokens before ("limited novelty") or 8 after
        // ("the novelty of the proposed method is somewhat limited"), within the clause.
        bool found_modifier = false;
        for (size_t back = 1; back <= 3 && back <= i && !found_modifier; ++back) {
          size_t j = i - back;
          if (ClauseBreakBetween(s, toks[j], toks[j + 1])) break;
          int strength = 1;
          int pol = ModifierPolarity(toks[j].token, &strength);
          if (!pol) continue;
          // "not significant novelty" denies praise: incrementality, strength 1.
          bool soft;
          if (Negated(s, toks, j, &soft)) {
            pol = -pol;
            strength = 1;
          }
          found_modifier = true;
          if (!attributed(j, 6)) add_score(j, pol, strength, toks[j].token + " " + text);
        }
        for (size_t fwd = 1; fwd <= 8 && i + fwd < toks.size() && !found_modifier; ++fwd) {
          size_t j = i + fwd;
          if (ClauseBreakBetween(s, toks[j - 1], toks[j])) break;
          int strength = 1;
          int pol = ModifierPolarity(toks[j].token, &strength);
          if (!pol) continue;
          bool soft;
          if (Negated(s, toks, j, &soft)) pol = -pol;
          if (pol < 0 && strength == 2 && toks[j].token == "no") continue;
          found_modifier = true;
          if (!attributed(i, 6)) add_score(j, pol, strength, text + " ... " + toks[j].token);
        }
        break;
      }
      bool soft = false;
      bool negated = Negated(s, toks, i, &soft);
      if (attributed(i, 6) || (cue->kind == CueKind::kPositive && !negated && descriptive(i))) {
        a.cues.push_back(text + " (attributed)");
        break;
      }
      if (cue->kind == CueKind::kPositive && !negated && doubted(i) && !question) {
        add_score(i, -1, 1, "doubt: " + text);
        break;
      }
      if (cue->kind == CueKind::kPositive) {
        if (negated)
          add_score(i, -1, soft ? 1 : 2, "not " + text);
        else
          add_score(i, 1, 0, text);
      } else {
        if (negated)
          add_score(i, 1, 0, "not " + text);
        else
          add_score(i, -1, cue->strength, text);
      }
      break;
    }
  }
  if (names_prior_work) a.is_statement = true;
  if (question) {
    // A question asks; it does not conclude.
    a.score = 0;
    a.negative_strength = 0;
  }
  return a;
}

NoveltyStatement MakeStatement(std::string_view text, size_t start, std::string_view section,
                               const Analysis& a, int subsection) {
  NoveltyStatement st;
  st.text = std::string(text);
  st.start = start;
  st.end = start + text.size();
  st.section = std::string(section);
  st.cues = a.cues;
  double score = a.score;
  int strength = a.negative_strength;
  // "Weaknesses: ... Novelty: the method builds on X" takes its side from
  // where the reviewer put it, when the words themselves take none.
  if (score == 0 && a.has_novelty_noun && subsection != 0 && !text.empty() &&
      Trim(text).back() != '?') {
    score = subsection;
    strength = subsection < 0 ? 1 : 0;
    st.cues.push_back(subsection > 0 ? "(listed under strengths)" : "(listed under weaknesses)");
  }
  if (score > 0) {
    st.stance = Stance::kPositive;
  } else if (score < 0) {
    st.stance = Stance::kNegative;
    st.negative_strength = std::max(1, strength);
  }
  st.aspect = AspectOfText(text).value_or(Aspect::kMethod);
  return st;
}

}  // namespace

const char* StanceName(Stance s) {
  switch (s) {
    case Stance::kPositive: return "positive";
    case Stance::kNegative: return "negative";
    case Stance::kNeutral: return "neutral";
  }
  return "neutral";
}

const char* AspectName(Aspect a) {
  switch (a) {
    case Aspect::kMethod: return "method";
    case Aspect::kProblem: return "problem";
    case Aspect::kData: return "data";
    case Aspect::kResults: return "results";
    case Aspect::kTheory: return "theory";
    case Aspect::kApplication: return "application";
  }
  return "method";
}

const char* ReviewConclusionName(ReviewConclusion c) {
  switch (c) {
    case ReviewConclusion::kNovel: return "novel";
    case ReviewConclusion::kIncremental: return "incremental";
    case ReviewConclusion::kNotNovel: return "not_novel";
    case ReviewConclusion::kNoOpinion: return "no_opinion";
  }
  return "no_opinion";
}

bool ParseReviewConclusion(std::string_view name, ReviewConclusion* out) {
  for (auto c : {ReviewConclusion::kNovel, ReviewConclusion::kIncremental,
                 ReviewConclusion::kNotNovel, ReviewConclusion::kNoOpinion}) {
    if (name == ReviewConclusionName(c)) {
      *out = c;
      return true;
    }
  }
  return false;
}

const char* NamedWorkKindName(NamedWork::Kind k) {
  switch (k) {
    case NamedWork::Kind::kTitle: return "title";
    case NamedWork::Kind::kAuthorYear: return "author_year";
    case NamedWork::Kind::kAuthor: return "author";
    case NamedWork::Kind::kArxiv: return "arxiv";
    case NamedWork::Kind::kNumbered: return "numbered";
  }
  return "title";
}

std::vector<ReferenceEntry> ParseReferenceEntries(std::string_view text) {
  std::vector<ReferenceEntry> out;
  for (const Line& l : SplitLines(text)) {
    std::string_view t = Trim(text.substr(l.start, l.end - l.start));
    if (StartsWith(t, "- ") || StartsWith(t, "* ")) t = Trim(t.substr(2));
    ReferenceEntry e;
    if (!t.empty() && t[0] == '[') {
      size_t close = t.find(']');
      bool numeric = close != std::string_view::npos && close >= 2 && close <= 5;
      for (size_t i = 1; numeric && i < close; ++i) numeric = IsDigit(t[i]);
      if (numeric) {
        e.number = std::stoi(std::string(t.substr(1, close - 1)));
        t = Trim(t.substr(close + 1));
      }
    } else {
      size_t i = 0;
      while (i < t.size() && i < 4 && IsDigit(t[i])) ++i;
      if (i > 0 && i < t.size() && t[i] == '.' && i + 1 < t.size() && t[i + 1] == ' ') {
        e.number = std::stoi(std::string(t.substr(0, i)));
        t = Trim(t.substr(i + 1));
      }
    }
    if (t.size() < 20) continue;
    e.text = std::string(t);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ReferenceEntry> ReferencesFromFulltext(std::string_view fulltext) {
  std::vector<Line> lines = SplitLines(fulltext);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = Trim(fulltext.substr(lines[i].start, lines[i].end - lines[i].start));
    if (t.empty() || t[0] != '#') continue;
    size_t level = 0;
    while (level < t.size() && t[level] == '#') ++level;
    std::string name = ToLowerAscii(Trim(t.substr(level)));
    while (!name.empty() && (name.back() == ':' || name.back() == '.')) name.pop_back();
    if (name != "references" && name != "bibliography" && name != "reference") continue;
    size_t begin = lines[i].end;
    size_t end = fulltext.size();
    for (size_t k = i + 1; k < lines.size(); ++k) {
      std::string_view u = Trim(fulltext.substr(lines[k].start, lines[k].end - lines[k].start));
      size_t lv = 0;
      while (lv < u.size() && u[lv] == '#') ++lv;
      if (lv > 0 && lv <= level && lv < u.size() && u[lv] == ' ') {
        end = lines[k].start;
        break;
      }
    }
    return ParseReferenceEntries(fulltext.substr(begin, end - begin));
  }
  return {};
}

std::optional<Aspect> AspectOfText(std::string_view text) {
  std::vector<std::string> toks = WordTokens(text);
  int best = 0;
  std::optional<Aspect> best_aspect;
  // Ties go to the aspect listed first in AspectKeywords (the more specific).
  for (const auto& [aspect, words] : AspectKeywords()) {
    int hits = 0;
    for (const auto& t : toks)
      for (const char* w : words)
        if (t == w) ++hits;
    if (hits > best) {
      best = hits;
      best_aspect = aspect;
    }
  }
  return best_aspect;
}

std::optional<NoveltyStatement> AnalyzeSentence(std::string_view sentence, std::string_view section) {
  std::vector<Found> found = FindNamedWorks(sentence);
  bool names = false;
  for (const auto& f : found)
    if (f.work.kind != NamedWork::Kind::kTitle || f.title_case) names = true;
  Analysis a = AnalyzeTokens(sentence, section, names);
  if (!a.is_statement) return std::nullopt;
  NoveltyStatement st = MakeStatement(sentence, 0, section, a, 0);
  for (auto& f : found)
    if (f.work.kind != NamedWork::Kind::kTitle || f.title_case) st.named_works.push_back(f.work);
  return st;
}

ReviewConclusion ConclusionFromStatements(const std::vector<NoveltyStatement>& statements) {
  int pos = 0, neg_incremental = 0, neg_strong = 0;
  for (const auto& s : statements) {
    if (s.stance == Stance::kPositive) ++pos;
    if (s.stance == Stance::kNegative) {
      if (s.negative_strength >= 2)
        ++neg_strong;
      else
        ++neg_incremental;
    }
  }
  int neg = neg_incremental + neg_strong;
  if (pos == 0 && neg == 0) return ReviewConclusion::kNoOpinion;
  if (pos > neg) return ReviewConclusion::kNovel;
  if (pos == 0 && neg_strong > 0 && neg_strong >= neg_incremental) return ReviewConclusion::kNotNovel;
  return ReviewConclusion::kIncremental;
}

ReviewConclusion ConclusionFromScore(int originality) {
  switch (originality) {
    case 4:
    case 3: return ReviewConclusion::kNovel;
    case 2: return ReviewConclusion::kIncremental;
    case 1: return ReviewConclusion::kNotNovel;
    default: return ReviewConclusion::kNoOpinion;
  }
}

ReviewConclusion CombineConclusion(ReviewConclusion text, int originality, bool text_has_positive) {
  switch (originality) {
    case 4: return ReviewConclusion::kNovel;
    case 3:
      if (!text_has_positive &&
          (text == ReviewConclusion::kIncremental || text == ReviewConclusion::kNotNovel))
        return ReviewConclusion::kIncremental;
      return ReviewConclusion::kNovel;
    case 2:
      if (!text_has_positive && text == ReviewConclusion::kNotNovel) return ReviewConclusion::kNotNovel;
      return ReviewConclusion::kIncremental;
    case 1: return ReviewConclusion::kNotNovel;
    default: return text;
  }
}

ReviewReading ReadReview(std::string_view review_text, int originality, const PaperContext& paper,
                         const ReviewReaderOptions& options) {
  ReviewReading r;
  r.originality = (originality >= 1 && originality <= 4) ? originality : 0;

  // Pass 1: sections, subsections and the review's own references list.
  std::vector<Line> lines = SplitLines(review_text);
  std::vector<ReferenceEntry> own_refs;
  // For each region of text to analyse: [start, end), section, subsection.
  struct Region {
    size_t start, end;
    std::string section;
    int subsection;
  };
  std::vector<Region> regions;
  std::string section = "other";
  int subsection = 0;
  for (const Line& l : lines) {
    std::string_view line = review_text.substr(l.start, l.end - l.start);
    std::string header = SectionHeader(line);
    if (!header.empty()) {
      section = header;
      subsection = 0;
      continue;
    }
    ReferenceEntry entry;
    if (ReferenceListLine(line, &entry)) {
      own_refs.push_back(std::move(entry));
      continue;
    }
    if (int marker = SubsectionMarker(line)) subsection = marker;
    if (Trim(line).empty()) continue;
    if (!regions.empty() && regions.back().section == section &&
        regions.back().subsection == subsection && regions.back().end + 1 == l.start) {
      regions.back().end = l.end;  // same paragraph block
    } else {
      regions.push_back({l.start, l.end, section, subsection});
    }
  }

  // Pass 2: sentences of each region.
  std::set<std::string> seen_ids;
  std::set<Aspect> seen_aspects;
  bool text_has_positive = false;
  for (const Region& region : regions) {
    std::string_view block = review_text.substr(region.start, region.end - region.start);
    for (const SentenceSpan& span : SplitSentences(block)) {
      if (span.end <= span.start || span.end > block.size()) continue;
      std::string_view sentence = block.substr(span.start, span.end - span.start);
      std::vector<Found> found = FindNamedWorks(sentence);
      std::vector<NamedWork> works;
      for (auto& f : found) {
        NamedWork w = f.work;
        if (Resolve(&w, f.title_case, own_refs, paper, options.resolver)) works.push_back(std::move(w));
      }
      Analysis a = AnalyzeTokens(sentence, region.section, !works.empty());
      if (!a.is_statement) continue;
      NoveltyStatement st =
          MakeStatement(sentence, region.start + span.start, region.section, a, region.subsection);
      st.named_works = std::move(works);
      if (st.stance == Stance::kPositive) text_has_positive = true;
      for (const auto& w : st.named_works)
        if (!w.corpus_id.empty() && seen_ids.insert(w.corpus_id).second)
          r.resolved_prior_ids.push_back(w.corpus_id);
      if (st.stance != Stance::kNeutral || !st.named_works.empty()) {
        if (seen_aspects.insert(st.aspect).second) r.aspects.push_back(st.aspect);
      }
      r.statements.push_back(std::move(st));
    }
  }
  r.text_conclusion = ConclusionFromStatements(r.statements);
  r.score_conclusion = ConclusionFromScore(r.originality);
  r.conclusion = CombineConclusion(r.text_conclusion, r.originality, text_has_positive);
  return r;
}

Json ToJson(const NamedWork& w) {
  Json j = {{"kind", NamedWorkKindName(w.kind)}, {"text", w.text}};
  if (!w.surname.empty()) j["surname"] = w.surname;
  if (w.year) j["year"] = w.year;
  if (!w.title.empty()) j["title"] = w.title;
  if (!w.arxiv_id.empty()) j["arxiv_id"] = w.arxiv_id;
  if (w.number) j["number"] = w.number;
  if (!w.reference.empty()) j["reference"] = w.reference;
  j["corpus_id"] = w.corpus_id.empty() ? Json(nullptr) : Json(w.corpus_id);
  return j;
}

Json ToJson(const NoveltyStatement& s) {
  Json works = Json::array();
  for (const auto& w : s.named_works) works.push_back(ToJson(w));
  return {{"text", s.text},           {"start", s.start},
          {"end", s.end},             {"section", s.section},
          {"stance", StanceName(s.stance)},
          {"negative_strength", s.negative_strength},
          {"aspect", AspectName(s.aspect)},
          {"cues", s.cues},           {"named_works", works}};
}

Json ToJson(const ReviewReading& r) {
  Json statements = Json::array();
  for (const auto& s : r.statements) statements.push_back(ToJson(s));
  Json aspects = Json::array();
  for (Aspect a : r.aspects) aspects.push_back(AspectName(a));
  return {{"originality", r.originality == 0 ? Json(nullptr) : Json(r.originality)},
          {"text_conclusion", ReviewConclusionName(r.text_conclusion)},
          {"score_conclusion", ReviewConclusionName(r.score_conclusion)},
          {"conclusion", ReviewConclusionName(r.conclusion)},
          {"resolved_prior_ids", r.resolved_prior_ids},
          {"aspects", aspects},
          {"statements", statements}};
}

}  // namespace novelta::alignment
