#include "pipeline/extract/claim_filter.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>

#include "base/text.h"

namespace novelta {
namespace {

using Tokens = std::vector<std::string>;

bool Has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

bool HasAny(std::string_view text, std::initializer_list<std::string_view> parts) {
  for (auto p : parts)
    if (Has(text, p)) return true;
  return false;
}

bool IsOneOf(const std::string& w, std::initializer_list<std::string_view> words) {
  for (auto x : words)
    if (w == x) return true;
  return false;
}

bool HasWord(const Tokens& t, std::initializer_list<std::string_view> words) {
  for (const auto& w : t)
    if (IsOneOf(w, words)) return true;
  return false;
}

// The sentence speaks of the paper's own work.
bool OwnWork(const Tokens& t, std::string_view lower) {
  return HasWord(t, {"we", "our", "us", "ours"}) ||
         HasAny(lower, {"this paper", "this work", "this study", "the proposed", "here,"});
}

// The sentence states something the paper itself does or finds.
bool StatesContribution(const Tokens& t) {
  return HasWord(t, {"propose", "proposes", "introduce", "introduces", "develop", "develops", "present",
                     "presents", "prove", "proves", "design", "designs", "establish", "establishes",
                     "derive", "derives", "construct", "constructs", "build", "builds", "provide", "provides"});
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// A reported result: a comparison, a gain, a number with a unit of improvement.
bool ReportsResult(const Tokens& t, std::string_view lower) {
  return HasWord(t, {"outperform", "outperforms", "outperforming", "surpass", "surpasses", "improve",
                     "improves", "improving", "achieve", "achieves", "achieving", "reduce", "reduces",
                     "increase", "increases", "speedup", "faster", "better"}) ||
         Has(lower, "%");
}

bool IsAvailability(const Tokens& t, std::string_view lower) {
  if (HasAny(lower, {"http://", "https://", "www.", "github.com", "github.io", "\\url", "huggingface.co"}))
    return true;
  const bool artifact = HasWord(t, {"code", "codes", "implementation", "implementations", "weights",
                                    "checkpoints", "demos", "demo", "videos", "website", "page", "project"}) ||
                        HasAny(lower, {"source code", "our models", "pretrained models", "trained models"});
  const bool offered = HasWord(t, {"available", "release", "released", "releasing", "opensource",
                                   "open", "publicly", "reproducible", "reproducibility", "provided",
                                   "supplementary", "supplemental", "accessible"});
  // A dataset or benchmark the paper builds is a contribution even when released.
  const bool builds = HasWord(t, {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "suite",
                                  "testbed", "leaderboard", "toolkit", "library"});
  return artifact && offered && !builds;
}

bool IsListLeadIn(const Tokens& t, std::string_view lower, std::string_view trimmed) {
  if (t.size() > 22) return false;
  // "Our contributions are: (1) We propose ..." holds its first item: a claim.
  const size_t colon = trimmed.find(':');
  if (colon != std::string_view::npos && WordTokens(trimmed.substr(colon + 1)).size() >= 6) return false;
  // A short sentence that opens a list ("Accordingly, we frame our solution as follows:").
  if (!trimmed.empty() && trimmed.back() == ':' && t.size() <= 15) return true;
  const bool about_contributions = HasWord(t, {"contribution", "contributions", "contribute"});
  const bool introduces_list =
      HasAny(lower, {"as follows", "summarized", "summarised", "summarize", "summarise", "threefold",
                     "twofold", "fourfold", "three-fold", "two-fold", "the following", "listed below",
                     "are:", "below"}) ||
      (!trimmed.empty() && (trimmed.back() == ':' || trimmed.back() == ','));
  // "Our technique makes two contributions."
  const bool counts_them = HasWord(t, {"two", "three", "four", "several", "multiple"}) && t.size() <= 14;
  return about_contributions && (introduces_list || counts_them);
}

// Strips what PDF conversion leaves at the end of a line: a line number.
std::string_view WithoutTrailingNumber(std::string_view s, bool* stripped) {
  *stripped = false;
  s = Trim(s);
  size_t end = s.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(s[end - 1]))) --end;
  if (end < s.size() && end > 0 && s[end - 1] == ' ') {
    *stripped = true;
    return Trim(s.substr(0, end));
  }
  return s;
}

bool IsFragment(const Tokens& t, std::string_view trimmed) {
  if (t.size() < 5) return true;
  // A footnote ("2 We note that ..."): a bare number, then a sentence.
  if (std::isdigit(static_cast<unsigned char>(trimmed[0])) && t[0].size() <= 2 &&
      std::all_of(t[0].begin(), t[0].end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
      trimmed.size() > t[0].size() + 1 && trimmed[t[0].size()] == ' ' &&
      std::isupper(static_cast<unsigned char>(trimmed[t[0].size() + 1])))
    return true;
  bool line_number = false;
  std::string_view s = WithoutTrailingNumber(trimmed, &line_number);
  if (line_number) return true;  // a sentence broken across a page or line numbering
  if (s.empty()) return true;
  const unsigned char first = static_cast<unsigned char>(s[0]);
  // The rest of a sentence whose start was lost; "we propose ..." after a
  // lost "In this paper," still says what the paper does.
  if (std::islower(first) && t[0] != "we") return true;
  const char last = s.back();
  if (last == ',' || last == '-') return true;
  if (std::string_view(".!?;:)]}\"'$").find(last) != std::string_view::npos) return false;
  if (static_cast<unsigned char>(last) >= 0x80) return false;  // closing quotes, math symbols
  // No closing punctuation: a list item ("- A new benchmark for X") is whole;
  // a sentence that stops at a function word is not.
  return IsOneOf(t.back(), {"a", "an", "the", "and", "or", "of", "to", "for", "with", "that", "which",
                            "in", "on", "by", "we", "our", "is", "are", "as", "from", "at", "its",
                            "their", "this", "these", "significantly", "while", "where"});
}

bool IsQuestion(std::string_view trimmed) { return !trimmed.empty() && trimmed.back() == '?'; }

// "Figure 1: ...", "Table 2. ...": a label, a number, then ':' or '.'.
bool IsCaption(const Tokens& t, std::string_view trimmed) {
  if (t.size() < 2 || !IsOneOf(t[0], {"figure", "fig", "table", "algorithm", "listing"}) ||
      !std::isdigit(static_cast<unsigned char>(t[1][0])))
    return false;
  size_t at = trimmed.find(t[1]);
  if (t[0] == "fig") at = trimmed.find(t[1], trimmed.find('.') + 1);
  if (at == std::string_view::npos) return false;
  size_t after = at + t[1].size();
  return after < trimmed.size() && (trimmed[after] == ':' || trimmed[after] == '.' || trimmed[after] == '|');
}

bool IsPointer(const Tokens& t, std::string_view lower) {
  if (HasAny(lower, {"in the remainder of", "the rest of the paper", "the rest of this paper",
                     "is organized as follows", "is organised as follows", "paper is structured"}))
    return true;
  // "We provide an affirmative answer ..." provides nothing but a pointer.
  if (StatesContribution(t) && !HasWord(t, {"provide", "provides"})) return false;
  if (HasAny(lower, {"affirmative answer", "answer these questions", "answer the above",
                     "answer this question", "answers to these questions"}))
    return true;
  bool refers = false;
  for (size_t i = 0; i + 1 < t.size(); ++i)
    if (IsOneOf(t[i], {"section", "sections", "sec", "appendix", "appendices", "table", "tables", "tab",
                       "figure", "figures", "fig", "algorithm", "eq", "equation", "supplementary"}) &&
        (std::isdigit(static_cast<unsigned char>(t[i + 1][0])) || t[i + 1].size() == 1))
      refers = true;
  if (!refers) return false;
  const bool points = HasAny(lower, {"can be found", "is given in", "are given in", "provided in",
                                     "detailed in", "deferred to", "presented in", "shown in",
                                     "reported in", "summarized in", "summarised in", "listed in",
                                     "illustrated in", "described in", "discussed in", "refer to",
                                     "we compare", "is compared", "are compared", "we discuss"});
  return points && !ReportsResult(t, lower);
}

bool IsGenericResult(const Tokens& t, std::string_view lower) {
  const bool vague = HasWord(t, {"effectiveness", "superiority", "efficacy", "validity", "advantages",
                                 "advantage", "merits", "effective", "superior", "feasibility"});
  const bool evidence = HasWord(t, {"experiments", "experiment", "results", "evaluations", "evaluation",
                                    "studies", "analyses"});
  const bool shows = HasWord(t, {"demonstrate", "demonstrates", "show", "shows", "validate", "validates",
                                 "verify", "verifies", "confirm", "confirms", "illustrate", "prove"});
  const bool specific = HasDigit(lower) ||
                        HasAny(lower, {"outperform", "surpass", "state-of-the-art", "state of the art", " by "});
  // "... demonstrate the effectiveness of our method": its object is the
  // vagueness itself, whatever the sentence's length.
  if (!specific && t.size() <= 20 && !HasAny(lower, {"including", "include", "such as"}) &&
      HasAny(lower, {"the effectiveness of", "the superiority of", "the efficacy of", "the validity of",
                     "the feasibility of"}) && shows)
    return true;
  // "We propose a new method to address these challenges": no method named.
  if (HasAny(lower, {"to address these challenges", "to address these issues", "to address these limitations",
                     "to address this challenge", "to tackle these challenges"}) &&
      HasAny(lower, {"a new method", "a novel method", "a new approach", "a novel approach", "a new framework",
                     "a novel framework"}) && t.size() <= 16)
    return true;
  // A short sentence: one with specifics (what it excels at, against what) is a result.
  return vague && evidence && shows && t.size() <= 16 && !specific;
}

bool IsBackground(const Tokens& t, std::string_view lower) {
  if (t.empty()) return false;
  // What others did, even when it names this work: "the most relevant works
  // to our own are ...", "prior to our work, the best bounds were ...".
  if (HasAny(lower, {"most relevant works", "most related works", "closest to our work", "closest to ours",
                     "prior to our work", "prior to this work", "before our work"}))
    return true;
  if (StartsWith(lower, "suppose ") || StartsWith(lower, "now, suppose") || StartsWith(lower, "consider a "))
    return true;
  // An example, unless it reports a result ("For example, on LLaMA-3 it leads by 0.4 points").
  if ((StartsWith(lower, "for example,") || StartsWith(lower, "for instance,")) && !ReportsResult(t, lower) &&
      !HasDigit(lower))
    return true;
  if (OwnWork(t, lower)) return false;
  if (IsOneOf(t[0], {"however", "recently", "existing", "current", "conventional", "traditional", "prior",
                     "previous", "unfortunately", "nevertheless", "fortunately"}))
    return true;
  // "Although / While / Despite ..." opens background when it speaks of others' work.
  if (IsOneOf(t[0], {"although", "while", "despite", "most", "many", "typically", "generally"}) &&
      HasWord(t, {"existing", "current", "prior", "previous", "conventional", "traditional", "recent",
                  "methods", "approaches", "models", "works", "studies", "techniques"}))
    return true;
  return t.size() > 1 && t[0] == "recent" &&
         IsOneOf(t[1], {"work", "works", "advances", "studies", "methods", "approaches", "research", "years"});
}

bool IsNotation(const Tokens& t, std::string_view lower) {
  if (StartsWith(lower, "we use ") && Has(lower, " to denote")) return true;
  const bool math = Has(lower, "$") || Has(lower, "\\(");
  if (!math) return false;
  if (StartsWith(lower, "here,") || StartsWith(lower, "here ") || StartsWith(lower, "where ") ||
      StartsWith(lower, "let ") || StartsWith(lower, "denote") || StartsWith(lower, "we denote") ||
      StartsWith(lower, "we use $"))
    return true;
  // "$x$ denotes ...", "$n$ and $m$ denote ...": a definition from its first words.
  const size_t denote = lower.find(" denote");
  return denote != std::string::npos && WordTokens(lower.substr(0, denote)).size() <= 6;
}

bool IsMotivation(const Tokens& t, std::string_view lower) {
  if (HasAny(lower, {"our goal is", "the goal is to", "we aim to", "we seek ", "we therefore seek", "ideally, we",
                     "we wish to", "we argue that", "the central insight motivating", "we first motivate",
                     "primary focus of our work", "the focus of our work", "in this work, we focus on",
                     "in this paper, we focus on", "focuses on designing"}))
    return true;
  return false;
}

// "Our proof leverages the approach of [2]", "This paper adopts the standard
// convention ...": what the paper takes, not what it contributes.
bool IsReuse(const Tokens& t, std::string_view lower) {
  const bool cites = HasAny(lower, {"et al", "[", "(19", "(20"}) || HasDigit(lower);
  const bool takes = HasAny(lower, {"leverages the approach of", "leverage the approach of", "follows the approach of",
                                    "we follow ", "we adopt ", "adopts the standard", "we borrow", "borrowed from",
                                    "building on the work of"});
  return takes && (cites || Has(lower, "standard"));
}

bool IsOutlook(const Tokens& t, std::string_view lower) {
  const bool outlook = HasAny(lower, {"we hope", "hope that", "hope this", "shed light", "sheds light",
                                      "pave the way", "paves the way", "potential to", "could potentially",
                                      "may inspire", "will inspire", "to foster", "future work",
                                      "future research", "we believe", "promising direction",
                                      "open the door", "opens the door", "revolutionize", "potential impact",
                                      "new possibilities", "lays the groundwork", "lay the groundwork",
                                      "paving the way", "lays the foundation", "lay the foundation",
                                      "step toward", "step towards", "new perspective", "new avenue",
                                      "research avenue", "open avenues", "opens avenues", "broader implications",
                                      "contribute to understanding", "contributes to understanding",
                                      "impact of this finding"});
  // "These results establish / position / underscore ...": what it all means, not what was done.
  const bool summary = t.size() > 2 && IsOneOf(t[0], {"these", "this", "our", "together"}) &&
                       HasWord(t, {"results", "findings", "work", "analysis", "study", "paper"}) &&
                       HasWord(t, {"establish", "establishes", "underscore", "underscores"});
  // "This highlights / underscores / makes ...": a comment on what came before.
  const bool comment = t.size() > 1 && IsOneOf(t[0], {"this", "these"}) &&
                       HasWord(t, {"highlights", "underscores", "showcases", "opens", "lays", "paves",
                                   "makes", "make"}) && !HasDigit(lower);
  if (summary) return true;
  if (!outlook && !comment) return false;
  return !StatesContribution(t) && !HasWord(t, {"outperform", "outperforms", "achieve", "achieves"});
}

std::set<std::string> ContentWords(std::string_view s) {
  std::vector<std::string> stems = ContentStems(s);
  return std::set<std::string>(std::make_move_iterator(stems.begin()), std::make_move_iterator(stems.end()));
}

// The name a claim gives what it proposes: "we propose LoPE, ...", "we
// present a framework, VQToken, ...", "... (MSCA)"; "" when it names none.
std::string ProposedName(std::string_view sentence) {
  bool after_verb = false;
  for (const TokenSpan& t : NameTokens(sentence)) {
    const std::string& w = t.token;
    const std::string lw = ToLowerAscii(w);
    if (IsOneOf(lw, {"propose", "proposes", "introduce", "introduces", "present", "presents", "develop",
                     "develops", "call", "called", "dub", "dubbed", "coined", "named", "termed"}))
      after_verb = true;
    const bool letters = std::any_of(w.begin(), w.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    if (after_verb && w.size() >= 3 && letters && LooksCoined(w)) return std::string(w);
  }
  return "";
}

}  // namespace

const char* NonClaimReasonName(NonClaimReason reason) {
  switch (reason) {
    case NonClaimReason::kNone: return "";
    case NonClaimReason::kAvailability: return "availability";
    case NonClaimReason::kListLeadIn: return "list_lead_in";
    case NonClaimReason::kFragment: return "fragment";
    case NonClaimReason::kQuestion: return "question";
    case NonClaimReason::kPointer: return "pointer";
    case NonClaimReason::kCaption: return "caption";
    case NonClaimReason::kGenericResult: return "generic_result";
    case NonClaimReason::kBackground: return "background";
    case NonClaimReason::kNotation: return "notation";
    case NonClaimReason::kOutlook: return "outlook";
    case NonClaimReason::kMotivation: return "motivation";
    case NonClaimReason::kReuse: return "reuse";
  }
  return "";
}

NonClaimReason WhyNotAClaim(std::string_view sentence) {
  const std::string_view trimmed = Trim(sentence);
  const std::string lower = ToLowerAscii(trimmed);
  const Tokens t = WordTokens(trimmed);
  if (IsAvailability(t, lower)) return NonClaimReason::kAvailability;
  if (IsListLeadIn(t, lower, trimmed)) return NonClaimReason::kListLeadIn;
  if (IsCaption(t, trimmed)) return NonClaimReason::kCaption;
  if (IsQuestion(trimmed)) return NonClaimReason::kQuestion;
  if (IsFragment(t, trimmed)) return NonClaimReason::kFragment;
  if (IsPointer(t, lower)) return NonClaimReason::kPointer;
  if (IsNotation(t, lower)) return NonClaimReason::kNotation;
  if (IsGenericResult(t, lower)) return NonClaimReason::kGenericResult;
  if (IsOutlook(t, lower)) return NonClaimReason::kOutlook;
  if (IsMotivation(t, lower)) return NonClaimReason::kMotivation;
  if (IsReuse(t, lower)) return NonClaimReason::kReuse;
  if (IsBackground(t, lower)) return NonClaimReason::kBackground;
  return NonClaimReason::kNone;
}

namespace {

// Content words two texts share, and how many each has.
struct Shared {
  size_t shared = 0, a = 0, b = 0;
};
Shared SharedWords(std::string_view a, std::string_view b) {
  const auto wa = ContentWords(a), wb = ContentWords(b);
  Shared s{0, wa.size(), wb.size()};
  for (const auto& w : wa) s.shared += wb.count(w);
  return s;
}

}  // namespace

double ClaimOverlap(std::string_view a, std::string_view b) {
  const Shared s = SharedWords(a, b);
  return s.a == 0 || s.b == 0 ? 0.0 : static_cast<double>(s.shared) / std::min(s.a, s.b);
}

// Whether claims `a` and `b` state one contribution.
bool Restates(const Claim& a, const Claim& b, const MergeOptions& options) {
  const std::string name = ProposedName(a.text);
  if (!name.empty() && name == ProposedName(b.text)) return true;
  const Shared s = SharedWords(a.text, b.text);
  if (s.a == 0 || s.b == 0) return false;
  if (a.type == b.type) return static_cast<double>(s.shared) / std::min(s.a, s.b) >= options.same_type_overlap;
  return static_cast<double>(s.shared) / (s.a + s.b - s.shared) >= options.any_type_jaccard;
}

std::vector<Claim> MergeRestatements(std::vector<Claim> claims, const MergeOptions& options) {
  const size_t n = claims.size();
  // Group each claim with the first earlier claim it restates (union by
  // the earliest representative).
  std::vector<size_t> group(n);
  for (size_t i = 0; i < n; ++i) {
    group[i] = i;
    for (size_t j = 0; j < i; ++j) {
      if (group[j] != j) continue;
      if (Restates(claims[i], claims[j], options)) {
        group[i] = j;
        break;
      }
    }
  }
  std::vector<Claim> out;
  for (size_t g = 0; g < n; ++g) {
    if (group[g] != g) continue;
    size_t best = g;
    for (size_t i = g; i < n; ++i)
      if (group[i] == g && claims[i].score > claims[best].score) best = i;
    Claim merged = claims[best];
    for (size_t i = g; i < n; ++i) {
      if (group[i] != g || i == best) continue;
      merged.also_at.push_back(claims[i].span);
      for (const auto& s : claims[i].also_at) merged.also_at.push_back(s);
    }
    out.push_back(std::move(merged));
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].id = "c" + std::to_string(i + 1);
  return out;
}

}  // namespace novelta
