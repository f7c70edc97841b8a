// Reading a human peer review for what it says about novelty.
//
// ReadReview finds the review's novelty statements — sentences about novelty,
// originality, incrementality, or prior and concurrent work — and gives each a
// stance (positive / negative / neutral), an aspect (method, problem, data,
// results, theory, application) and the prior works it names (quoted or
// italic titles, "Author et al. (2020)", "[Author 2020]", arXiv ids, numbered
// citations "[12]"). From the statements and the reviewer's 1-4 originality
// score it derives the review's novelty conclusion. Everything is lexical and
// deterministic; docs/alignment.md lists the cues and the combination rule.
//
// Named works are resolved to corpus papers through a PriorWorkResolver, using
// the reviewed paper's own references list for author-year and numbered
// mentions (a reviewer's "Steinke et al. [1]" usually means the paper's [1]).
//
// The implementation is in parts, one per step: named_works.cc (finding named
// works in a sentence), reference_resolution.cc (references lists and
// resolving named works against them), statement_analysis.cc with its word
// lists in novelty_cues.cc (analysing a sentence), and review_reader.cc
// (reading a review and concluding).
//
// Thread-safety: the functions are pure; a PriorWorkResolver must be safe for
// concurrent const calls.
#ifndef NOVELTA_ALIGNMENT_REVIEW_READER_H_
#define NOVELTA_ALIGNMENT_REVIEW_READER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace novelta::alignment {

enum class Stance { kPositive, kNegative, kNeutral };
const char* StanceName(Stance s);  // "positive", "negative", "neutral"

enum class Aspect { kMethod, kProblem, kData, kResults, kTheory, kApplication };
constexpr int kNumAspects = 6;
const char* AspectName(Aspect a);  // "method", "problem", "data", "results", "theory", "application"
// The names of `aspects`, in order, as a JSON array.
Json AspectNames(const std::vector<Aspect>& aspects);

// A review's (or an assessment's) view of the paper's novelty. The first three
// values share their order with novelta::Conclusion.
enum class ReviewConclusion { kNovel = 0, kIncremental = 1, kNotNovel = 2, kNoOpinion = 3 };
constexpr int kNumConclusions = 3;  // labels that take part in agreement (no_opinion excluded)
const char* ReviewConclusionName(ReviewConclusion c);  // "novel", ..., "no_opinion"
// Whether a conclusion takes part in agreement (is not no_opinion).
inline bool HasOpinion(ReviewConclusion c) { return c != ReviewConclusion::kNoOpinion; }
bool ParseReviewConclusion(std::string_view name, ReviewConclusion* out);

// Looks up corpus papers. Implementations: CorpusPriorWorkResolver
// (corpus_resolver.h) over the prior-work corpus; tests use small fixtures.
class PriorWorkResolver {
 public:
  virtual ~PriorWorkResolver() = default;
  // Corpus id of the paper with this title (compared after normalisation);
  // `year` 0 means any year. Empty when none.
  virtual std::string ResolveTitle(std::string_view title, int year) const = 0;
  // Corpus id of the paper whose title appears in a free-text reference entry
  // ("[3] R. Shokri et al. Membership inference attacks ... 2017."). Empty when none.
  virtual std::string ResolveReference(std::string_view reference) const = 0;
};

// One entry of a references list.
struct ReferenceEntry {
  int number = 0;     // its "[n]" label, 0 when unnumbered
  std::string text;   // the entry without its label
};

// Entries of a references list: one per line or list item, each optionally
// labelled "[n]", "n." or "- [n]". Lines of fewer than 20 characters are
// dropped (page numbers, headings).
std::vector<ReferenceEntry> ParseReferenceEntries(std::string_view text);
// The entries of a Markdown full text's references list: the first section
// that ingest finds to be one (FindSections, SectionKind::kReferences: a
// "References" / "Bibliography" heading), without its heading line, up to the
// next section. Empty when there is none.
std::vector<ReferenceEntry> ReferencesFromFulltext(std::string_view fulltext);

// A prior work named in a review.
struct NamedWork {
  enum class Kind { kTitle, kAuthorYear, kAuthor, kArxiv, kNumbered };
  Kind kind = Kind::kTitle;
  std::string text;       // as written: "Steinke et al. (2024)", "[12]", "2402.09477"
  std::string surname;    // kAuthorYear / kAuthor (first author)
  int year = 0;           // kAuthorYear
  std::string title;      // kTitle
  std::string arxiv_id;   // kArxiv
  int number = 0;         // kNumbered (also set for "Author et al. [12]")
  std::string reference;  // the references-list entry it was matched to, if any
  std::string corpus_id;  // the resolved corpus paper, empty when unresolved
};
const char* NamedWorkKindName(NamedWork::Kind k);  // "title", "author_year", "author", "arxiv", "numbered"

struct NoveltyStatement {
  std::string text;
  size_t start = 0;  // byte offsets in the review text
  size_t end = 0;
  std::string section;  // "summary", "strengths_and_weaknesses", "questions", "limitations", "other"
  Stance stance = Stance::kNeutral;
  // How strongly negative: 2 when the cue denies novelty outright ("not
  // novel", "already proposed"), 1 for incrementality ("incremental",
  // "limited novelty"); 0 otherwise.
  int negative_strength = 0;
  Aspect aspect = Aspect::kMethod;
  std::vector<std::string> cues;  // matched cue phrases, for inspection
  std::vector<NamedWork> named_works;
};

struct ReviewReading {
  std::vector<NoveltyStatement> statements;
  int originality = 0;  // the 1-4 score; 0 when absent
  ReviewConclusion text_conclusion = ReviewConclusion::kNoOpinion;   // from the statements alone
  ReviewConclusion score_conclusion = ReviewConclusion::kNoOpinion;  // from the score alone
  ReviewConclusion conclusion = ReviewConclusion::kNoOpinion;        // the combination
  // Corpus ids of the resolved named works, deduplicated, in order of mention.
  std::vector<std::string> resolved_prior_ids;
  std::vector<Aspect> aspects;  // aspects of the non-neutral-or-named statements, deduplicated
};

// What the reader knows about the reviewed paper, for resolving mentions.
struct PaperContext {
  std::vector<ReferenceEntry> references;  // the paper's references list
};

struct ReviewReaderOptions {
  // Resolves named works; null leaves every corpus_id empty. Default null.
  const PriorWorkResolver* resolver = nullptr;
};

// Reads one review. `originality` is the reviewer's 1-4 score, 0 when absent
// (other values are treated as absent).
ReviewReading ReadReview(std::string_view review_text, int originality, const PaperContext& paper,
                         const ReviewReaderOptions& options = {});

// Only the sentence-level analysis, for one sentence out of context
// (`section` as in NoveltyStatement). Empty when the sentence is not a
// novelty statement. Named works are found but not resolved.
std::optional<NoveltyStatement> AnalyzeSentence(std::string_view sentence,
                                                std::string_view section = "strengths_and_weaknesses");

// The conclusion the statements support on their own: no_opinion when none
// takes a side; see docs/alignment.md.
ReviewConclusion ConclusionFromStatements(const std::vector<NoveltyStatement>& statements);
// 4 -> novel, 3 -> novel, 2 -> incremental, 1 -> not_novel, else no_opinion.
ReviewConclusion ConclusionFromScore(int originality);
// The combined per-review conclusion:
//   score 4 -> novel;
//   score 3 -> novel, unless the text alone says incremental / not_novel with
//              no positive statement (clearly negative) -> incremental;
//   score 2 -> incremental, unless the text alone says not_novel with no
//              positive statement -> not_novel;
//   score 1 -> not_novel;
//   no score -> the text conclusion.
ReviewConclusion CombineConclusion(ReviewConclusion text, int originality, bool text_has_positive);

// The texts of a reading's novelty statements joined by spaces: what the
// rationale similarity of alignment compares.
std::string StatementsText(const ReviewReading& r);

// Aspect of a piece of text by keyword counts; nullopt when no keyword occurs.
std::optional<Aspect> AspectOfText(std::string_view text);

Json ToJson(const NamedWork& w);
Json ToJson(const NoveltyStatement& s);
Json ToJson(const ReviewReading& r);

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_REVIEW_READER_H_
