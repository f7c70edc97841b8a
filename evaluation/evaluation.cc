#include "evaluation/evaluation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/line_reader.h"
#include "base/progress.h"
#include "base/text.h"
#include "alignment/agreement_stats.h"
#include "alignment/alignment.h"
#include "evaluation/trust.h"
#include "evaluation/withheld.h"
#include "pipeline/extract/claim_eval.h"
#include "pipeline/extract/sentence_classifier.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/assessor_impl.h"
#include "pipeline/retrieve/related_reranker.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {
namespace {

using alignment::HumanPaper;

constexpr int kRecallDepths[] = {10, 20, 50};

// Resolves reviewer-named works and references through the index's titles.
class IndexPriorWorkResolver : public alignment::PriorWorkResolver {
 public:
  explicit IndexPriorWorkResolver(const PaperIndex* index) : index_(index) {}
  std::string ResolveTitle(std::string_view title, int year) const override {
    auto m = index_->resolver().ResolveTitle(title, year);
    return m.found() ? index_->id(m.row) : std::string();
  }
  std::string ResolveReference(std::string_view reference) const override {
    auto m = index_->resolver().Resolve(reference);
    return m.found() ? index_->id(m.row) : std::string();
  }

 private:
  const PaperIndex* index_;
};

// Recall of `gold` among the first k of `ranked`, for each depth.
std::vector<double> RecallAt(const std::vector<std::string>& ranked,
                             const std::unordered_set<std::string>& gold) {
  std::vector<double> out;
  for (int k : kRecallDepths) {
    size_t hit = 0;
    for (size_t i = 0; i < ranked.size() && i < static_cast<size_t>(k); ++i) hit += gold.count(ranked[i]);
    out.push_back(static_cast<double>(hit) / gold.size());
  }
  return out;
}

struct PaperResult {
  bool ok = false;
  std::string error;
  std::string id;
  size_t n_gold = 0;
  // Recall at kRecallDepths for: the pipeline (abstract + introduction, references withheld),
  // the pipeline on title + abstract alone, and TF-IDF / BM25 on title + abstract.
  std::vector<double> recall_pipeline, recall_title_abstract, recall_tfidf, recall_bm25;
  alignment::Assessment assessment;
  double novelty_score = 0;
  std::vector<int> originality;
  double assess_ms = 0;
  size_t n_claims = 0;
  std::map<std::string, int> verdicts;
  // Claims judged anticipated with confidence > 0.8, and how many of those cite
  // as evidence a work that a reviewer of the paper named.
  int confident_anticipated = 0;
  int confident_anticipated_reviewer_named = 0;
  // Where reviewers named works: per verdict and confidence band, the claims
  // with evidence and how many of them cite a reviewer-named work.
  std::map<std::pair<std::string, bool>, std::pair<int, int>> evidence_confirmation;
  bool reviewers_named_works = false;
  TrustCounts trust;
  HumanPaper human;
  Json row;  // the paper's line of papers.jsonl
  Json candidates;  // the paper's line of candidates.jsonl, or null
};

double Mean(const std::vector<double>& v) {
  return v.empty() ? std::nan("") : std::accumulate(v.begin(), v.end(), 0.0) / v.size();
}

// A verdict is confident above this (the calibration check of the evidence).
constexpr double kConfidentAbove = 0.8;

Json Num(double v) { return std::isfinite(v) ? Json(std::round(v * 10000) / 10000) : Json(nullptr); }

// The record read: its submission and its reviews. False, with r->error set,
// when it cannot be used.
bool ReadRecord(const std::string& line, const std::string& where,
                const alignment::PriorWorkResolver& resolver, Submission* sub, PaperResult* r) {
  auto j = ParseJson(line, where);
  if (!j.ok()) {
    r->error = j.status().message();
    return false;
  }
  auto parsed = ParseSubmissionJsonValue(*j, where);
  if (!parsed.ok()) {
    r->error = parsed.status().message();
    return false;
  }
  auto human = alignment::HumanPaperFromJson(*j, where, &resolver);
  if (!human.ok()) {
    r->error = human.status().message();
    return false;
  }
  *sub = std::move(parsed).value();
  r->id = sub->id;
  r->human = std::move(human).value();
  for (const auto& rv : r->human.reviews)
    if (rv.originality > 0) r->originality.push_back(rv.originality);
  r->reviewers_named_works = !r->human.named_prior_ids.empty();
  return true;
}

// Verdicts, and the calibration check of the evidence against the works the
// reviewers named.
void CountVerdicts(const NoveltyReport& report, const std::set<std::string>& named, PaperResult* r) {
  for (const auto& ac : report.claims) {
    ++r->verdicts[VerdictName(ac.verdict.verdict)];
    const bool confident = ac.verdict.confidence > kConfidentAbove;
    const bool evidence_named = std::any_of(ac.verdict.evidence.begin(), ac.verdict.evidence.end(),
                                            [&](const Evidence& e) { return named.count(e.prior_id) > 0; });
    if (ac.verdict.verdict == Verdict::kAnticipated && confident) {
      ++r->confident_anticipated;
      r->confident_anticipated_reviewer_named += evidence_named;
    }
    if (r->reviewers_named_works && !ac.verdict.evidence.empty()) {
      auto& band = r->evidence_confirmation[{VerdictName(ac.verdict.verdict), confident}];
      ++band.first;
      band.second += evidence_named;
    }
  }
}

// A compact per-paper row for papers.jsonl: what was decided and on what grounds.
Json PaperRow(const Submission& sub, const NoveltyReport& report, const PaperResult& r,
              const std::set<std::string>& named, size_t n_gold) {
  Json claims = Json::array();
  std::unordered_map<std::string, size_t> related_rank;
  for (size_t i = 0; i < report.related_work.size(); ++i)
    related_rank.emplace(report.related_work[i].id, i);
  for (const auto& ac : report.claims) {
    Json evidence = Json::array();
    // Enough per quoted work to study what makes reviewers name it.
    for (const auto& e : ac.verdict.evidence) {
      auto it = related_rank.find(e.prior_id);
      evidence.push_back({{"similarity", Num(e.similarity)},
                          {"related_rank", it == related_rank.end() ? Json(nullptr) : Json(it->second)},
                          {"year", e.year},
                          {"reviewer_named", named.count(e.prior_id) > 0}});
    }
    claims.push_back({{"type", ClaimTypeName(ac.claim.type)},
                      {"verdict", VerdictName(ac.verdict.verdict)},
                      {"confidence", Num(ac.verdict.confidence)},
                      {"max_similarity", Num(ac.verdict.max_similarity)},
                      {"extraction_score", Num(ac.claim.score)},
                      {"field", ac.claim.span.field},
                      {"evidence", evidence}});
  }
  Json related_scores = Json::array(), related_years = Json::array();
  for (const auto& w : report.related_work) {
    related_scores.push_back(Num(w.score));
    related_years.push_back(w.year);
  }
  Json human_conclusions = Json::array();
  for (const auto& rv : r.human.reviews)
    human_conclusions.push_back(alignment::ReviewConclusionName(rv.conclusion));
  return {{"id", sub.id},
          {"conclusion", ConclusionName(report.conclusion)},
          {"novelty_score", Num(report.novelty_score)},
          {"claims", claims},
          {"related_scores", related_scores},
          {"related_years", related_years},
          {"year", sub.submitted.year},
          {"originality", r.originality},
          {"human_conclusions", human_conclusions},
          {"human_majority", alignment::ReviewConclusionName(r.human.majority)},
          {"n_gold_references", n_gold},
          {"reviewers_named_works", r.reviewers_named_works}};
}

// Recall of the gold references: the pipeline's related work, the pipeline
// on title + abstract alone, and (with a sparse index) TF-IDF and BM25 on
// title + abstract.
void MeasureRecall(const Submission& sub, const NoveltyReport& report,
                   const std::unordered_set<std::string>& gold, const PaperIndex& index,
                   const Assessor& assessor, const SparseIndex* sparse, const AssessParams& params,
                   PaperResult* r) {
  std::vector<std::string> ranked;
  for (const auto& w : report.related_work) ranked.push_back(w.id);
  r->recall_pipeline = RecallAt(ranked, gold);

  Submission title_abstract;
  title_abstract.id = sub.id;
  title_abstract.title = sub.title;
  title_abstract.abstract = sub.abstract;
  title_abstract.submitted = sub.submitted;
  auto related = assessor.FindRelated(title_abstract, params);
  if (related.ok()) {
    ranked.clear();
    for (const auto& w : *related) ranked.push_back(w.id);
    r->recall_title_abstract = RecallAt(ranked, gold);
  }
  if (sparse != nullptr) {
    auto admissible = [&](int64_t row) {
      return IsPrior(index.date(row), sub.submitted) &&
             TitleSimilarity(index.title(row), sub.title) < 0.8;
    };
    const std::string query = sub.title + ". " + sub.abstract;
    for (auto [scoring, out] : {std::pair{SparseScoring::kTfIdfCosine, &r->recall_tfidf},
                                std::pair{SparseScoring::kBm25, &r->recall_bm25}}) {
      ranked.clear();
      for (const auto& h : sparse->Search(query, 50, scoring, admissible))
        ranked.push_back(index.id(h.row));
      *out = RecallAt(ranked, gold);
    }
  }
}

// The paper's line of candidates.jsonl: each candidate of the related-work
// pool with its reranker features, whether the paper cites it and whether a
// reviewer names it.
Json CandidatesRow(const Submission& sub, const NoveltyReport& report,
                   const std::unordered_set<std::string>& gold, const std::set<std::string>& named) {
  Json works = Json::array();
  for (const auto& w : report.related_work)
    works.push_back({{"id", w.id},
                     {"cited", gold.count(w.id) > 0},
                     {"named", named.count(w.id) > 0},
                     {"features", w.detail ? w.detail->rerank_features : std::vector<float>()}});
  return {{"id", sub.id},
          {"year", sub.submitted.year},
          {"n_gold", gold.size()},
          {"n_named", named.size()},
          {"full_text", !sub.fulltext.empty()},
          {"works", std::move(works)}};
}

PaperResult EvaluatePaper(const std::string& line, const std::string& where, const PaperIndex& index,
                          const Assessor& assessor, const SparseIndex* sparse,
                          const alignment::PriorWorkResolver& resolver, const EvalOptions& options) {
  PaperResult r;
  Submission sub;
  if (!ReadRecord(line, where, resolver, &sub, &r)) return r;
  const std::unordered_set<std::string> gold = CitedPriorWork(sub, index);
  r.n_gold = gold.size();

  AssessParams params;
  params.top_k = options.top_k;
  const Submission withheld = WithheldSubmission(sub);
  auto report = assessor.Assess(withheld, params);
  if (!report.ok()) {
    r.error = report.status().message();
    return r;
  }
  r.assess_ms = report->timing_ms["total"];
  r.novelty_score = report->novelty_score;
  r.n_claims = report->claims.size();
  const std::set<std::string> named(r.human.named_prior_ids.begin(), r.human.named_prior_ids.end());
  CountVerdicts(*report, named, &r);
  r.trust = CountTrust(*report, gold);
  r.row = PaperRow(sub, *report, r, named, gold.size());
  auto assessment = alignment::AssessmentFromJson(ToJson(*report), where);
  if (!assessment.ok()) {
    r.error = assessment.status().message();
    return r;
  }
  r.assessment = std::move(assessment).value();

  if (!gold.empty()) MeasureRecall(sub, *report, gold, index, assessor, sparse, params, &r);
  if (options.assessor.retrieve.record_rerank_features && !gold.empty())
    r.candidates = CandidatesRow(sub, *report, gold, named);
  if (!r.recall_pipeline.empty()) {
    r.row["recall_pipeline"] = r.recall_pipeline;
    r.row["recall_title_abstract"] = r.recall_title_abstract;
    r.row["recall_tfidf"] = r.recall_tfidf;
  }
  r.ok = true;
  return r;
}

Json RecallJson(const std::vector<PaperResult>& results,
                std::vector<double> PaperResult::*field) {
  Json j;
  size_t n = 0;
  for (size_t d = 0; d < std::size(kRecallDepths); ++d) {
    std::vector<double> v;
    for (const auto& r : results)
      if (!(r.*field).empty()) v.push_back((r.*field)[d]);
    n = v.size();
    j["recall@" + std::to_string(kRecallDepths[d])] = Num(Mean(v));
  }
  j["n_papers"] = n;
  return j;
}

// Leave-one-reviewer-out Spearman: each review's originality against the mean
// of the other reviews of the same paper.
double HumanLooSpearman(const std::vector<PaperResult>& results) {
  std::vector<double> mine, others;
  for (const auto& r : results) {
    if (r.originality.size() < 2) continue;
    double sum = std::accumulate(r.originality.begin(), r.originality.end(), 0.0);
    for (int o : r.originality) {
      mine.push_back(o);
      others.push_back((sum - o) / (r.originality.size() - 1));
    }
  }
  auto s = alignment::SpearmanCorrelation(mine, others);
  return s.ok() ? *s : std::nan("");
}

// The records of a dataset as text, (where, json), for the workers to parse.
using Records = std::vector<std::pair<std::string, std::string>>;

StatusOr<Records> ReadRecords(const std::string& dataset) {
  Records lines;
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(dataset));
  std::string line;
  while (reader->Next(&line))
    if (!Trim(line).empty())
      lines.emplace_back(dataset + ":" + std::to_string(reader->line_number()), line);
  NOVELTA_RETURN_IF_ERROR(reader->status());
  if (lines.empty()) return Status::InvalidArgument(dataset + ": no records");
  return lines;
}

// The records evaluated, in file order: all, or a seeded sample of options.limit.
std::vector<size_t> SampleOrder(size_t n, const EvalOptions& options) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (options.limit > 0 && options.limit < order.size()) {
    std::mt19937_64 rng(options.seed);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(options.limit);
    std::sort(order.begin(), order.end());
  }
  return order;
}

// Evaluates the records in `order` on options.threads workers; results in the same order.
StatusOr<std::vector<PaperResult>> EvaluateAll(const Records& lines, const std::vector<size_t>& order,
                                               const std::shared_ptr<const PaperIndex>& index,
                                               const EvalOptions& options) {
  AssessorOptions ao = options.assessor;
  ao.search_threads = 1;
  NOVELTA_ASSIGN_OR_RETURN(auto assessor, NewAssessor(index, ao));
  NOVELTA_ASSIGN_OR_RETURN(const SparseIndex* sparse, index->sparse_index());
  IndexPriorWorkResolver resolver(index.get());

  std::vector<PaperResult> results(order.size());
  std::atomic<size_t> next{0};
  Progress bar("evaluating", order.size(), "papers", options.progress && Progress::StderrIsTerminal());
  auto worker = [&] {
    for (size_t i; (i = next++) < order.size();) {
      const auto& [where, text] = lines[order[i]];
      results[i] = EvaluatePaper(text, where, *index, *assessor, sparse, resolver, options);
      bar.Add();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, options.threads); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  bar.Finish();
  return results;
}

// The papers' results summed up; the human papers are moved out of `results`.
struct Totals {
  std::vector<alignment::Assessment> assessments;
  std::vector<HumanPaper> humans;
  std::vector<std::string> errors;  // the first 10
  // Per paper with an originality score: its novelty score and the reviewers' mean score.
  std::vector<double> scores, mean_originality;
  std::vector<double> assess_ms;
  size_t n_reviews = 0, n_claims = 0, failed = 0;
  std::string papers_jsonl, candidates_jsonl;
  int confident = 0, confident_named = 0, confident_in_papers_with_named = 0;
  std::map<std::pair<std::string, bool>, std::pair<int, int>> evidence_confirmation;
  std::map<std::string, int> verdicts;
  TrustCounts trust;
};

Totals Sum(std::vector<PaperResult>* results) {
  Totals t;
  for (auto& r : *results) {
    if (!r.ok) {
      ++t.failed;
      if (t.errors.size() < 10) t.errors.push_back(r.error);
      continue;
    }
    t.assessments.push_back(r.assessment);
    t.n_reviews += r.human.reviews.size();
    t.n_claims += r.n_claims;
    t.assess_ms.push_back(r.assess_ms);
    for (const auto& [v, c] : r.verdicts) t.verdicts[v] += c;
    t.trust.Add(r.trust);
    t.confident += r.confident_anticipated;
    if (r.reviewers_named_works) {
      t.confident_in_papers_with_named += r.confident_anticipated;
      t.confident_named += r.confident_anticipated_reviewer_named;
      for (const auto& [band, counts] : r.evidence_confirmation) {
        t.evidence_confirmation[band].first += counts.first;
        t.evidence_confirmation[band].second += counts.second;
      }
    }
    if (!r.originality.empty()) {
      t.scores.push_back(r.novelty_score);
      t.mean_originality.push_back(
          std::accumulate(r.originality.begin(), r.originality.end(), 0.0) / r.originality.size());
    }
    t.humans.push_back(std::move(r.human));
    t.papers_jsonl += DumpJson(r.row) + "\n";
    if (!r.candidates.is_null()) t.candidates_jsonl += DumpJson(r.candidates) + "\n";
  }
  return t;
}

// Conclusion agreement, from the alignment result.
Json ConclusionMetrics(const alignment::AlignmentResult& align) {
  using alignment::NumberOrNull;
  const alignment::ConclusionAgreement& review = align.conclusion.per_review;
  const alignment::ConclusionAgreement& paper = align.conclusion.per_paper;
  const alignment::HumanCeiling& ceiling = align.human_ceiling;
  return {
      {"agreement", NumberOrNull(review.assessment.accuracy)},
      {"kappa", NumberOrNull(review.assessment.cohens_kappa)},
      {"agreement_ci95", alignment::ToJson(review.assessment.accuracy_ci95)},
      {"kappa_ci95", alignment::ToJson(review.assessment.cohens_kappa_ci95)},
      {"human_agreement", NumberOrNull(ceiling.conclusion_per_review.accuracy)},
      {"human_kappa", NumberOrNull(ceiling.conclusion_per_review.cohens_kappa)},
      {"majority_class_agreement", NumberOrNull(review.baseline_majority_class.accuracy)},
      {"majority_class_label", alignment::ReviewConclusionName(align.conclusion.majority_class)},
      {"random_agreement", NumberOrNull(review.baseline_uniform_random.accuracy)},
      {"random_kappa", NumberOrNull(review.baseline_uniform_random.cohens_kappa)},
      {"per_paper",
       {{"agreement", NumberOrNull(paper.assessment.accuracy)},
        {"kappa", NumberOrNull(paper.assessment.cohens_kappa)},
        {"human_agreement", NumberOrNull(ceiling.conclusion_per_paper.accuracy)},
        {"human_kappa", NumberOrNull(ceiling.conclusion_per_paper.cohens_kappa)},
        {"majority_class_agreement", NumberOrNull(paper.baseline_majority_class.accuracy)},
        {"random_agreement", NumberOrNull(paper.baseline_uniform_random.accuracy)}}},
      {"krippendorff_alpha_humans", NumberOrNull(align.conclusion.krippendorff_alpha_humans)},
      {"krippendorff_alpha_humans_and_assessment",
       NumberOrNull(align.conclusion.krippendorff_alpha_humans_and_assessment)},
  };
}

// The novelty score against the reviewers' originality scores, with a
// calibration table: papers in five bins of novelty score, with their
// reviewers' mean originality.
Json NoveltyScoreMetrics(const Totals& t, const std::vector<PaperResult>& results) {
  const std::vector<double>& scores = t.scores;
  auto spearman = alignment::SpearmanCorrelation(scores, t.mean_originality);
  Json calibration = Json::array();
  std::vector<size_t> idx(scores.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  const size_t bins = std::min<size_t>(5, idx.size());
  for (size_t b = 0; b < bins; ++b) {
    size_t lo = b * idx.size() / bins, hi = (b + 1) * idx.size() / bins;
    std::vector<double> s, o;
    for (size_t i = lo; i < hi; ++i) {
      s.push_back(scores[idx[i]]);
      o.push_back(t.mean_originality[idx[i]]);
    }
    calibration.push_back({{"novelty_score_mean", Num(Mean(s))},
                           {"originality_mean", Num(Mean(o))},
                           {"n_papers", hi - lo}});
  }
  return {{"spearman_vs_mean_originality", Num(spearman.ok() ? *spearman : std::nan(""))},
          {"human_loo_spearman", Num(HumanLooSpearman(results))},
          {"n_papers", scores.size()},
          {"calibration", calibration}};
}

// Reasoning agreement, from the alignment result.
Json ReasoningMetrics(const alignment::AlignmentResult& align) {
  using alignment::NumberOrNull;
  const alignment::ReasoningAlignment& r = align.reasoning;
  const alignment::HumanCeiling& ceiling = align.human_ceiling;
  return {{"prior_work_overlap", NumberOrNull(r.prior_work_overlap.mean)},
          {"prior_work_overlap_n", r.prior_work_overlap.n},
          {"human_prior_work_overlap", NumberOrNull(ceiling.prior_work_overlap.mean)},
          {"aspect_f1", NumberOrNull(r.aspect_f1.mean)},
          {"human_aspect_f1", NumberOrNull(ceiling.aspect_f1.mean)},
          {"rationale_similarity", NumberOrNull(r.rationale_similarity.mean)},
          {"human_rationale_similarity", NumberOrNull(ceiling.rationale_similarity.mean)}};
}

// Recall of the papers' own cited prior work, beside the baselines.
Json RetrievalMetrics(const std::vector<PaperResult>& results, const EvalOptions& options) {
  Json retrieval = RecallJson(results, &PaperResult::recall_pipeline);
  retrieval["mode"] = "full text without its references (queries: title + abstract, claims, "
                      "related-work and introduction paragraphs, citing sentences, named methods)";
  // Whether the related-work pool was reordered by the trained reranker.
  retrieval["reranked"] = RerankerForModel(options.assessor.retrieve.rerank_model) != nullptr;
  retrieval["title_abstract"] = RecallJson(results, &PaperResult::recall_title_abstract);
  retrieval["tfidf_baseline"] = RecallJson(results, &PaperResult::recall_tfidf);
  retrieval["bm25_baseline"] = RecallJson(results, &PaperResult::recall_bm25);
  auto ratio = [&](const Json& a, const Json& b) {
    return a.is_number() && b.is_number() && b.get<double>() > 0
               ? Num(a.get<double>() / b.get<double>()) : Json(nullptr);
  };
  retrieval["recall@20_vs_tfidf"] = ratio(retrieval["recall@20"], retrieval["tfidf_baseline"]["recall@20"]);
  retrieval["title_abstract_recall@20_vs_tfidf"] =
      ratio(retrieval["title_abstract"]["recall@20"], retrieval["tfidf_baseline"]["recall@20"]);
  return retrieval;
}

// Claims per paper and verdicts; claim extraction F1 on the test sets given.
StatusOr<Json> ClaimsMetrics(const Totals& t, const EvalOptions& options) {
  Json claims = {{"n_claims", t.n_claims},
                 {"claims_per_paper", Num(static_cast<double>(t.n_claims) / t.assessments.size())},
                 {"verdicts", t.verdicts}};
  // The scorer the pipeline's extractor uses: the trained model with the cue
  // rules, or the rules alone when no model is found.
  auto scorer = ScorerForModel(options.assessor.extract.claims_model);
  claims["claims_model"] = ClaimsModelPath(options.assessor.extract.claims_model);
  const ExtractorOptions& eo = options.assessor.extract;
  if (!options.csabstruct_test.empty()) {
    auto s = EvaluateOnCsAbstruct(*scorer, options.csabstruct_test, eo);
    NOVELTA_RETURN_IF_ERROR(s.status());
    claims["csabstruct_f1"] = Num(s->f1);
    claims["csabstruct_precision"] = Num(s->precision);
    claims["csabstruct_recall"] = Num(s->recall);
  }
  if (!options.ncg_test.empty()) {
    auto s = EvaluateOnNcg(*scorer, options.ncg_test, eo);
    NOVELTA_RETURN_IF_ERROR(s.status());
    claims["ncg_f1"] = Num(s->f1);
    claims["ncg_precision"] = Num(s->precision);
    claims["ncg_recall"] = Num(s->recall);
  }
  return claims;
}

// The calibration check of confident anticipated claims, beside every other
// verdict and confidence band, and the rate for any claim with evidence: how
// far confidence separates the claims whose evidence a reviewer also named.
Json EvidenceMetrics(const Totals& t) {
  auto share = [](int part, int whole) {
    return Num(whole > 0 ? static_cast<double>(part) / whole : std::nan(""));
  };
  Json bands = Json::array();
  int all_claims = 0, all_named = 0;
  for (const auto& [band, counts] : t.evidence_confirmation) {
    bands.push_back({{"verdict", band.first},
                     {"confidence", band.second ? "> 0.8" : "<= 0.8"},
                     {"claims", counts.first},
                     {"with_reviewer_named_evidence", counts.second},
                     {"share_reviewer_confirmed", share(counts.second, counts.first)}});
    all_claims += counts.first;
    all_named += counts.second;
  }
  return {{"confident_anticipated_claims", t.confident},
          {"in_papers_where_reviewers_named_works", t.confident_in_papers_with_named},
          {"with_reviewer_named_evidence", t.confident_named},
          {"share_reviewer_confirmed", share(t.confident_named, t.confident_in_papers_with_named)},
          {"by_verdict_and_confidence", bands},
          {"any_claim_with_evidence", {{"claims", all_claims},
                                       {"with_reviewer_named_evidence", all_named},
                                       {"share_reviewer_confirmed", share(all_named, all_claims)}}}};
}

Json TimingMetrics(std::vector<double> assess_ms, double wall_seconds, size_t n_papers, int threads) {
  std::sort(assess_ms.begin(), assess_ms.end());
  return {{"seconds_per_paper", Num(wall_seconds / n_papers)},
          {"wall_seconds", Num(wall_seconds)},
          {"threads", threads},
          {"assessment_ms_median", Num(assess_ms[assess_ms.size() / 2])},
          {"assessment_ms_p99", Num(assess_ms[std::min(assess_ms.size() - 1, assess_ms.size() * 99 / 100)])}};
}

}  // namespace

StatusOr<EvalResult> RunEvaluation(const std::string& dataset,
                                   std::shared_ptr<const PaperIndex> index,
                                   const EvalOptions& options) {
  Env* env = Env::Default();
  const uint64_t t0 = env->MonotonicMicros();
  NOVELTA_ASSIGN_OR_RETURN(Records lines, ReadRecords(dataset));
  const std::vector<size_t> order = SampleOrder(lines.size(), options);
  NOVELTA_ASSIGN_OR_RETURN(std::vector<PaperResult> results, EvaluateAll(lines, order, index, options));
  const double wall_seconds = (env->MonotonicMicros() - t0) / 1e6;

  Totals t = Sum(&results);
  if (t.assessments.empty())
    return Status::InvalidArgument(dataset + ": no paper could be evaluated; first error: " +
                                   (t.errors.empty() ? "none" : t.errors[0]));
  alignment::AlignmentOptions align_options;
  align_options.seed = options.seed;
  const alignment::AlignmentResult align =
      alignment::ComputeAlignment(t.assessments, t.humans, align_options);

  Json m;
  m["n_papers"] = t.assessments.size();
  m["n_reviews"] = t.n_reviews;
  m["n_failed"] = t.failed;
  m["first_errors"] = t.errors;
  m["dataset"] = dataset;
  m["index_id"] = index->index_id();
  m["seed"] = options.seed;
  m["limit"] = options.limit;
  m["conclusion"] = ConclusionMetrics(align);
  m["novelty_score"] = NoveltyScoreMetrics(t, results);
  m["reasoning"] = ReasoningMetrics(align);
  m["retrieval"] = RetrievalMetrics(results, options);
  NOVELTA_ASSIGN_OR_RETURN(m["claims"], ClaimsMetrics(t, options));
  m["evidence"] = EvidenceMetrics(t);
  m["trust"] = t.trust.ToJson();
  m["timing"] = TimingMetrics(std::move(t.assess_ms), wall_seconds, order.size(), options.threads);
  m["alignment"] = alignment::ToJson(align);
  EvalResult out;
  out.metrics = std::move(m);
  out.html = RenderEvaluationHtml(out.metrics);
  out.papers_jsonl = std::move(t.papers_jsonl);
  out.candidates_jsonl = std::move(t.candidates_jsonl);
  return out;
}

Status WriteEvaluation(const EvalResult& result, const std::string& dir, Env* env) {
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(dir));
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(dir + "/metrics.json", DumpJson(result.metrics, 2) + "\n"));
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(dir + "/papers.jsonl", result.papers_jsonl));
  if (!result.candidates_jsonl.empty())
    NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(dir + "/candidates.jsonl", result.candidates_jsonl));
  return env->WriteFileAtomic(dir + "/report.html", result.html);
}

}  // namespace novelta
