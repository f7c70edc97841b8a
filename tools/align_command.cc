// `novelta align`: agreement between novelty assessments and human reviewers.
//
//   novelta align --assessments reports.jsonl --reviews neurips2025-dev.jsonl.gz \
//                 --corpus prior-work.jsonl.gz --out out/align
//   novelta align --human-only --reviews neurips2025-dev.jsonl.gz --corpus ... --out out/human
//
// The assessments are novelta reports, simple records, or another system's
// prose ({"paper_id", "text"} per paper), which is read as a review is
// (alignment/prose_assessment.h) with the paper's references list.
//
// Writes OUT/alignment.json (see docs/alignment.md) and prints the headline
// figures. Exit status: 0 ok, 1 bad input or failure, 2 bad usage.
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "base/env.h"
#include "alignment/alignment.h"
#include "alignment/corpus_resolver.h"
#include "alignment/prose_assessment.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct AlignFlags {
  std::string assessments;
  std::string reviews;
  std::string out;
  std::string corpus;
  uint64_t seed = 42;
  int resamples = 1000;
  size_t max_papers = 0;
  bool human_only = false;
  bool with_statements = false;
};

// A figure with three decimals; "n/a" when it is undefined (NaN).
std::string Figure(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", v);
  return buf;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "novelta align: %s\n", s.ToString().c_str());
  return 1;
}

int RunAlign(const AlignFlags& f) {
  using namespace novelta::alignment;
  Env* env = Env::Default();
  if (!f.human_only && f.assessments.empty())
    return Fail(Status::InvalidArgument("--assessments is required unless --human-only is given"));
  for (const std::string* path : {&f.assessments, &f.reviews, &f.corpus})
    if (!path->empty() && !env->FileExists(*path))
      return Fail(Status::NotFound(*path + ": no such file"));

  std::vector<Assessment> assessments;
  std::set<std::string> ids;
  if (!f.human_only) {
    auto loaded = LoadAssessments(f.assessments);
    if (!loaded.ok()) return Fail(loaded.status());
    assessments = std::move(*loaded);
    for (const auto& a : assessments) ids.insert(a.paper_id);
  }
  std::unique_ptr<CorpusPriorWorkResolver> corpus;
  if (!f.corpus.empty()) {
    auto loaded = CorpusPriorWorkResolver::Load(f.corpus);
    if (!loaded.ok()) return Fail(loaded.status());
    corpus = std::move(*loaded);
    std::fprintf(stderr, "corpus: %zu papers (%zu lines skipped)\n", corpus->size(),
                 corpus->skipped_lines());
  }
  HumanLoadOptions load;
  load.resolver = corpus.get();
  load.max_papers = f.max_papers;
  if (!f.human_only) load.only_ids = &ids;
  auto papers = LoadHumanPapers(f.reviews, load);
  if (!papers.ok()) return Fail(papers.status());
  // Prose is read again now that its paper's references list is known, so
  // that the works it names resolve as its reviewers' do.
  ReadProseAssessments(*papers, corpus.get(), &assessments);

  AlignmentOptions options;
  options.seed = f.seed;
  options.bootstrap_resamples = f.resamples;
  options.include_statements = f.with_statements;
  AlignmentResult result;
  HumanOnlyResult human_only;
  if (f.human_only) {
    human_only = ComputeHumanOnly(*papers, options);
  } else {
    result = ComputeAlignment(assessments, *papers, options);
  }
  Json json = f.human_only ? ToJson(human_only) : ToJson(result);
  json["inputs"] = {{"assessments", f.assessments.empty() ? Json(nullptr) : Json(f.assessments)},
                    {"reviews", f.reviews},
                    {"corpus", f.corpus.empty() ? Json(nullptr) : Json(f.corpus)},
                    {"max_papers", f.max_papers}};
  Status s = WriteAlignment(json, f.out, env);
  if (!s.ok()) return Fail(s);

  const ReviewReadingSummary& rr = f.human_only ? human_only.review_reading : result.review_reading;
  const Agreement& text_vs_score = rr.text_vs_score_three_class;
  std::printf("papers: %zu  reviews: %zu\n", papers->size(), rr.n_reviews);
  std::printf("text vs score conclusion (3-class): accuracy %s  kappa %s  (n=%zu)\n",
              Figure(text_vs_score.accuracy).c_str(), Figure(text_vs_score.cohens_kappa).c_str(),
              text_vs_score.n_pairs);
  std::printf("named works: %zu named, %zu resolved to the corpus\n", rr.named_works.named,
              rr.named_works.resolved_to_corpus);
  if (f.human_only) {
    const HumanCeiling& h = human_only.human_ceiling;
    std::printf("human-human conclusion per review: accuracy %s  kappa %s;  Krippendorff alpha %s\n",
                Figure(h.conclusion_per_review.accuracy).c_str(),
                Figure(h.conclusion_per_review.cohens_kappa).c_str(), Figure(h.krippendorff_alpha).c_str());
    std::printf("human-human prior-work overlap %s  aspect F1 %s  rationale similarity %s\n",
                Figure(h.prior_work_overlap.mean).c_str(), Figure(h.aspect_f1.mean).c_str(),
                Figure(h.rationale_similarity.mean).c_str());
  } else {
    const Agreement& c = result.conclusion.per_review.assessment;
    const HumanCeiling& h = result.human_ceiling;
    std::printf("assessment vs reviews: accuracy %s  kappa %s  (human ceiling accuracy %s  kappa %s)\n",
                Figure(c.accuracy).c_str(), Figure(c.cohens_kappa).c_str(),
                Figure(h.conclusion_per_review.accuracy).c_str(),
                Figure(h.conclusion_per_review.cohens_kappa).c_str());
    if (result.input != "reports")
      std::printf("prose assessments: %zu read, %zu without a readable conclusion "
                  "(%zu of the matched papers, left out of conclusion agreement)\n",
                  result.prose_reading.assessments, result.prose_reading.without_conclusion,
                  result.counts.assessments_no_conclusion_excluded);
    const ReasoningAlignment& r = result.reasoning;
    std::printf("prior-work overlap %s (ceiling %s)  aspect F1 %s (ceiling %s)\n",
                Figure(r.prior_work_overlap.mean).c_str(), Figure(h.prior_work_overlap.mean).c_str(),
                Figure(r.aspect_f1.mean).c_str(), Figure(h.aspect_f1.mean).c_str());
  }
  std::printf("wrote %s/alignment.json\n", f.out.c_str());
  return 0;
}

void AddAlignCommand(CLI::App& app) {
  auto flags = std::make_shared<AlignFlags>();
  CLI::App* cmd = app.add_subcommand(
      "align", "Score agreement between novelty assessments and human reviews");
  cmd->add_option("--assessments", flags->assessments,
                  "Assessments: JSON Lines (plain or gzip) or a JSON array of novelta reports or "
                  "{paper_id, conclusion, reasoning, cited_prior_ids}; or another system's prose "
                  "assessments {paper_id, text}, read as reviews are for their conclusion and the "
                  "works they name (not mixed with reports in one file; see docs/alignment.md)");
  cmd->add_option("--reviews", flags->reviews, "Human reviews: eval-set JSON Lines (.jsonl or .jsonl.gz)")
      ->required();
  cmd->add_option("--out", flags->out, "Output directory for alignment.json")->required();
  cmd->add_option("--corpus", flags->corpus,
                  "Prior-work corpus JSON Lines, to resolve works reviewers name (default: none)");
  cmd->add_option("--seed", flags->seed, "Seed for the bootstrap and the random baseline (default 42)");
  cmd->add_option("--bootstrap", flags->resamples, "Bootstrap resamples (default 1000)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--max-papers", flags->max_papers, "Read at most this many papers (default 0: all)");
  cmd->add_flag("--human-only", flags->human_only,
                "Only read the reviews: text-vs-score agreement, named works and human-human figures");
  cmd->add_flag("--with-statements", flags->with_statements,
                "Include every review's novelty statements in the per-paper rows");
  cmd->callback([flags] { ExitCode() = RunAlign(*flags); });
}

}  // namespace

NOVELTA_REGISTER_COMMAND("align", AddAlignCommand);

}  // namespace novelta::tools
