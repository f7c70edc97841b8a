// The alignment.json documents of the typed results; see alignment_result.h.
#include "alignment/alignment_result.h"

namespace novelta::alignment {
namespace {

Json LabelNames() {
  Json names = Json::array();
  for (int i = 0; i < kNumConclusions; ++i)
    names.push_back(ReviewConclusionName(static_cast<ReviewConclusion>(i)));
  return names;
}

Json OptionsJson(const AlignmentOptions& options) {
  return {{"seed", options.seed}, {"bootstrap_resamples", options.bootstrap_resamples}};
}

Json Share(size_t part, size_t whole) {
  return whole ? NumberOrNull(double(part) / double(whole)) : Json(nullptr);
}

Json CountsJson(const AlignmentCounts& c) {
  Json j = {{"assessments", c.assessments},
            {"papers_with_reviews", c.papers_with_reviews},
            {"papers_matched", c.papers_matched},
            {"assessments_without_reviews", c.assessments_without_reviews},
            {"reviews", c.reviews},
            {"reviews_no_opinion_excluded", c.reviews_no_opinion_excluded},
            {"assessments_no_conclusion_excluded", c.assessments_no_conclusion_excluded},
            {"papers_without_majority_excluded", c.papers_without_majority_excluded}};
  if (c.assessments_without_reviews > 0)
    j["first_assessments_without_reviews"] = c.first_assessments_without_reviews;
  return j;
}

Json ConclusionJson(const ConclusionAlignment& c, const HumanCeiling& ceiling) {
  return {
      {"note", "reviews whose conclusion is no_opinion are excluded from conclusion agreement; "
               "rows of each confusion matrix are the assessment (or the first reviewer), columns "
               "the human reference; labels in the order of 'labels'"},
      {"per_review",
       {{"assessment", ToJson(c.per_review.assessment)},
        {"human_ceiling", ToJson(ceiling.conclusion_per_review)},
        {"baseline_majority_class",
         {{"label", ReviewConclusionName(c.majority_class)},
          {"agreement", ToJson(c.per_review.baseline_majority_class)}}},
        {"baseline_uniform_random", ToJson(c.per_review.baseline_uniform_random)}}},
      {"per_paper",
       {{"assessment", ToJson(c.per_paper.assessment)},
        {"human_ceiling", ToJson(ceiling.conclusion_per_paper)},
        {"baseline_majority_class", ToJson(c.per_paper.baseline_majority_class)},
        {"baseline_uniform_random", ToJson(c.per_paper.baseline_uniform_random)}}},
      {"krippendorff_alpha",
       {{"humans", NumberOrNull(c.krippendorff_alpha_humans)},
        {"humans_and_assessment", NumberOrNull(c.krippendorff_alpha_humans_and_assessment)}}},
      {"originality_spearman",
       {{"assessment_vs_mean_originality", NumberOrNull(c.originality_spearman)},
        {"n_papers", c.originality_spearman_n_papers},
        {"human_ceiling_review_vs_mean_of_others", NumberOrNull(ceiling.originality_spearman)}}},
  };
}

Json ReasoningJson(const ReasoningAlignment& r, const HumanCeiling& ceiling) {
  return {
      {"aspect_f1", {{"assessment", ToJson(r.aspect_f1)}, {"human_ceiling", ToJson(ceiling.aspect_f1)}}},
      {"prior_work_overlap",
       {{"note", "share of the corpus works a reviewer names that the assessment cites; ceiling: "
                 "share that another reviewer of the same paper also names"},
        {"assessment", ToJson(r.prior_work_overlap)},
        {"human_ceiling", ToJson(ceiling.prior_work_overlap)}}},
      {"rationale_similarity",
       {{"note", "TF-IDF cosine between the assessment's reasoning and a review's novelty "
                 "statements; ceiling: between two reviews' novelty statements"},
        {"assessment", ToJson(r.rationale_similarity)},
        {"human_ceiling", ToJson(ceiling.rationale_similarity)}}},
  };
}

Json PaperJson(const PaperAlignment& p, bool with_statements) {
  Json row = ToJson(p.human, with_statements);
  row["assessment"] = {{"conclusion", ReviewConclusionName(p.conclusion)},
                       {"aspects", AspectNames(p.aspects)},
                       {"n_cited_prior_ids", p.n_cited_prior_ids},
                       {"kind", AssessmentKindName(p.kind)},
                       {"origin", p.origin}};
  if (with_statements && p.kind == AssessmentKind::kProse) {
    Json statements = Json::array();
    for (const auto& s : p.prose_statements) statements.push_back(ToJson(s));
    row["assessment"]["statements"] = statements;
  }
  return row;
}

}  // namespace

Json ToJson(const Agreement& a) {
  return {{"n_pairs", a.n_pairs},
          {"n_papers", a.n_papers},
          {"accuracy", NumberOrNull(a.accuracy)},
          {"accuracy_ci95", ToJson(a.accuracy_ci95)},
          {"cohens_kappa", NumberOrNull(a.cohens_kappa)},
          {"cohens_kappa_ci95", ToJson(a.cohens_kappa_ci95)},
          {"confusion", ToJson(a.confusion)}};
}

Json ToJson(const MeanFigure& m) {
  return {{"n", m.n}, {"n_papers", m.n_papers}, {"mean", NumberOrNull(m.mean)},
          {"mean_ci95", ToJson(m.mean_ci95)}};
}

Json ToJson(const HumanCeiling& h) {
  return {
      {"conclusion_per_review", ToJson(h.conclusion_per_review)},
      {"conclusion_per_paper", ToJson(h.conclusion_per_paper)},
      {"krippendorff_alpha", NumberOrNull(h.krippendorff_alpha)},
      {"aspect_f1", ToJson(h.aspect_f1)},
      {"prior_work_overlap", ToJson(h.prior_work_overlap)},
      {"rationale_similarity", ToJson(h.rationale_similarity)},
      {"originality_spearman", NumberOrNull(h.originality_spearman)},
  };
}

Json ToJson(const ReviewReadingSummary& r) {
  const auto& w = r.named_works;
  Json kinds = Json::object();
  for (const auto& [k, m] : w.by_kind) kinds[k] = m;
  return {
      {"n_papers", r.n_papers},
      {"n_reviews", r.n_reviews},
      {"n_statements", r.n_statements},
      {"reviews_with_novelty_statement", r.reviews_with_novelty_statement},
      {"share_reviews_with_novelty_statement", Share(r.reviews_with_novelty_statement, r.n_reviews)},
      {"reviews_with_stance", r.reviews_with_stance},
      {"share_reviews_with_stance", Share(r.reviews_with_stance, r.n_reviews)},
      {"statement_stances", r.statement_stances},
      {"statement_aspects", r.statement_aspects},
      {"text_conclusions", r.text_conclusions},
      {"combined_conclusions", r.combined_conclusions},
      {"text_vs_score",
       {{"note", "reviews whose text takes a side, text-derived conclusion vs the originality "
                 "score mapped alone (4,3 novel; 2 incremental; 1 not novel)"},
        {"three_class", ToJson(r.text_vs_score_three_class)},
        {"binary_novel_vs_not", ToJson(r.text_vs_score_binary)}}},
      {"named_works",
       {{"named", w.named},
        {"matched_reference_entry", w.matched_reference_entry},
        {"resolved_to_corpus", w.resolved_to_corpus},
        {"share_resolved", Share(w.resolved_to_corpus, w.named)},
        {"reviews_with_resolved_work", w.reviews_with_resolved_work},
        {"papers_with_references_list", w.papers_with_references_list},
        {"by_kind", kinds}}},
  };
}

Json ToJson(const ProseReadingSummary& p) {
  return {{"note", "prose assessments read as reviews are, without a score: the conclusion is the "
                   "text's; no_opinion when no statement takes a side (left out of conclusion "
                   "agreement, kept in the reasoning measures)"},
          {"assessments", p.assessments},
          {"with_novelty_statement", p.with_novelty_statement},
          {"with_stance", p.with_stance},
          {"statements", p.statements},
          {"conclusions", p.conclusions},
          {"without_conclusion", p.without_conclusion},
          {"share_without_conclusion", Share(p.without_conclusion, p.assessments)},
          {"named_works",
           {{"named", p.named_works},
            {"matched_reference_entry", p.named_works_matched_reference_entry},
            {"resolved_to_corpus", p.named_works_resolved_to_corpus}}}};
}

Json ToJson(const AlignmentResult& r) {
  Json papers = Json::array();
  for (const auto& p : r.papers) papers.push_back(PaperJson(p, r.options.include_statements));
  Json result;
  result["mode"] = "assessments_vs_reviews";
  result["input"] = r.input;
  if (r.input != "reports") result["prose_reading"] = ToJson(r.prose_reading);
  result["labels"] = LabelNames();
  result["options"] = OptionsJson(r.options);
  result["counts"] = CountsJson(r.counts);
  result["conclusion"] = ConclusionJson(r.conclusion, r.human_ceiling);
  result["reasoning"] = ReasoningJson(r.reasoning, r.human_ceiling);
  result["review_reading"] = ToJson(r.review_reading);
  result["papers"] = papers;
  return result;
}

Json ToJson(const HumanOnlyResult& r) {
  Json papers = Json::array();
  for (const auto& p : r.papers) papers.push_back(ToJson(p, r.options.include_statements));
  return {{"mode", "human_only"},
          {"labels", LabelNames()},
          {"options", OptionsJson(r.options)},
          {"review_reading", ToJson(r.review_reading)},
          {"human_ceiling", ToJson(r.human_ceiling)},
          {"papers", papers}};
}

}  // namespace novelta::alignment
