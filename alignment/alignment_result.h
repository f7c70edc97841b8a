// The typed result of alignment (ComputeAlignment, ComputeHumanOnly in
// alignment.h): one struct per measure, each documented with what it
// measures, and ToJson for the alignment.json document that
// docs/alignment.md describes. Callers that need a figure (the evaluation
// harness, `novelta align`) read these fields; the JSON is for files.
//
// Undefined figures are NaN (an interval NaN..NaN) and serialise as null:
// an undefined figure must never look like 0 (agreement_stats.h).
//
// Thread-safety: plain values.
#ifndef NOVELTA_ALIGNMENT_ALIGNMENT_RESULT_H_
#define NOVELTA_ALIGNMENT_ALIGNMENT_RESULT_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "alignment/agreement_stats.h"
#include "alignment/alignment_inputs.h"
#include "alignment/review_reader.h"

namespace novelta::alignment {

struct AlignmentOptions {
  uint64_t seed = 42;            // default 42: bootstrap and the random baseline
  int bootstrap_resamples = 1000;  // default 1000
  // Include every review's novelty statements (text, stance, aspect, named
  // works) in the per-paper rows. Default false: the document stays small.
  bool include_statements = false;
};

// Agreement of pairs of conclusions (first rater, reference), labels in the
// order novel, incremental, not_novel; bootstrap intervals resample papers.
struct Agreement {
  size_t n_pairs = 0;
  size_t n_papers = 0;  // papers with at least one pair
  double accuracy = std::numeric_limits<double>::quiet_NaN();
  Interval accuracy_ci95;
  double cohens_kappa = std::numeric_limits<double>::quiet_NaN();
  Interval cohens_kappa_ci95;
  ConfusionMatrix confusion;  // rows the first rater, columns the reference
};

// The mean of per-pair values (an F1, a share, a cosine), with a bootstrap
// interval over papers.
struct MeanFigure {
  size_t n = 0;         // values
  size_t n_papers = 0;  // papers with at least one value
  double mean = std::numeric_limits<double>::quiet_NaN();
  Interval mean_ci95;
};

// The human–human ceiling: one review against the other reviews of the same
// paper, measured as the assessment is.
struct HumanCeiling {
  Agreement conclusion_per_review;  // ordered pairs of opinionated reviews of a paper
  Agreement conclusion_per_paper;   // a review vs the majority of the paper's other reviews
  double krippendorff_alpha = std::numeric_limits<double>::quiet_NaN();  // over all reviews
  MeanFigure aspect_f1;             // aspect sets of two reviews
  MeanFigure prior_work_overlap;    // share of a review's resolved works that another names
  MeanFigure rationale_similarity;  // TF-IDF cosine of two reviews' novelty statements
  // A review's originality score vs the mean of the paper's other reviews'.
  double originality_spearman = std::numeric_limits<double>::quiet_NaN();
};

// How the reviews were read: statements, stances, text-vs-score agreement
// and named works. The share_* figures of the JSON are derived in ToJson.
struct ReviewReadingSummary {
  size_t n_papers = 0;
  size_t n_reviews = 0;
  size_t n_statements = 0;
  size_t reviews_with_novelty_statement = 0;
  size_t reviews_with_stance = 0;  // with a positive or negative statement
  std::map<std::string, size_t> statement_stances;     // by StanceName
  std::map<std::string, size_t> statement_aspects;     // by AspectName
  std::map<std::string, size_t> text_conclusions;      // by ReviewConclusionName
  std::map<std::string, size_t> combined_conclusions;  // by ReviewConclusionName
  // Reviews whose text and score both take a side: the text's conclusion vs
  // the score's, in three classes and as novel vs not (labels 0 / 1).
  Agreement text_vs_score_three_class;
  Agreement text_vs_score_binary;
  struct NamedWorks {
    size_t named = 0;
    size_t matched_reference_entry = 0;
    size_t resolved_to_corpus = 0;
    size_t reviews_with_resolved_work = 0;
    size_t papers_with_references_list = 0;
    // By NamedWorkKindName: "named", "matched_reference", "resolved" counts
    // (a count that stayed 0 is absent).
    std::map<std::string, std::map<std::string, size_t>> by_kind;
  } named_works;
};

// What was matched and what was left out.
struct AlignmentCounts {
  size_t assessments = 0;
  size_t papers_with_reviews = 0;  // papers given
  size_t papers_matched = 0;       // papers with an assessment and reviews
  size_t assessments_without_reviews = 0;
  size_t reviews = 0;                      // reviews of the matched papers
  size_t reviews_no_opinion_excluded = 0;  // left out of conclusion agreement
  // Matched assessments with no conclusion (prose stating none): left out of
  // conclusion agreement and its baselines, kept in the reasoning measures.
  size_t assessments_no_conclusion_excluded = 0;
  size_t papers_without_majority_excluded = 0;
  std::vector<std::string> first_assessments_without_reviews;  // at most 20 paper ids
};

// How prose assessments (input "prose") were read, over every assessment given.
struct ProseReadingSummary {
  size_t assessments = 0;
  size_t with_novelty_statement = 0;
  size_t with_stance = 0;  // with a positive or negative statement
  size_t statements = 0;
  // By ReviewConclusionName; "no_opinion" counts the texts that state no conclusion.
  std::map<std::string, size_t> conclusions;
  size_t without_conclusion = 0;
  size_t named_works = 0;
  size_t named_works_matched_reference_entry = 0;
  size_t named_works_resolved_to_corpus = 0;
};

// Agreement on conclusions at one level (per review or per paper): the
// assessment and two baselines against the human reference.
struct ConclusionAgreement {
  Agreement assessment;
  Agreement baseline_majority_class;  // always the reviews' most frequent conclusion
  Agreement baseline_uniform_random;  // one seeded uniform draw per paper
};

struct ConclusionAlignment {
  ConclusionAgreement per_review;  // the assessment vs each opinionated review
  ConclusionAgreement per_paper;   // the assessment vs the majority of the reviews
  ReviewConclusion majority_class = ReviewConclusion::kNovel;  // the majority-class baseline's label
  // Krippendorff's alpha of the reviews alone, and with the assessment as one more rater.
  double krippendorff_alpha_humans = std::numeric_limits<double>::quiet_NaN();
  double krippendorff_alpha_humans_and_assessment = std::numeric_limits<double>::quiet_NaN();
  // Spearman correlation of the assessment (more novel higher) with the mean
  // originality score, over the papers with a score.
  double originality_spearman = std::numeric_limits<double>::quiet_NaN();
  size_t originality_spearman_n_papers = 0;
};

// The assessment's reasoning against the reviews' (ceilings in HumanCeiling).
struct ReasoningAlignment {
  MeanFigure aspect_f1;           // assessment aspects vs a review's aspects
  MeanFigure prior_work_overlap;  // share of a review's resolved works the assessment cites
  MeanFigure rationale_similarity;  // TF-IDF cosine of the reasoning and a review's statements
};

// One matched paper: its reviews and a summary of its assessment.
struct PaperAlignment {
  HumanPaper human;
  ReviewConclusion conclusion = ReviewConclusion::kNovel;  // the assessment's
  std::vector<Aspect> aspects;                             // AssessmentAspects
  size_t n_cited_prior_ids = 0;
  std::string origin;
  AssessmentKind kind = AssessmentKind::kSimple;
  std::vector<NoveltyStatement> prose_statements;  // prose: its novelty statements
};

// ComputeAlignment's result.
struct AlignmentResult {
  AlignmentOptions options;
  // What was read: "reports" (novelta reports or the simple form), "prose"
  // or "mixed" (AssessmentInputName).
  std::string input = "reports";
  ProseReadingSummary prose_reading;  // input "prose" or "mixed" only
  AlignmentCounts counts;
  ConclusionAlignment conclusion;
  ReasoningAlignment reasoning;
  HumanCeiling human_ceiling;  // on the matched papers
  ReviewReadingSummary review_reading;  // of the matched papers
  std::vector<PaperAlignment> papers;
};

// ComputeHumanOnly's result: the human side over every paper.
struct HumanOnlyResult {
  AlignmentOptions options;
  ReviewReadingSummary review_reading;
  HumanCeiling human_ceiling;
  std::vector<HumanPaper> papers;
};

// The alignment.json documents (docs/alignment.md). Each measure's JSON
// object is the ToJson of its struct; AlignmentResult places the human
// ceiling beside each measure it bounds.
Json ToJson(const Agreement& a);
Json ToJson(const MeanFigure& m);
Json ToJson(const HumanCeiling& h);
Json ToJson(const ReviewReadingSummary& r);
Json ToJson(const ProseReadingSummary& p);
Json ToJson(const AlignmentResult& r);
Json ToJson(const HumanOnlyResult& r);

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_ALIGNMENT_RESULT_H_
