// Reading a review: its sections and strengths / weaknesses lists, its own
// references list, its sentences, and the conclusion they support; see
// review_reader.h. The parts it is built from: named_works.h (finding named
// works in a sentence), reference_resolution.h (resolving them against
// references lists), statement_analysis.h (the sentence analysis) and
// novelty_cues.h (the word lists).
#include "alignment/review_reader.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "alignment/named_works.h"
#include "alignment/reference_resolution.h"
#include "alignment/review_text.h"
#include "alignment/statement_analysis.h"
#include "base/sentence_splitter.h"
#include "base/text.h"

namespace novelta::alignment {
namespace {

using review_internal::IsUpper;
using review_internal::Line;
using review_internal::SplitLines;

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

// A run of lines read together: [start, end) of the review, with the section
// it is in and the strengths (+1) / weaknesses (-1) list, 0 for neither.
struct Region {
  size_t start, end;
  std::string section;
  int subsection;
};

// The first pass: the review's regions (consecutive non-blank lines of one
// section and list) and its own references list, whose lines are not read
// as statements.
std::vector<Region> FindRegions(std::string_view review_text, std::vector<ReferenceEntry>* own_refs) {
  std::vector<Region> regions;
  std::string section = "other";
  int subsection = 0;
  for (const Line& l : SplitLines(review_text)) {
    std::string_view line = review_text.substr(l.start, l.end - l.start);
    std::string header = SectionHeader(line);
    if (!header.empty()) {
      section = header;
      subsection = 0;
      continue;
    }
    ReferenceEntry entry;
    if (review_internal::ReferenceListLine(line, &entry)) {
      own_refs->push_back(std::move(entry));
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
  return regions;
}

// One sentence of a region, at byte `start` of the review: its named works
// (kept when they resolve or look like titles) and its analysis; nullopt when
// it is not a novelty statement.
std::optional<NoveltyStatement> ReadSentence(std::string_view sentence, size_t start, const Region& region,
                                             const std::vector<ReferenceEntry>& own_refs,
                                             const PaperContext& paper, const PriorWorkResolver* resolver) {
  std::vector<NamedWork> works;
  for (auto& f : review_internal::FindNamedWorks(sentence)) {
    NamedWork w = f.work;
    if (review_internal::Resolve(&w, f.title_case, own_refs, paper, resolver)) works.push_back(std::move(w));
  }
  review_internal::Analysis a = review_internal::AnalyzeTokens(sentence, region.section, !works.empty());
  if (!a.is_statement) return std::nullopt;
  NoveltyStatement st = review_internal::MakeStatement(sentence, start, region.section, a, region.subsection);
  st.named_works = std::move(works);
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

Json AspectNames(const std::vector<Aspect>& aspects) {
  Json names = Json::array();
  for (Aspect a : aspects) names.push_back(AspectName(a));
  return names;
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
  std::vector<ReferenceEntry> own_refs;
  const std::vector<Region> regions = FindRegions(review_text, &own_refs);

  // The second pass: the sentences of each region.
  std::set<std::string> seen_ids;
  std::set<Aspect> seen_aspects;
  bool text_has_positive = false;
  for (const Region& region : regions) {
    std::string_view block = review_text.substr(region.start, region.end - region.start);
    for (const SentenceSpan& span : SplitSentences(block)) {
      if (span.end <= span.start || span.end > block.size()) continue;
      std::optional<NoveltyStatement> st =
          ReadSentence(block.substr(span.start, span.end - span.start), region.start + span.start, region,
                       own_refs, paper, options.resolver);
      if (!st) continue;
      if (st->stance == Stance::kPositive) text_has_positive = true;
      for (const auto& w : st->named_works)
        if (!w.corpus_id.empty() && seen_ids.insert(w.corpus_id).second)
          r.resolved_prior_ids.push_back(w.corpus_id);
      if (st->stance != Stance::kNeutral || !st->named_works.empty()) {
        if (seen_aspects.insert(st->aspect).second) r.aspects.push_back(st->aspect);
      }
      r.statements.push_back(std::move(*st));
    }
  }
  r.text_conclusion = ConclusionFromStatements(r.statements);
  r.score_conclusion = ConclusionFromScore(r.originality);
  r.conclusion = CombineConclusion(r.text_conclusion, r.originality, text_has_positive);
  return r;
}

std::string StatementsText(const ReviewReading& r) {
  std::string text;
  for (const auto& s : r.statements) {
    if (!text.empty()) text += ' ';
    text += s.text;
  }
  return text;
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
  return {{"originality", r.originality == 0 ? Json(nullptr) : Json(r.originality)},
          {"text_conclusion", ReviewConclusionName(r.text_conclusion)},
          {"score_conclusion", ReviewConclusionName(r.score_conclusion)},
          {"conclusion", ReviewConclusionName(r.conclusion)},
          {"resolved_prior_ids", r.resolved_prior_ids},
          {"aspects", AspectNames(r.aspects)},
          {"statements", statements}};
}

}  // namespace novelta::alignment
