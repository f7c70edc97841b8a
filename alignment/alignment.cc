#include "alignment/alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <unordered_map>

#include "base/line_reader.h"
#include "base/sentence_splitter.h"
#include "base/text.h"
#include "novelta/model.h"

namespace novelta::alignment {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int Label(ReviewConclusion c) { return static_cast<int>(c); }
bool HasOpinion(ReviewConclusion c) { return c != ReviewConclusion::kNoOpinion; }

Json LabelNames() {
  Json names = Json::array();
  for (int i = 0; i < kNumConclusions; ++i)
    names.push_back(ReviewConclusionName(static_cast<ReviewConclusion>(i)));
  return names;
}

Json AspectList(const std::vector<Aspect>& aspects) {
  Json j = Json::array();
  for (Aspect a : aspects) j.push_back(AspectName(a));
  return j;
}

Json IntervalJson(const Interval& iv) { return Json::array({NumberOrNull(iv.low), NumberOrNull(iv.high)}); }

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
Json AgreementJson(const GroupedPairs& pairs, const AlignmentOptions& options) {
  ConfusionMatrix m = MatrixOf(pairs, nullptr);
  BootstrapOptions b;
  b.seed = options.seed;
  b.resamples = options.bootstrap_resamples;
  Interval acc_ci = BootstrapPercentile(
      pairs.groups.size(), [&](const std::vector<size_t>& s) { return Accuracy(MatrixOf(pairs, &s)); }, b);
  Interval kappa_ci = BootstrapPercentile(
      pairs.groups.size(), [&](const std::vector<size_t>& s) { return CohensKappa(MatrixOf(pairs, &s)); },
      b);
  size_t papers = 0;
  for (const auto& g : pairs.groups) papers += g.empty() ? 0 : 1;
  return {{"n_pairs", pairs.size()},
          {"n_papers", papers},
          {"accuracy", NumberOrNull(Accuracy(m))},
          {"accuracy_ci95", IntervalJson(acc_ci)},
          {"cohens_kappa", NumberOrNull(CohensKappa(m))},
          {"cohens_kappa_ci95", IntervalJson(kappa_ci)},
          {"confusion", ToJson(m)}};
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

Json MeanJson(const GroupedValues& v, const AlignmentOptions& options) {
  BootstrapOptions b;
  b.seed = options.seed;
  b.resamples = options.bootstrap_resamples;
  Interval ci = BootstrapPercentile(
      v.groups.size(), [&](const std::vector<size_t>& s) { return MeanOf(v, &s); }, b);
  size_t n = 0, papers = 0;
  for (const auto& g : v.groups) {
    n += g.size();
    papers += g.empty() ? 0 : 1;
  }
  return {{"n", n}, {"n_papers", papers}, {"mean", NumberOrNull(MeanOf(v, nullptr))},
          {"mean_ci95", IntervalJson(ci)}};
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

std::string StatementsText(const ReviewReading& r) {
  std::string text;
  for (const auto& s : r.statements) {
    if (!text.empty()) text += ' ';
    text += s.text;
  }
  return text;
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

// How the reviews were read: statements, stances, text-vs-score agreement and
// named works.
Json ReviewReadingSummary(const std::vector<const HumanPaper*>& papers, const AlignmentOptions& options) {
  size_t n_reviews = 0, with_statement = 0, with_stance = 0, n_statements = 0;
  std::map<std::string, size_t> stance_counts, aspect_counts, conclusion_counts, text_counts;
  GroupedPairs text_vs_score, text_vs_score_binary;
  size_t named = 0, named_with_reference = 0, named_resolved = 0, reviews_with_resolved = 0;
  std::map<std::string, std::map<std::string, size_t>> by_kind;
  size_t papers_with_references = 0;
  for (const HumanPaper* p : papers) {
    if (p->n_references > 0) ++papers_with_references;
    auto& g = text_vs_score.groups.emplace_back();
    auto& gb = text_vs_score_binary.groups.emplace_back();
    for (const auto& r : p->reviews) {
      ++n_reviews;
      if (!r.statements.empty()) ++with_statement;
      bool stance = false;
      for (const auto& s : r.statements) {
        ++n_statements;
        ++stance_counts[StanceName(s.stance)];
        if (s.stance != Stance::kNeutral) stance = true;
        ++aspect_counts[AspectName(s.aspect)];
        for (const auto& w : s.named_works) {
          ++named;
          auto& k = by_kind[NamedWorkKindName(w.kind)];
          ++k["named"];
          if (!w.reference.empty()) {
            ++named_with_reference;
            ++k["matched_reference"];
          }
          if (!w.corpus_id.empty()) {
            ++named_resolved;
            ++k["resolved"];
          }
        }
      }
      if (stance) ++with_stance;
      if (!r.resolved_prior_ids.empty()) ++reviews_with_resolved;
      ++conclusion_counts[ReviewConclusionName(r.conclusion)];
      ++text_counts[ReviewConclusionName(r.text_conclusion)];
      if (HasOpinion(r.text_conclusion) && HasOpinion(r.score_conclusion)) {
        g.push_back({Label(r.text_conclusion), Label(r.score_conclusion)});
        // Binary: novel vs (incremental or not novel), stored as labels 0 / 1.
        gb.push_back({r.text_conclusion == ReviewConclusion::kNovel ? 0 : 1,
                      r.score_conclusion == ReviewConclusion::kNovel ? 0 : 1});
      }
    }
  }
  auto share = [](size_t a, size_t b) { return b ? NumberOrNull(double(a) / double(b)) : Json(nullptr); };
  Json kinds = Json::object();
  for (const auto& [k, m] : by_kind) kinds[k] = m;
  return {
      {"n_papers", papers.size()},
      {"n_reviews", n_reviews},
      {"n_statements", n_statements},
      {"reviews_with_novelty_statement", with_statement},
      {"share_reviews_with_novelty_statement", share(with_statement, n_reviews)},
      {"reviews_with_stance", with_stance},
      {"share_reviews_with_stance", share(with_stance, n_reviews)},
      {"statement_stances", stance_counts},
      {"statement_aspects", aspect_counts},
      {"text_conclusions", text_counts},
      {"combined_conclusions", conclusion_counts},
      {"text_vs_score",
       {{"note", "reviews whose text takes a side, text-derived conclusion vs the originality "
                 "score mapped alone (4,3 novel; 2 incremental; 1 not novel)"},
        {"three_class", AgreementJson(text_vs_score, options)},
        {"binary_novel_vs_not", AgreementJson(text_vs_score_binary, options)}}},
      {"named_works",
       {{"named", named},
        {"matched_reference_entry", named_with_reference},
        {"resolved_to_corpus", named_resolved},
        {"share_resolved", share(named_resolved, named)},
        {"reviews_with_resolved_work", reviews_with_resolved},
        {"papers_with_references_list", papers_with_references},
        {"by_kind", kinds}}},
  };
}

Json HumanCeilingJson(const HumanFigures& f, const AlignmentOptions& options) {
  return {
      {"conclusion_per_review", AgreementJson(f.review_pairs, options)},
      {"conclusion_per_paper", AgreementJson(f.review_vs_rest, options)},
      {"krippendorff_alpha", NumberOrNull(AlphaOrNaN(f.units))},
      {"aspect_f1", MeanJson(f.aspect_f1, options)},
      {"prior_work_overlap", MeanJson(f.prior_overlap, options)},
      {"rationale_similarity", MeanJson(f.rationale, options)},
      {"originality_spearman", NumberOrNull(SpearmanOrNaN(f.score_self, f.score_rest))},
  };
}

std::string Where(std::string_view path, uint64_t line) {
  return std::string(path) + ":" + std::to_string(line);
}

}  // namespace

// ---------------------------------------------------------------------------

ReviewConclusion MajorityConclusion(const std::vector<ReviewConclusion>& labels) {
  int counts[kNumConclusions] = {0, 0, 0};
  int n = 0;
  double sum = 0;
  for (auto c : labels)
    if (HasOpinion(c)) {
      ++counts[Label(c)];
      ++n;
      sum += Ordinal(c);
    }
  if (n == 0) return ReviewConclusion::kNoOpinion;
  int best = *std::max_element(counts, counts + kNumConclusions);
  double mean = sum / n;
  int choice = -1;
  for (int c = 0; c < kNumConclusions; ++c) {
    if (counts[c] != best) continue;
    if (choice < 0 || std::fabs(c - mean) < std::fabs(choice - mean) - 1e-9) choice = c;
  }
  return static_cast<ReviewConclusion>(choice);
}

StatusOr<Assessment> AssessmentFromJson(const Json& j, std::string_view what) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": expected a JSON object");
  Assessment a;
  a.origin = std::string(what);
  if (j.contains("submission")) {
    auto report = ReportFromJson(j);
    if (!report.ok()) return report.status().WithPrefix(what);
    if (report->submission.id.empty())
      return Status::InvalidArgument(std::string(what) + ": report has no submission.id");
    a.paper_id = report->submission.id;
    a.conclusion = static_cast<ReviewConclusion>(static_cast<int>(report->conclusion));
    a.reasoning = report->reasoning;
    for (const auto& p : report->related_work)
      if (!p.id.empty()) a.cited_prior_ids.push_back(p.id);
    std::set<Aspect> seen;
    for (const auto& c : report->claims) {
      Aspect aspect = Aspect::kMethod;
      switch (c.claim.type) {
        case ClaimType::kMethod: aspect = Aspect::kMethod; break;
        case ClaimType::kTask: aspect = Aspect::kProblem; break;
        case ClaimType::kDataset: aspect = Aspect::kData; break;
        case ClaimType::kResult: aspect = Aspect::kResults; break;
        case ClaimType::kTheory: aspect = Aspect::kTheory; break;
        case ClaimType::kAnalysis: aspect = Aspect::kResults; break;
      }
      if (seen.insert(aspect).second) a.claim_aspects.push_back(aspect);
    }
    return a;
  }
  NOVELTA_RETURN_IF_ERROR(GetString(j, "paper_id", what, &a.paper_id, /*required=*/true));
  if (a.paper_id.empty()) return Status::InvalidArgument(std::string(what) + ": 'paper_id' is empty");
  std::string conclusion;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "conclusion", what, &conclusion, /*required=*/true));
  if (!ParseReviewConclusion(conclusion, &a.conclusion) || !HasOpinion(a.conclusion))
    return Status::InvalidArgument(std::string(what) + ": 'conclusion' must be novel, incremental or "
                                   "not_novel, got '" + conclusion + "'");
  NOVELTA_RETURN_IF_ERROR(GetString(j, "reasoning", what, &a.reasoning, /*required=*/false));
  if (j.contains("cited_prior_ids") && !j["cited_prior_ids"].is_null()) {
    if (!j["cited_prior_ids"].is_array())
      return Status::InvalidArgument(std::string(what) + ": 'cited_prior_ids' must be an array of strings");
    for (const auto& v : j["cited_prior_ids"]) {
      if (!v.is_string())
        return Status::InvalidArgument(std::string(what) + ": 'cited_prior_ids' must be an array of strings");
      a.cited_prior_ids.push_back(v.get<std::string>());
    }
  }
  return a;
}

StatusOr<std::vector<Assessment>> LoadAssessments(const std::string& path) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<Assessment> out;
  std::set<std::string> ids;
  auto add = [&](Assessment a) -> Status {
    if (!ids.insert(a.paper_id).second)
      return Status::InvalidArgument(a.origin + ": paper '" + a.paper_id + "' is assessed twice");
    out.push_back(std::move(a));
    return Status::OK();
  };
  std::string line;
  bool too_long = false;
  // A file whose first non-blank character is '[' is one JSON array, possibly
  // spread over many lines.
  std::string array_text;
  bool is_array = false;
  bool first = true;
  while (reader->Next(&line, &too_long)) {
    if (too_long)
      return Status::InvalidArgument(Where(path, reader->line_number()) + ": line too long");
    std::string_view t = Trim(line);
    if (first) {
      if (t.empty()) continue;
      first = false;
      is_array = t[0] == '[';
    }
    if (is_array) {
      array_text += line;
      array_text += '\n';
      continue;
    }
    if (t.empty()) continue;
    std::string what = Where(path, reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(t, what));
    NOVELTA_ASSIGN_OR_RETURN(Assessment a, AssessmentFromJson(j, what));
    NOVELTA_RETURN_IF_ERROR(add(std::move(a)));
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  if (is_array) {
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(array_text, path));
    if (!j.is_array()) return Status::InvalidArgument(path + ": expected a JSON array");
    for (size_t i = 0; i < j.size(); ++i) {
      NOVELTA_ASSIGN_OR_RETURN(Assessment a,
                               AssessmentFromJson(j[i], path + "[" + std::to_string(i) + "]"));
      NOVELTA_RETURN_IF_ERROR(add(std::move(a)));
    }
  }
  return out;
}

std::vector<Aspect> AssessmentAspects(const Assessment& a) {
  std::vector<Aspect> out = a.claim_aspects;
  std::set<Aspect> seen(out.begin(), out.end());
  for (const SentenceSpan& span : SplitSentences(a.reasoning)) {
    if (span.end <= span.start || span.end > a.reasoning.size()) continue;
    auto aspect = AspectOfText(std::string_view(a.reasoning).substr(span.start, span.end - span.start));
    if (aspect && seen.insert(*aspect).second) out.push_back(*aspect);
  }
  return out;
}

StatusOr<HumanPaper> HumanPaperFromJson(const Json& j, std::string_view what,
                                        const PriorWorkResolver* resolver) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": expected a JSON object");
  HumanPaper p;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "id", what, &p.paper_id, /*required=*/true));
  if (p.paper_id.empty()) return Status::InvalidArgument(std::string(what) + ": 'id' is empty");
  NOVELTA_RETURN_IF_ERROR(GetString(j, "title", what, &p.title, /*required=*/false));
  if (!j.contains("reviews") || !j["reviews"].is_array())
    return Status::InvalidArgument(std::string(what) + ": paper '" + p.paper_id +
                                   "' needs a 'reviews' array");
  PaperContext context;
  if (j.contains("references") && j["references"].is_array()) {
    int n = 0;
    for (const auto& r : j["references"]) {
      ++n;
      if (!r.is_string()) continue;
      ReferenceEntry e;
      // "[3] ..." labels are kept as numbers; otherwise the list position is the number.
      auto parsed = ParseReferenceEntries(r.get<std::string>());
      if (!parsed.empty()) {
        e = parsed.front();
        if (e.number == 0) e.number = n;
      } else {
        continue;
      }
      context.references.push_back(std::move(e));
    }
  } else if (j.contains("fulltext") && j["fulltext"].is_string()) {
    context.references = ReferencesFromFulltext(j["fulltext"].get_ref<const std::string&>());
  }
  p.n_references = context.references.size();
  ReviewReaderOptions options;
  options.resolver = resolver;
  std::set<std::string> named;
  std::set<Aspect> aspects;
  std::vector<ReviewConclusion> conclusions;
  for (size_t i = 0; i < j["reviews"].size(); ++i) {
    const Json& rj = j["reviews"][i];
    std::string rwhat = std::string(what) + ": review " + std::to_string(i);
    if (!rj.is_object()) return Status::InvalidArgument(rwhat + ": expected a JSON object");
    std::string text;
    NOVELTA_RETURN_IF_ERROR(GetString(rj, "text", rwhat, &text, /*required=*/false));
    int64_t originality = 0;
    if (rj.contains("originality") && rj["originality"].is_null()) {
      originality = 0;
    } else {
      NOVELTA_RETURN_IF_ERROR(GetInt(rj, "originality", rwhat, &originality, /*required=*/false));
      if (originality < 0 || originality > 4)
        return Status::InvalidArgument(rwhat + ": 'originality' must be 1-4, got " +
                                       std::to_string(originality));
    }
    ReviewReading reading = ReadReview(text, static_cast<int>(originality), context, options);
    for (const auto& id : reading.resolved_prior_ids)
      if (named.insert(id).second) p.named_prior_ids.push_back(id);
    for (Aspect a : reading.aspects)
      if (aspects.insert(a).second) p.aspects.push_back(a);
    conclusions.push_back(reading.conclusion);
    p.reviews.push_back(std::move(reading));
  }
  p.majority = MajorityConclusion(conclusions);
  return p;
}

StatusOr<std::vector<HumanPaper>> LoadHumanPapers(const std::string& path,
                                                  const HumanLoadOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<HumanPaper> out;
  std::set<std::string> ids;
  std::string line;
  bool too_long = false;
  while (reader->Next(&line, &too_long)) {
    std::string what = Where(path, reader->line_number());
    if (too_long) return Status::InvalidArgument(what + ": line too long");
    if (Trim(line).empty()) continue;
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, what));
    if (options.only_ids) {
      if (!j.is_object() || !j.contains("id") || !j["id"].is_string() ||
          !options.only_ids->count(j["id"].get<std::string>()))
        continue;
    }
    NOVELTA_ASSIGN_OR_RETURN(HumanPaper p, HumanPaperFromJson(j, what, options.resolver));
    if (!ids.insert(p.paper_id).second)
      return Status::InvalidArgument(what + ": paper '" + p.paper_id + "' appears twice");
    out.push_back(std::move(p));
    if (options.max_papers && out.size() >= options.max_papers) break;
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  return out;
}

Json ToJson(const HumanPaper& p, bool with_statements) {
  Json reviews = Json::array();
  for (const auto& r : p.reviews) {
    if (with_statements) {
      reviews.push_back(ToJson(r));
    } else {
      Json aspects = Json::array();
      for (Aspect a : r.aspects) aspects.push_back(AspectName(a));
      reviews.push_back({{"originality", r.originality == 0 ? Json(nullptr) : Json(r.originality)},
                         {"text_conclusion", ReviewConclusionName(r.text_conclusion)},
                         {"conclusion", ReviewConclusionName(r.conclusion)},
                         {"n_statements", r.statements.size()},
                         {"resolved_prior_ids", r.resolved_prior_ids},
                         {"aspects", aspects}});
    }
  }
  return {{"paper_id", p.paper_id},
          {"majority", ReviewConclusionName(p.majority)},
          {"named_prior_ids", p.named_prior_ids},
          {"aspects", AspectList(p.aspects)},
          {"n_references", p.n_references},
          {"reviews", reviews}};
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

Json ComputeHumanOnly(const std::vector<HumanPaper>& papers, const AlignmentOptions& options) {
  std::vector<const HumanPaper*> all;
  for (const auto& p : papers) all.push_back(&p);
  HumanFigures f = ComputeHumanFigures(all);
  Json per_paper = Json::array();
  for (const auto& p : papers) per_paper.push_back(ToJson(p, options.include_statements));
  return {{"mode", "human_only"},
          {"labels", LabelNames()},
          {"options", {{"seed", options.seed}, {"bootstrap_resamples", options.bootstrap_resamples}}},
          {"review_reading", ReviewReadingSummary(all, options)},
          {"human_ceiling", HumanCeilingJson(f, options)},
          {"papers", per_paper}};
}

Json ComputeAlignment(const std::vector<Assessment>& assessments,
                      const std::vector<HumanPaper>& papers, const AlignmentOptions& options) {
  std::unordered_map<std::string, const HumanPaper*> by_id;
  for (const auto& p : papers) by_id[p.paper_id] = &p;
  std::vector<const Assessment*> matched_assessments;
  std::vector<const HumanPaper*> matched;
  std::vector<std::string> unmatched;
  for (const auto& a : assessments) {
    auto it = by_id.find(a.paper_id);
    if (it == by_id.end() || it->second->reviews.empty()) {
      unmatched.push_back(a.paper_id);
      continue;
    }
    matched_assessments.push_back(&a);
    matched.push_back(it->second);
  }

  // Conclusions.
  GroupedPairs per_review, per_paper, majority_review, majority_paper, random_review, random_paper;
  std::vector<std::vector<int>> units_with_assessment;
  size_t excluded_no_opinion = 0, papers_without_majority = 0;
  int class_counts[kNumConclusions] = {0, 0, 0};
  for (const HumanPaper* p : matched)
    for (const auto& r : p->reviews)
      if (HasOpinion(r.conclusion)) ++class_counts[Label(r.conclusion)];
  const int majority_class =
      static_cast<int>(std::max_element(class_counts, class_counts + kNumConclusions) - class_counts);
  std::mt19937_64 rng(options.seed);
  // Reasoning.
  GroupedValues aspect_f1, prior_overlap, rationale;
  std::vector<double> assessment_ordinal, mean_originality;
  std::vector<std::string> docs;
  for (size_t m = 0; m < matched.size(); ++m) {
    docs.push_back(matched_assessments[m]->reasoning);
    for (const auto& r : matched[m]->reviews) docs.push_back(StatementsText(r));
  }
  TfIdf tfidf(docs);
  size_t doc = 0;
  Json paper_rows = Json::array();
  for (size_t m = 0; m < matched.size(); ++m) {
    const Assessment& a = *matched_assessments[m];
    const HumanPaper& p = *matched[m];
    const int label = Label(a.conclusion);
    const int random_label = Draw(&rng, kNumConclusions);
    auto& g_review = per_review.groups.emplace_back();
    auto& g_paper = per_paper.groups.emplace_back();
    auto& g_maj_review = majority_review.groups.emplace_back();
    auto& g_maj_paper = majority_paper.groups.emplace_back();
    auto& g_rand_review = random_review.groups.emplace_back();
    auto& g_rand_paper = random_paper.groups.emplace_back();
    auto& unit = units_with_assessment.emplace_back();
    unit.push_back(label);
    std::vector<Aspect> aspects = AssessmentAspects(a);
    std::set<std::string> cited(a.cited_prior_ids.begin(), a.cited_prior_ids.end());
    auto& f1 = aspect_f1.groups.emplace_back();
    auto& overlap = prior_overlap.groups.emplace_back();
    auto& sim = rationale.groups.emplace_back();
    size_t assessment_doc = doc++;
    double score_sum = 0;
    int score_n = 0;
    for (const auto& r : p.reviews) {
      size_t review_doc = doc++;
      if (HasOpinion(r.conclusion)) {
        g_review.push_back({label, Label(r.conclusion)});
        g_maj_review.push_back({majority_class, Label(r.conclusion)});
        g_rand_review.push_back({random_label, Label(r.conclusion)});
        unit.push_back(Label(r.conclusion));
      } else {
        ++excluded_no_opinion;
        unit.push_back(kMissing);
      }
      if (!r.aspects.empty() && !aspects.empty()) f1.push_back(SetF1(aspects, r.aspects));
      if (!r.resolved_prior_ids.empty()) overlap.push_back(Coverage(r.resolved_prior_ids, cited));
      if (!docs[review_doc].empty() && !docs[assessment_doc].empty())
        sim.push_back(tfidf.Cosine(assessment_doc, review_doc));
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
      ++papers_without_majority;
    }
    if (score_n) {
      // Higher originality means more novel; the ordinal runs novel(0)..not_novel(2).
      assessment_ordinal.push_back(-Ordinal(a.conclusion));
      mean_originality.push_back(score_sum / score_n);
    }
    Json row = ToJson(p, options.include_statements);
    row["assessment"] = {{"conclusion", ReviewConclusionName(a.conclusion)},
                         {"aspects", AspectList(aspects)},
                         {"n_cited_prior_ids", a.cited_prior_ids.size()},
                         {"origin", a.origin}};
    paper_rows.push_back(std::move(row));
  }
  units_with_assessment.shrink_to_fit();
  std::vector<std::vector<int>> human_units;
  for (const auto& u : units_with_assessment) human_units.emplace_back(u.begin() + 1, u.end());

  HumanFigures human = ComputeHumanFigures(matched);
  Json ceiling = HumanCeilingJson(human, options);
  size_t n_reviews = 0;
  for (const HumanPaper* p : matched) n_reviews += p->reviews.size();

  Json result;
  result["mode"] = "assessments_vs_reviews";
  result["labels"] = LabelNames();
  result["options"] = {{"seed", options.seed}, {"bootstrap_resamples", options.bootstrap_resamples}};
  result["counts"] = {{"assessments", assessments.size()},
                      {"papers_with_reviews", papers.size()},
                      {"papers_matched", matched.size()},
                      {"assessments_without_reviews", unmatched.size()},
                      {"reviews", n_reviews},
                      {"reviews_no_opinion_excluded", excluded_no_opinion},
                      {"papers_without_majority_excluded", papers_without_majority}};
  if (!unmatched.empty()) {
    Json first = Json::array();
    for (size_t i = 0; i < unmatched.size() && i < 20; ++i) first.push_back(unmatched[i]);
    result["counts"]["first_assessments_without_reviews"] = first;
  }
  result["conclusion"] = {
      {"note", "reviews whose conclusion is no_opinion are excluded from conclusion agreement; "
               "rows of each confusion matrix are the assessment (or the first reviewer), columns "
               "the human reference; labels in the order of 'labels'"},
      {"per_review",
       {{"assessment", AgreementJson(per_review, options)},
        {"human_ceiling", ceiling["conclusion_per_review"]},
        {"baseline_majority_class",
         {{"label", ReviewConclusionName(static_cast<ReviewConclusion>(majority_class))},
          {"agreement", AgreementJson(majority_review, options)}}},
        {"baseline_uniform_random", AgreementJson(random_review, options)}}},
      {"per_paper",
       {{"assessment", AgreementJson(per_paper, options)},
        {"human_ceiling", ceiling["conclusion_per_paper"]},
        {"baseline_majority_class", AgreementJson(majority_paper, options)},
        {"baseline_uniform_random", AgreementJson(random_paper, options)}}},
      {"krippendorff_alpha",
       {{"humans", NumberOrNull(AlphaOrNaN(human_units))},
        {"humans_and_assessment", NumberOrNull(AlphaOrNaN(units_with_assessment))}}},
      {"originality_spearman",
       {{"assessment_vs_mean_originality",
         NumberOrNull(SpearmanOrNaN(assessment_ordinal, mean_originality))},
        {"n_papers", assessment_ordinal.size()},
        {"human_ceiling_review_vs_mean_of_others", ceiling["originality_spearman"]}}},
  };
  result["reasoning"] = {
      {"aspect_f1", {{"assessment", MeanJson(aspect_f1, options)}, {"human_ceiling", ceiling["aspect_f1"]}}},
      {"prior_work_overlap",
       {{"note", "share of the corpus works a reviewer names that the assessment cites; ceiling: "
                 "share that another reviewer of the same paper also names"},
        {"assessment", MeanJson(prior_overlap, options)},
        {"human_ceiling", ceiling["prior_work_overlap"]}}},
      {"rationale_similarity",
       {{"note", "TF-IDF cosine between the assessment's reasoning and a review's novelty "
                 "statements; ceiling: between two reviews' novelty statements"},
        {"assessment", MeanJson(rationale, options)},
        {"human_ceiling", ceiling["rationale_similarity"]}}},
  };
  result["review_reading"] = ReviewReadingSummary(matched, options);
  result["papers"] = paper_rows;
  return result;
}

Status WriteAlignment(const Json& result, const std::string& dir, Env* env) {
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(dir));
  return env->WriteFileAtomic(dir + "/alignment.json", DumpJson(result, 2) + "\n");
}

}  // namespace novelta::alignment
