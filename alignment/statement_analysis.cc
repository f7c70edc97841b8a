// Sentence analysis of the review reader; see statement_analysis.h.
#include "alignment/statement_analysis.h"

#include <algorithm>
#include <optional>

#include "alignment/named_works.h"
#include "alignment/novelty_cues.h"
#include "base/text.h"

namespace novelta::alignment {
namespace review_internal {
namespace {

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

// One sentence under analysis: its tokens and what the cue rules ask of them.
// AnalyzeTokens runs its phases in order: contrast roles, whether prior work
// is mentioned, the summary's descriptive verb, then each cue in turn.
class SentenceAnalyzer {
 public:
  SentenceAnalyzer(std::string_view s, std::string_view section, bool names_prior_work)
      : s_(s), toks_(WordTokenSpans(s)), question_(!Trim(s).empty() && Trim(s).back() == '?') {
    role_ = ContrastRoles();
    mentions_prior_ = names_prior_work || MentionsPriorWork();
    first_descriptive_verb_ = FirstDescriptiveVerb(section);
  }

  // Matches the cues token by token; the first cue that applies at a token
  // (longest first) takes it and the tokens it spans.
  Analysis ScoreCues() {
    std::vector<bool> used(toks_.size(), false);
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (used[i]) continue;
      auto it = CuesByFirstWord().find(toks_[i].token);
      if (it == CuesByFirstWord().end()) continue;
      for (const Cue* cue : it->second) {
        if (!CueApplies(*cue, i)) continue;
        for (size_t k = 0; k < cue->words.size(); ++k) used[i + k] = true;
        const std::string text = CueText(*cue);
        a_.is_statement = true;
        if (cue->kind == CueKind::kTopic) {
          a_.cues.push_back(text);
        } else if (cue->kind == CueKind::kNoveltyNoun) {
          ScoreNoveltyNoun(i, text);
        } else {
          ScoreSidedCue(*cue, i, text);
        }
        break;
      }
    }
    return std::move(a_);
  }

  bool empty() const { return toks_.empty(); }
  bool question() const { return question_; }

 private:
  // The contrast role of each token: after "but", in a concessive clause
  // ("although ..."), after one, or plain.
  std::vector<ContrastRole> ContrastRoles() const {
    std::vector<ContrastRole> role(toks_.size(), ContrastRole::kPlain);
    ContrastRole current = ContrastRole::kPlain;
    for (size_t i = 0; i < toks_.size(); ++i) {
      const std::string& t = toks_[i].token;
      if (i > 0 && current == ContrastRole::kConcessive && ClauseBreakBetween(s_, toks_[i - 1], toks_[i]))
        current = ContrastRole::kAfterConcessive;
      if (t == "but" || t == "however" || t == "yet" || t == "nevertheless" || t == "nonetheless" ||
          t == "unfortunately") {
        current = ContrastRole::kAfterBut;
      } else if (t == "although" || t == "though" || t == "despite" || t == "whereas" ||
                 (t == "while" && (i == 0 || ClauseBreakBetween(s_, toks_[i - 1], toks_[i])))) {
        current = ContrastRole::kConcessive;
      }
      role[i] = current;
    }
    return role;
  }

  // Whether a topic cue ("prior work", "the literature") occurs.
  bool MentionsPriorWork() const {
    for (size_t i = 0; i < toks_.size(); ++i) {
      auto it = CuesByFirstWord().find(toks_[i].token);
      if (it == CuesByFirstWord().end()) continue;
      for (const Cue* cue : it->second)
        if (cue->kind == CueKind::kTopic && MatchAt(toks_, i, cue->words)) return true;
    }
    return false;
  }

  // In the summary, "introduces X, a novel framework" describes the paper's
  // own claim; elsewhere "proposes a novel method" is the reviewer's view.
  // The position of the summary's first descriptive verb; past the end elsewhere.
  size_t FirstDescriptiveVerb(std::string_view section) const {
    if (section == "summary")
      for (size_t j = 0; j < toks_.size(); ++j)
        if (IsDescriptiveVerb(toks_[j].token)) return j;
    return toks_.size();
  }

  // The checks a matched cue must pass to count at token i.
  bool CueApplies(const Cue& cue, size_t i) const {
    if (!MatchAt(toks_, i, cue.words)) return false;
    if (cue.needs_prior_reference && !mentions_prior_) return false;
    // "first" needs "the"/"is" before it: "First, the authors ..." is an enumeration.
    if (cue.words[0] == "first" && (i == 0 || (toks_[i - 1].token != "the" &&
                                                toks_[i - 1].token != "is" &&
                                                toks_[i - 1].token != "are")))
      return false;
    // "novel view synthesis", "novel classes": unseen things, not novelty.
    if (cue.words.size() == 1 && cue.words[0] == "novel" && i + 1 < toks_.size() &&
        IsUnseenNoun(toks_[i + 1].token))
      return false;
    // "original" is about originality when predicated or graded ("is
    // original", "highly original") or said of an idea; "the original
    // paper / version / numbering" is something else.
    if (cue.words.size() == 1 && cue.words[0] == "original" &&
        !(i > 0 && IsOriginalityLead(toks_[i - 1].token)) &&
        !(i + 1 < toks_.size() && IsOriginalityHead(toks_[i + 1].token)))
      return false;
    return true;
  }

  // A novelty noun at token i takes its side from a modifier up to 3 tokens
  // before ("limited novelty") or 8 after ("the novelty of the proposed
  // method is somewhat limited"), within the clause.
  void ScoreNoveltyNoun(size_t i, const std::string& text) {
    // "Contribution" is often about significance; only the novelty words
    // proper take a side from the strengths / weaknesses list they sit in.
    if (text != "contribution" && text != "contributions" && text != "innovation" &&
        text != "innovations")
      a_.has_novelty_noun = true;
    a_.cues.push_back(text);
    bool found_modifier = false;
    for (size_t back = 1; back <= 3 && back <= i && !found_modifier; ++back) {
      size_t j = i - back;
      if (ClauseBreakBetween(s_, toks_[j], toks_[j + 1])) break;
      int strength = 1;
      int pol = ModifierPolarity(toks_[j].token, &strength);
      if (!pol) continue;
      // "not significant novelty" denies praise: incrementality, strength 1.
      bool soft;
      if (Negated(s_, toks_, j, &soft)) {
        pol = -pol;
        strength = 1;
      }
      found_modifier = true;
      if (!Attributed(j, 6)) AddScore(j, pol, strength, toks_[j].token + " " + text);
    }
    for (size_t fwd = 1; fwd <= 8 && i + fwd < toks_.size() && !found_modifier; ++fwd) {
      size_t j = i + fwd;
      if (ClauseBreakBetween(s_, toks_[j - 1], toks_[j])) break;
      int strength = 1;
      int pol = ModifierPolarity(toks_[j].token, &strength);
      if (!pol) continue;
      bool soft;
      if (Negated(s_, toks_, j, &soft)) pol = -pol;
      if (pol < 0 && strength == 2 && toks_[j].token == "no") continue;
      found_modifier = true;
      if (!Attributed(i, 6)) AddScore(j, pol, strength, text + " ... " + toks_[j].token);
    }
  }

  // A positive or negative cue at token i: attributed to the authors, doubted,
  // negated (softly or not) or taken as said.
  void ScoreSidedCue(const Cue& cue, size_t i, const std::string& text) {
    bool soft = false;
    bool negated = Negated(s_, toks_, i, &soft);
    if (Attributed(i, 6) || (cue.kind == CueKind::kPositive && !negated && Descriptive(i))) {
      a_.cues.push_back(text + " (attributed)");
      return;
    }
    if (cue.kind == CueKind::kPositive && !negated && Doubted(i) && !question_) {
      AddScore(i, -1, 1, "doubt: " + text);
      return;
    }
    if (cue.kind == CueKind::kPositive) {
      if (negated)
        AddScore(i, -1, soft ? 1 : 2, "not " + text);
      else
        AddScore(i, 1, 0, text);
    } else {
      if (negated)
        AddScore(i, 1, 0, "not " + text);
      else
        AddScore(i, -1, cue.strength, text);
    }
  }

  void AddScore(size_t i, double polarity, int strength, const std::string& cue_text) {
    double w = RoleWeight(role_[i]);
    a_.score += polarity * w;
    if (polarity < 0) a_.negative_strength = std::max(a_.negative_strength, strength);
    a_.cues.push_back(cue_text);
  }

  // An attribution verb within `window` tokens before token i.
  bool Attributed(size_t i, size_t window) const {
    for (size_t back = 1; back <= window && back <= i; ++back)
      if (IsAttribution(toks_[i - back].token)) return true;
    return false;
  }

  bool Descriptive(size_t i) const { return first_descriptive_verb_ < i; }

  // "It is hard to say whether it is truly novel": doubt, not praise.
  bool Doubted(size_t i) const {
    for (size_t back = 1; back <= 5 && back <= i; ++back) {
      const std::string& t = toks_[i - back].token;
      if (t == "whether" || t == "if" || t == "wonder" || t == "doubt" || t == "unsure" ||
          t == "unclear" || t == "questionable")
        return true;
    }
    return false;
  }

  std::string_view s_;
  std::vector<TokenSpan> toks_;
  bool question_;
  std::vector<ContrastRole> role_;
  bool mentions_prior_ = false;
  size_t first_descriptive_verb_ = 0;
  Analysis a_;
};

}  // namespace

Analysis AnalyzeTokens(std::string_view s, std::string_view section, bool names_prior_work) {
  SentenceAnalyzer analyzer(s, section, names_prior_work);
  if (analyzer.empty()) return Analysis();
  Analysis a = analyzer.ScoreCues();
  if (names_prior_work) a.is_statement = true;
  if (analyzer.question()) {
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

}  // namespace review_internal

std::optional<Aspect> AspectOfText(std::string_view text) {
  std::vector<std::string> toks = WordTokens(text);
  int best = 0;
  std::optional<Aspect> best_aspect;
  // Ties go to the aspect listed first in AspectKeywords (the more specific).
  for (const auto& [aspect, words] : review_internal::AspectKeywords()) {
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
  std::vector<review_internal::FoundWork> found = review_internal::FindNamedWorks(sentence);
  bool names = false;
  for (const auto& f : found)
    if (f.work.kind != NamedWork::Kind::kTitle || f.title_case) names = true;
  review_internal::Analysis a = review_internal::AnalyzeTokens(sentence, section, names);
  if (!a.is_statement) return std::nullopt;
  NoveltyStatement st = review_internal::MakeStatement(sentence, 0, section, a, 0);
  for (auto& f : found)
    if (f.work.kind != NamedWork::Kind::kTitle || f.title_case) st.named_works.push_back(f.work);
  return st;
}

}  // namespace novelta::alignment
