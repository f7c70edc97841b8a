// Computing alignment: the measures of alignment_result.h from assessments
// and read reviews; see alignment.h.
#include "alignment/alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "base/text.h"

namespace novelta::alignment {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int Label(ReviewConclusion c) { return static_cast<int>(c); }

// Pairs of labels grouped by paper, so that the bootstrap resamples papers.
struct GroupedPairs {
  std::vector<std::vector<std::pair<int, int>>> groups;
  size_t size() const {
    size_t n = 0;
    for (const auto& g : groups) n += g.size();
    return n;
  }
};

ConfusionMatrix MatrixOf(const GroupedPairs& pairs, const std::vector<size_t>* sample) {
  ConfusionMatrix m;
  m.n_classes = kNumConclusions;
  m.counts.assign(kNumConclusions, std::vector<int64_t>(kNumConclusions, 0));
  auto add = [&](size_t g) {
    for (const auto& [a, b] : pairs.groups[g]) ++m.counts[a][b];
  };
  if (sample) {
    for (size_t g : *sample) add(g);
  } else {
    for (size_t g = 0; g < pairs.groups.size(); ++g) add(g);
  }
  return m;
}

// accuracy, kappa (each with a bootstrap interval over papers), confusion matrix.
Agreement AgreementOf(const GroupedPairs& pairs, const AlignmentOptions& options) {
  Agreement out;
  BootstrapOptions b;
  b.seed = options.seed;
  b.resamples = options.bootstrap_resamples;
  out.confusion = MatrixOf(pairs, nullptr);
  out.accuracy = Accuracy(out.confusion);
  out.cohens_kappa = CohensKappa(out.confusion);
  out.accuracy_ci95 = BootstrapPercentile(
      pairs.groups.size(), [&](const std::vector<size_t>& s) { return Accuracy(MatrixOf(pairs, &s)); }, b);
  out.cohens_kappa_ci95 = BootstrapPercentile(
      pairs.groups.size(), [&](const std::vector<size_t>& s) { return CohensKappa(MatrixOf(pairs, &s)); },
      b);
  out.n_pairs = pairs.size();
  for (const auto& g : pairs.groups) out.n_papers += g.empty() ? 0 : 1;
  return out;
}

// Mean of per-pair values grouped by paper, with a bootstrap interval.
struct GroupedValues {
  std::vector<std::vector<double>> groups;
};

double MeanOf(const GroupedValues& v, const std::vector<size_t>* sample) {
  double sum = 0;
  size_t n = 0;
  auto add = [&](size_t g) {
    for (double x : v.groups[g]) {
      sum += x;
      ++n;
    }
  };
  if (sample) {
    for (size_t g : *sample) add(g);
  } else {
    for (size_t g = 0; g < v.groups.size(); ++g) add(g);
  }
  return n ? sum / static_cast<double>(n) : kNaN;
}

MeanFigure MeanFigureOf(const GroupedValues& v, const AlignmentOptions& options) {
  MeanFigure out;
  BootstrapOptions b;
  b.seed = options.seed;
  b.resamples = options.bootstrap_resamples;
  out.mean_ci95 = BootstrapPercentile(
      v.groups.size(), [&](const std::vector<size_t>& s) { return MeanOf(v, &s); }, b);
  for (const auto& g : v.groups) {
    out.n += g.size();
    out.n_papers += g.empty() ? 0 : 1;
  }
  out.mean = MeanOf(v, nullptr);
  return out;
}

double SetF1(const std::vector<Aspect>& a, const std::vector<Aspect>& b) {
  if (a.empty() && b.empty()) return kNaN;
  std::set<Aspect> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  size_t common = 0;
  for (Aspect x : sa) common += sb.count(x);
  return 2.0 * static_cast<double>(common) / static_cast<double>(sa.size() + sb.size());
}

// Share of `named` that `other` also holds; NaN when `named` is empty.
double Coverage(const std::vector<std::string>& named, const std::set<std::string>& other) {
  if (named.empty()) return kNaN;
  size_t hit = 0;
  for (const auto& id : named) hit += other.count(id);
  return static_cast<double>(hit) / static_cast<double>(named.size());
}

// Ordinal position of a conclusion on novel(0)..not_novel(2).
double Ordinal(ReviewConclusion c) { return static_cast<double>(Label(c)); }

// An unbiased draw in [0, n) that is the same on every standard library.
int Draw(std::mt19937_64* rng, int n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % static_cast<uint64_t>(n);
  uint64_t r;
  do {
    r = (*rng)();
  } while (r >= limit);
  return static_cast<int>(r % static_cast<uint64_t>(n));
}

// ---------------------------------------------------------------------------
// Human side.

// Leave-one-out and pairwise human figures over `papers`.
struct HumanFigures {
  GroupedPairs review_pairs;     // ordered pairs of opinionated reviews of a paper
  GroupedPairs review_vs_rest;   // review vs majority of the paper's other reviews
  std::vector<std::vector<int>> units;  // for Krippendorff's alpha
  GroupedValues aspect_f1;
  GroupedValues prior_overlap;
  GroupedValues rationale;
  std::vector<double> score_self, score_rest;  // originality vs mean of the others
};

HumanFigures ComputeHumanFigures(const std::vector<const HumanPaper*>& papers) {
  HumanFigures f;
  std::vector<std::string> docs;
  std::vector<std::vector<size_t>> doc_of(papers.size());
  for (size_t p = 0; p < papers.size(); ++p)
    for (const auto& r : papers[p]->reviews) {
      doc_of[p].push_back(docs.size());
      docs.push_back(StatementsText(r));
    }
  TfIdf tfidf(docs);
  for (size_t p = 0; p < papers.size(); ++p) {
    const auto& reviews = papers[p]->reviews;
    auto& pairs = f.review_pairs.groups.emplace_back();
    auto& rest = f.review_vs_rest.groups.emplace_back();
    auto& unit = f.units.emplace_back();
    auto& f1 = f.aspect_f1.groups.emplace_back();
    auto& overlap = f.prior_overlap.groups.emplace_back();
    auto& rationale = f.rationale.groups.emplace_back();
    for (size_t i = 0; i < reviews.size(); ++i) {
      const auto& ri = reviews[i];
      unit.push_back(HasOpinion(ri.conclusion) ? Label(ri.conclusion) : kMissing);
      std::vector<ReviewConclusion> others;
      std::set<std::string> others_named;
      double score_sum = 0;
      int score_n = 0;
      for (size_t j = 0; j < reviews.size(); ++j) {
        if (j == i) continue;
        const auto& rj = reviews[j];
        others.push_back(rj.conclusion);
        others_named.insert(rj.resolved_prior_ids.begin(), rj.resolved_prior_ids.end());
        if (rj.originality) {
          score_sum += rj.originality;
          ++score_n;
        }
        if (HasOpinion(ri.conclusion) && HasOpinion(rj.conclusion))
          pairs.push_back({Label(ri.conclusion), Label(rj.conclusion)});
        if (!ri.aspects.empty() && !rj.aspects.empty()) f1.push_back(SetF1(ri.aspects, rj.aspects));
        if (j > i && !docs[doc_of[p][i]].empty() && !docs[doc_of[p][j]].empty())
          rationale.push_back(tfidf.Cosine(doc_of[p][i], doc_of[p][j]));
      }
      ReviewConclusion majority_rest = MajorityConclusion(others);
      if (HasOpinion(ri.conclusion) && HasOpinion(majority_rest))
        rest.push_back({Label(ri.conclusion), Label(majority_rest)});
      if (reviews.size() >= 2 && !ri.resolved_prior_ids.empty())
        overlap.push_back(Coverage(ri.resolved_prior_ids, others_named));
      if (ri.originality && score_n > 0) {
        f.score_self.push_back(ri.originality);
        f.score_rest.push_back(score_sum / score_n);
      }
    }
  }
  return f;
}

double SpearmanOrNaN(const std::vector<double>& x, const std::vector<double>& y) {
  auto s = SpearmanCorrelation(x, y);
  return s.ok() ? *s : kNaN;
}

double AlphaOrNaN(const std::vector<std::vector<int>>& units) {
  auto a = KrippendorffAlphaNominal(units, kNumConclusions);
  return a.ok() ? *a : kNaN;
}

// The named works of one review, counted into `w`.
void CountNamedWorks(const ReviewReading& r, ReviewReadingSummary::NamedWorks* w) {
  for (const auto& s : r.statements)
    for (const auto& work : s.named_works) {
      ++w->named;
      auto& k = w->by_kind[NamedWorkKindName(work.kind)];
      ++k["named"];
      if (!work.reference.empty()) {
        ++w->matched_reference_entry;
        ++k["matched_reference"];
      }
      if (!work.corpus_id.empty()) {
        ++w->resolved_to_corpus;
        ++k["resolved"];
      }
    }
  if (!r.resolved_prior_ids.empty()) ++w->reviews_with_resolved_work;
}

// How the reviews were read: statements, stances, text-vs-score agreement and
// named works.
ReviewReadingSummary SummarizeReviewReading(const std::vector<const HumanPaper*>& papers,
                                            const AlignmentOptions& options) {
  ReviewReadingSummary out;
  GroupedPairs text_vs_score, text_vs_score_binary;
  out.n_papers = papers.size();
  for (const HumanPaper* p : papers) {
    if (p->n_references > 0) ++out.named_works.papers_with_references_list;
    auto& g = text_vs_score.groups.emplace_back();
    auto& gb = text_vs_score_binary.groups.emplace_back();
    for (const auto& r : p->reviews) {
      ++out.n_reviews;
      if (!r.statements.empty()) ++out.reviews_with_novelty_statement;
      bool stance = false;
      for (const auto& s : r.statements) {
        ++out.n_statements;
        ++out.statement_stances[StanceName(s.stance)];
        if (s.stance != Stance::kNeutral) stance = true;
        ++out.statement_aspects[AspectName(s.aspect)];
      }
      CountNamedWorks(r, &out.named_works);
      if (stance) ++out.reviews_with_stance;
      ++out.combined_conclusions[ReviewConclusionName(r.conclusion)];
      ++out.text_conclusions[ReviewConclusionName(r.text_conclusion)];
      if (HasOpinion(r.text_conclusion) && HasOpinion(r.score_conclusion)) {
        g.push_back({Label(r.text_conclusion), Label(r.score_conclusion)});
        // Binary: novel vs (incremental or not novel), stored as labels 0 / 1.
        gb.push_back({r.text_conclusion == ReviewConclusion::kNovel ? 0 : 1,
                      r.score_conclusion == ReviewConclusion::kNovel ? 0 : 1});
      }
    }
  }
  out.text_vs_score_three_class = AgreementOf(text_vs_score, options);
  out.text_vs_score_binary = AgreementOf(text_vs_score_binary, options);
  return out;
}

HumanCeiling CeilingOf(const HumanFigures& f, const AlignmentOptions& options) {
  HumanCeiling c;
  c.conclusion_per_review = AgreementOf(f.review_pairs, options);
  c.conclusion_per_paper = AgreementOf(f.review_vs_rest, options);
  c.krippendorff_alpha = AlphaOrNaN(f.units);
  c.aspect_f1 = MeanFigureOf(f.aspect_f1, options);
  c.prior_work_overlap = MeanFigureOf(f.prior_overlap, options);
  c.rationale_similarity = MeanFigureOf(f.rationale, options);
  c.originality_spearman = SpearmanOrNaN(f.score_self, f.score_rest);
  return c;
}

// ---------------------------------------------------------------------------
// The phases of ComputeAlignment.

// The assessments that have a paper with reviews, beside their papers.
struct MatchedPapers {
  std::vector<const Assessment*> assessments;
  std::vector<const HumanPaper*> papers;
  std::vector<std::string> unmatched;  // paper ids of the other assessments
};

MatchedPapers MatchPapers(const std::vector<Assessment>& assessments,
                          const std::vector<HumanPaper>& papers) {
  std::unordered_map<std::string, const HumanPaper*> by_id;
  for (const auto& p : papers) by_id[p.paper_id] = &p;
  MatchedPapers m;
  for (const auto& a : assessments) {
    auto it = by_id.find(a.paper_id);
    if (it == by_id.end() || it->second->reviews.empty()) {
      m.unmatched.push_back(a.paper_id);
      continue;
    }
    m.assessments.push_back(&a);
    m.papers.push_back(it->second);
  }
  return m;
}

// The most frequent opinionated conclusion of the reviews (the first on a tie).
int MajorityClass(const std::vector<const HumanPaper*>& papers) {
  int class_counts[kNumConclusions] = {0, 0, 0};
  for (const HumanPaper* p : papers)
    for (const auto& r : p->reviews)
      if (HasOpinion(r.conclusion)) ++class_counts[Label(r.conclusion)];
  return static_cast<int>(std::max_element(class_counts, class_counts + kNumConclusions) - class_counts);
}

// The labels conclusion agreement is computed from, grouped by paper.
struct ConclusionPairs {
  // (first rater, reference) per opinionated review and per paper majority,
  // for the assessment and the two baselines.
  GroupedPairs per_review, per_paper, majority_review, majority_paper, random_review, random_paper;
  std::vector<std::vector<int>> units_with_assessment;  // per paper: the assessment, then each review
  size_t excluded_no_opinion = 0, papers_without_majority = 0;
  // Papers with an originality score: the assessment (more novel higher) and the mean score.
  std::vector<double> assessment_ordinal, mean_originality;
};

void AddConclusionPairs(ReviewConclusion conclusion, const HumanPaper& p, int majority_class,
                        int random_label, ConclusionPairs* c) {
  const int label = Label(conclusion);
  auto& g_review = c->per_review.groups.emplace_back();
  auto& g_paper = c->per_paper.groups.emplace_back();
  auto& g_maj_review = c->majority_review.groups.emplace_back();
  auto& g_maj_paper = c->majority_paper.groups.emplace_back();
  auto& g_rand_review = c->random_review.groups.emplace_back();
  auto& g_rand_paper = c->random_paper.groups.emplace_back();
  auto& unit = c->units_with_assessment.emplace_back();
  unit.push_back(label);
  double score_sum = 0;
  int score_n = 0;
  for (const auto& r : p.reviews) {
    if (HasOpinion(r.conclusion)) {
      g_review.push_back({label, Label(r.conclusion)});
      g_maj_review.push_back({majority_class, Label(r.conclusion)});
      g_rand_review.push_back({random_label, Label(r.conclusion)});
      unit.push_back(Label(r.conclusion));
    } else {
      ++c->excluded_no_opinion;
      unit.push_back(kMissing);
    }
    if (r.originality) {
      score_sum += r.originality;
      ++score_n;
    }
  }
  if (HasOpinion(p.majority)) {
    g_paper.push_back({label, Label(p.majority)});
    g_maj_paper.push_back({majority_class, Label(p.majority)});
    g_rand_paper.push_back({random_label, Label(p.majority)});
  } else {
    ++c->papers_without_majority;
  }
  if (score_n) {
    // Higher originality means more novel; the ordinal runs novel(0)..not_novel(2).
    c->assessment_ordinal.push_back(-Ordinal(conclusion));
    c->mean_originality.push_back(score_sum / score_n);
  }
}

ConclusionAlignment ConclusionOf(const ConclusionPairs& c, int majority_class,
                                 const AlignmentOptions& options) {
  std::vector<std::vector<int>> human_units;
  for (const auto& u : c.units_with_assessment) human_units.emplace_back(u.begin() + 1, u.end());
  ConclusionAlignment out;
  out.per_review = {AgreementOf(c.per_review, options), AgreementOf(c.majority_review, options),
                    AgreementOf(c.random_review, options)};
  out.per_paper = {AgreementOf(c.per_paper, options), AgreementOf(c.majority_paper, options),
                   AgreementOf(c.random_paper, options)};
  out.majority_class = static_cast<ReviewConclusion>(majority_class);
  out.krippendorff_alpha_humans = AlphaOrNaN(human_units);
  out.krippendorff_alpha_humans_and_assessment = AlphaOrNaN(c.units_with_assessment);
  out.originality_spearman = SpearmanOrNaN(c.assessment_ordinal, c.mean_originality);
  out.originality_spearman_n_papers = c.assessment_ordinal.size();
  return out;
}

// The per-pair values of the reasoning measures, grouped by paper.
struct ReasoningValues {
  GroupedValues aspect_f1, prior_overlap, rationale;
};

// The documents of the rationale similarity: per matched paper, the
// assessment's reasoning, then each review's novelty statements.
std::vector<std::string> RationaleDocuments(const MatchedPapers& m) {
  std::vector<std::string> docs;
  for (size_t i = 0; i < m.papers.size(); ++i) {
    docs.push_back(m.assessments[i]->reasoning);
    for (const auto& r : m.papers[i]->reviews) docs.push_back(StatementsText(r));
  }
  return docs;
}

// One paper's values; `*doc` is the index of its assessment's document in
// `docs` (RationaleDocuments) and is moved past its reviews' documents.
void AddReasoningValues(const Assessment& a, const std::vector<Aspect>& aspects, const HumanPaper& p,
                        const std::vector<std::string>& docs, const TfIdf& tfidf, size_t* doc,
                        ReasoningValues* v) {
  std::set<std::string> cited(a.cited_prior_ids.begin(), a.cited_prior_ids.end());
  auto& f1 = v->aspect_f1.groups.emplace_back();
  auto& overlap = v->prior_overlap.groups.emplace_back();
  auto& sim = v->rationale.groups.emplace_back();
  size_t assessment_doc = (*doc)++;
  for (const auto& r : p.reviews) {
    size_t review_doc = (*doc)++;
    if (!r.aspects.empty() && !aspects.empty()) f1.push_back(SetF1(aspects, r.aspects));
    if (!r.resolved_prior_ids.empty()) overlap.push_back(Coverage(r.resolved_prior_ids, cited));
    if (!docs[review_doc].empty() && !docs[assessment_doc].empty())
      sim.push_back(tfidf.Cosine(assessment_doc, review_doc));
  }
}

// How the prose assessments among `assessments` were read.
ProseReadingSummary SummarizeProse(const std::vector<Assessment>& assessments) {
  ProseReadingSummary out;
  for (const Assessment& a : assessments) {
    if (a.kind != AssessmentKind::kProse) continue;
    ++out.assessments;
    if (!a.reading.statements.empty()) ++out.with_novelty_statement;
    bool stance = false;
    for (const auto& s : a.reading.statements) {
      ++out.statements;
      if (s.stance != Stance::kNeutral) stance = true;
      for (const auto& w : s.named_works) {
        ++out.named_works;
        if (!w.reference.empty()) ++out.named_works_matched_reference_entry;
        if (!w.corpus_id.empty()) ++out.named_works_resolved_to_corpus;
      }
    }
    if (stance) ++out.with_stance;
    ++out.conclusions[ReviewConclusionName(a.conclusion)];
    if (!HasOpinion(a.conclusion)) ++out.without_conclusion;
  }
  return out;
}

AlignmentCounts CountsOf(size_t n_assessments, size_t n_papers, const MatchedPapers& m,
                         const ConclusionPairs& c) {
  AlignmentCounts counts;
  counts.assessments = n_assessments;
  counts.papers_with_reviews = n_papers;
  counts.papers_matched = m.papers.size();
  counts.assessments_without_reviews = m.unmatched.size();
  for (const HumanPaper* p : m.papers) counts.reviews += p->reviews.size();
  counts.reviews_no_opinion_excluded = c.excluded_no_opinion;
  counts.papers_without_majority_excluded = c.papers_without_majority;
  for (size_t i = 0; i < m.unmatched.size() && i < 20; ++i)
    counts.first_assessments_without_reviews.push_back(m.unmatched[i]);
  return counts;
}

}  // namespace

AlignmentResult ComputeAlignment(const std::vector<Assessment>& assessments,
                                 const std::vector<HumanPaper>& papers, const AlignmentOptions& options) {
  const MatchedPapers matched = MatchPapers(assessments, papers);
  const int majority_class = MajorityClass(matched.papers);
  AlignmentResult result;
  result.options = options;

  // One pass over the matched papers, in order: the random baseline draws
  // one label per paper from a generator seeded with options.seed.
  std::mt19937_64 rng(options.seed);
  const std::vector<std::string> docs = RationaleDocuments(matched);
  const TfIdf tfidf(docs);
  size_t doc = 0;
  ConclusionPairs pairs;
  ReasoningValues values;
  size_t no_conclusion = 0;
  for (size_t m = 0; m < matched.papers.size(); ++m) {
    const Assessment& a = *matched.assessments[m];
    const HumanPaper& p = *matched.papers[m];
    std::vector<Aspect> aspects = AssessmentAspects(a);
    const int random_label = Draw(&rng, kNumConclusions);
    // A prose assessment that states no conclusion takes no part in
    // conclusion agreement (nor do the baselines on its paper).
    if (HasOpinion(a.conclusion)) {
      AddConclusionPairs(a.conclusion, p, majority_class, random_label, &pairs);
    } else {
      ++no_conclusion;
    }
    AddReasoningValues(a, aspects, p, docs, tfidf, &doc, &values);
    result.papers.push_back({p, a.conclusion, std::move(aspects), a.cited_prior_ids.size(), a.origin, a.kind,
                             a.reading.statements});
  }

  result.counts = CountsOf(assessments.size(), papers.size(), matched, pairs);
  result.counts.assessments_no_conclusion_excluded = no_conclusion;
  result.input = AssessmentInputName(assessments);
  if (result.input != "reports") result.prose_reading = SummarizeProse(assessments);
  result.conclusion = ConclusionOf(pairs, majority_class, options);
  result.reasoning = {MeanFigureOf(values.aspect_f1, options), MeanFigureOf(values.prior_overlap, options),
                      MeanFigureOf(values.rationale, options)};
  result.human_ceiling = CeilingOf(ComputeHumanFigures(matched.papers), options);
  result.review_reading = SummarizeReviewReading(matched.papers, options);
  return result;
}

HumanOnlyResult ComputeHumanOnly(const std::vector<HumanPaper>& papers, const AlignmentOptions& options) {
  std::vector<const HumanPaper*> all;
  for (const auto& p : papers) all.push_back(&p);
  HumanOnlyResult result;
  result.options = options;
  result.review_reading = SummarizeReviewReading(all, options);
  result.human_ceiling = CeilingOf(ComputeHumanFigures(all), options);
  result.papers = papers;
  return result;
}

TfIdf::TfIdf(const std::vector<std::string>& documents) {
  std::unordered_map<std::string, uint32_t> vocab;
  std::vector<std::vector<std::pair<uint32_t, double>>> counts(documents.size());
  std::vector<uint32_t> df;
  for (size_t d = 0; d < documents.size(); ++d) {
    std::map<uint32_t, double> tf;
    for (const auto& w : WordTokens(documents[d])) {
      if (IsStopword(w) || w.size() < 2) continue;
      auto [it, inserted] = vocab.emplace(w, static_cast<uint32_t>(vocab.size()));
      if (inserted) df.push_back(0);
      tf[it->second] += 1;
    }
    for (const auto& [term, n] : tf) {
      ++df[term];
      counts[d].push_back({term, n});
    }
  }
  const double n_docs = static_cast<double>(documents.size());
  vectors_.resize(documents.size());
  for (size_t d = 0; d < documents.size(); ++d) {
    double norm = 0;
    for (auto& [term, n] : counts[d]) {
      // Smoothed IDF (as in scikit-learn): a term in every document still counts a little.
      double idf = std::log((1.0 + n_docs) / (1.0 + df[term])) + 1.0;
      double w = (1.0 + std::log(n)) * idf;
      vectors_[d].push_back({term, w});
      norm += w * w;
    }
    norm = std::sqrt(norm);
    if (norm > 0)
      for (auto& [term, w] : vectors_[d]) w /= norm;
  }
}

double TfIdf::Cosine(size_t a, size_t b) const {
  if (a >= vectors_.size() || b >= vectors_.size()) return 0;
  const auto& x = vectors_[a];
  const auto& y = vectors_[b];
  size_t i = 0, k = 0;
  double dot = 0;
  while (i < x.size() && k < y.size()) {
    if (x[i].first == y[k].first) {
      dot += x[i].second * y[k].second;
      ++i;
      ++k;
    } else if (x[i].first < y[k].first) {
      ++i;
    } else {
      ++k;
    }
  }
  return std::clamp(dot, 0.0, 1.0);
}

Status WriteAlignment(const Json& result, const std::string& dir, Env* env) {
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(dir));
  return env->WriteFileAtomic(dir + "/alignment.json", DumpJson(result, 2) + "\n");
}

}  // namespace novelta::alignment
