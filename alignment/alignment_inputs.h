// The two inputs of alignment: the assessments of a system (novelta reports
// or another system's simple records) and the human reviews of the same
// papers, read into HumanPapers through the review reader. Kept apart from
// the measures (alignment.h) because reading is where input errors are found
// and named; the measures assume well-formed values.
//
// Thread-safety: pure functions over their arguments; a PriorWorkResolver
// must be safe for concurrent const calls.
#ifndef NOVELTA_ALIGNMENT_ALIGNMENT_INPUTS_H_
#define NOVELTA_ALIGNMENT_ALIGNMENT_INPUTS_H_

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "novelta/status.h"
#include "alignment/review_reader.h"

namespace novelta::alignment {

// The kind of record an assessment was read from.
enum class AssessmentKind {
  kReport,  // a novelta NoveltyReport
  kSimple,  // {"paper_id", "conclusion", "reasoning"?, "cited_prior_ids"?}
  kProse,   // {"paper_id", "text"}: another system's prose, read as a review is (prose_assessment.h)
};
const char* AssessmentKindName(AssessmentKind k);  // "report", "simple", "prose"

// One system's novelty assessment of one paper.
struct Assessment {
  std::string paper_id;
  AssessmentKind kind = AssessmentKind::kSimple;
  // novel / incremental / not_novel; no_opinion only for a prose assessment
  // whose text states no conclusion (it is left out of conclusion agreement).
  ReviewConclusion conclusion = ReviewConclusion::kNovel;
  // Reports and the simple form: the reasoning given. Prose: its novelty
  // statements, joined, as a review's are compared.
  std::string reasoning;
  // related_work[].id or cited_prior_ids; prose: the corpus papers its named works resolve to.
  std::vector<std::string> cited_prior_ids;
  // Reports: from claims[].type. Prose: the aspects of its statements that
  // take a side or name a work, as a review's aspects are.
  std::vector<Aspect> claim_aspects;
  std::string origin;  // "file:line" or "file[index]"
  std::string text;       // prose: the text as given
  ReviewReading reading;  // prose: how `text` was read
};

// Accepts a novelta NoveltyReport (recognised by its "submission" object),
// the simple form {"paper_id", "conclusion", "reasoning", "cited_prior_ids"?}
// with conclusion one of novel / incremental / not_novel, or a prose record
// {"paper_id", "text"} (read by ReadProse with no paper context: its named
// works are found but not resolved). A record with both "conclusion" and
// "text", or with neither, is refused. `what` names the input in errors.
StatusOr<Assessment> AssessmentFromJson(const Json& j, std::string_view what);
// Reads assessments from JSON Lines (plain or gzip) or a file holding one JSON
// array. Errors name the file and line (or array index). Fails on a paper id
// assessed twice, and on a file that mixes prose records with reports or
// simple records.
StatusOr<std::vector<Assessment>> LoadAssessments(const std::string& path);
// "prose" when every assessment is prose (and there is one), "reports" when
// none is, "mixed" otherwise.
const char* AssessmentInputName(const std::vector<Assessment>& assessments);

// Aspects of an assessment's reasoning: its claims' types (method -> method,
// task -> problem, dataset -> data, result and analysis -> results, theory ->
// theory) and the aspect of each reasoning sentence that has aspect keywords.
std::vector<Aspect> AssessmentAspects(const Assessment& a);

// The human reviews of one paper, read.
struct HumanPaper {
  std::string paper_id;
  std::string title;
  std::vector<ReviewReading> reviews;
  size_t n_references = 0;  // entries of the paper's references list
  // The references list itself, for reading other texts about the paper
  // (prose assessments, ReadProseAssessments) the way its reviews were read.
  std::vector<ReferenceEntry> references;
  // Majority of the reviews' conclusions, no_opinion excluded; see MajorityConclusion.
  ReviewConclusion majority = ReviewConclusion::kNoOpinion;
  std::vector<std::string> named_prior_ids;  // resolved works named by any reviewer, deduplicated
  std::vector<Aspect> aspects;               // aspects of any reviewer's statements
};

// The most frequent label, no_opinion ignored; a tie goes to the tied label
// nearest the mean of the labels on the novel(0)..not_novel(2) scale, then to
// the more novel one. no_opinion when no label is given.
ReviewConclusion MajorityConclusion(const std::vector<ReviewConclusion>& labels);

struct HumanLoadOptions {
  const PriorWorkResolver* resolver = nullptr;  // default null: named works stay unresolved
  size_t max_papers = 0;                        // default 0: all papers
  // When non-null, only these paper ids are read (others are skipped unparsed
  // beyond their id). Default null.
  const std::set<std::string>* only_ids = nullptr;
};

// One eval-set record: {"id", "title", "reviews": [{"originality", "text"}],
// "fulltext"?, "references"?}. The paper's references list is "references"
// (an array of strings) when present, else the fulltext's References section.
StatusOr<HumanPaper> HumanPaperFromJson(const Json& j, std::string_view what,
                                        const PriorWorkResolver* resolver);
// Streams an eval-set JSON Lines file (plain or gzip).
StatusOr<std::vector<HumanPaper>> LoadHumanPapers(const std::string& path,
                                                  const HumanLoadOptions& options = {});

// Per-paper human data for other evaluators: conclusions, majority, named
// resolved prior works, aspects; with every review's statements when
// `with_statements`.
Json ToJson(const HumanPaper& p, bool with_statements);

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_ALIGNMENT_INPUTS_H_
