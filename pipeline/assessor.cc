#include "novelta/assessor.h"

#include <omp.h>

#include <algorithm>

#include "base/env.h"
#include "index/paper_index.h"
#include "pipeline/assessor_impl.h"
#include "pipeline/compare/comparer.h"
#include "pipeline/extract/claim_extractor.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/llm_engine.h"
#include "pipeline/retrieve/related_finder.h"

namespace novelta {
namespace {

class PipelineAssessor : public Assessor {
 public:
  PipelineAssessor(std::shared_ptr<const PaperIndex> index, const AssessorOptions& options,
                   std::unique_ptr<LlmEngine> llm)
      : options_(options),
        llm_(std::move(llm)),
        index_(std::move(index)),
        extractor_(options.extract),
        finder_(index_.get(), options.retrieve),
        comparer_(index_.get(), options.compare) {}

  StatusOr<NoveltyReport> Assess(const Submission& submission,
                                 const AssessParams& params) const override {
    Env* env = Env::Default();
    omp_set_num_threads(std::max(1, options_.search_threads));
    const uint64_t t0 = env->MonotonicMicros();
    NoveltyReport report;
    report.submission = WithSections(submission);
    report.index_id = index_->index_id();
    if (llm_) report.engine = llm_->NewReport();
    NOVELTA_ASSIGN_OR_RETURN(report.claims, Extract(report.submission, &report.warnings, &report.engine));
    const uint64_t t1 = env->MonotonicMicros();

    report.cutoff = CutoffOf(submission, params);
    NOVELTA_ASSIGN_OR_RETURN(report.related_work,
                             finder_.Find(report.submission, ClaimsOf(report.claims), params.top_k,
                                          report.cutoff));
    const uint64_t t2 = env->MonotonicMicros();
    comparer_.Assess(&report);
    if (llm_) llm_->Compare(&report, options_.compare);
    const uint64_t t3 = env->MonotonicMicros();
    report.timing_ms = {{"extract", (t1 - t0) / 1e3},
                        {"retrieve", (t2 - t1) / 1e3},
                        {"compare", (t3 - t2) / 1e3},
                        {"total", (t3 - t0) / 1e3}};
    return report;
  }

  StatusOr<std::vector<Claim>> ExtractClaims(const Submission& submission) const override {
    std::vector<std::string> warnings;
    EngineReport engine;
    NOVELTA_ASSIGN_OR_RETURN(auto claims, Extract(WithSections(submission), &warnings, &engine));
    return ClaimsOf(claims);
  }

  StatusOr<std::vector<PriorWork>> FindRelated(const Submission& submission,
                                               const AssessParams& params) const override {
    omp_set_num_threads(std::max(1, options_.search_threads));
    const Submission s = WithSections(submission);
    std::vector<std::string> warnings;
    EngineReport engine;
    NOVELTA_ASSIGN_OR_RETURN(auto claims, Extract(s, &warnings, &engine));
    return finder_.Find(s, ClaimsOf(claims), params.top_k, CutoffOf(submission, params));
  }

  IndexSummary index_summary() const override {
    IndexSummary s;
    s.index_id = index_->index_id();
    s.n_papers = index_->size();
    s.dimensions = index_->dimensions();
    s.built_at = index_->manifest().value("created_at", "");
    return s;
  }

 private:
  static Date CutoffOf(const Submission& submission, const AssessParams& params) {
    return params.cutoff.known() ? params.cutoff : submission.submitted;
  }

  // The submission with its sections, found here when its reader left them out.
  static Submission WithSections(const Submission& submission) {
    Submission s = submission;
    if (s.sections.empty() && !s.fulltext.empty())
      s.sections = FindSections(s.fulltext, s.format != "text" && s.format != "pdf");
    return s;
  }

  static std::vector<Claim> ClaimsOf(const std::vector<AssessedClaim>& claims) {
    std::vector<Claim> out;
    out.reserve(claims.size());
    for (const auto& c : claims) out.push_back(c.claim);
    return out;
  }

  // Stage 1: by the LLM engine when there is one and it answers, else offline.
  StatusOr<std::vector<AssessedClaim>> Extract(const Submission& submission, std::vector<std::string>* warnings,
                                               EngineReport* engine) const {
    const std::string what = submission.source.empty() ? submission.id : submission.source;
    NOVELTA_RETURN_IF_ERROR(ValidateSubmission(submission, what.empty() ? "submission" : what,
                                               options_.limits));
    std::vector<AssessedClaim> claims;
    if (llm_) {
      if (auto by_llm = llm_->Extract(submission, engine, warnings)) {
        for (auto& c : *by_llm) claims.push_back({std::move(c), {}});
        return claims;
      }
    }
    ExtractionResult extraction = extractor_.Extract(submission);
    for (auto& c : extraction.claims) claims.push_back({std::move(c), {}});
    if (extraction.dropped_past_limit > 0)
      warnings->push_back("kept the " + std::to_string(claims.size()) +
                          " strongest claims; " + std::to_string(extraction.dropped_past_limit) +
                          " more were dropped past the claim limit");
    if (claims.empty()) {
      // No explicit contribution statement: assess the abstract as one claim,
      // so the report still compares what the paper is about.
      AssessedClaim ac;
      ac.claim.id = "c1";
      ac.claim.text = submission.abstract;
      ac.claim.type = ClassifyClaimType(submission.abstract);
      ac.claim.span = {"abstract", 0, submission.abstract.size()};
      ac.claim.cue = "whole abstract";
      ac.claim.score = 0.0;
      claims.push_back(std::move(ac));
      warnings->push_back("no explicit contribution statement found; the abstract is assessed "
                          "as a single claim");
    }
    return claims;
  }

  AssessorOptions options_;
  std::unique_ptr<LlmEngine> llm_;  // null with the offline engine
  std::shared_ptr<const PaperIndex> index_;
  ClaimExtractor extractor_;
  RelatedFinder finder_;
  Comparer comparer_;
};

}  // namespace

StatusOr<std::unique_ptr<Assessor>> OpenAssessor(const std::string& index_dir,
                                                 const AssessorOptions& options) {
  PaperIndexOptions io;
  io.verify_checksums = options.verify_index;
  NOVELTA_ASSIGN_OR_RETURN(auto index, PaperIndex::Open(index_dir, io));
  return NewAssessor(std::shared_ptr<const PaperIndex>(std::move(index)), options);
}

StatusOr<std::unique_ptr<Assessor>> NewAssessor(std::shared_ptr<const PaperIndex> index,
                                                const AssessorOptions& options) {
  std::unique_ptr<LlmEngine> llm;
  if (options.engine.name == "llm") {
    NOVELTA_ASSIGN_OR_RETURN(llm, LlmEngine::Open(options.engine));
  } else if (options.engine.name != "offline") {
    return Status::InvalidArgument("unknown engine '" + options.engine.name + "' (expected offline or llm)");
  }
  // Hybrid retrieval needs the word index, built in memory on first use (about
  // 2 s for 95k papers): build it now rather than in the first assessment.
  // Its error, if any, is reported by that assessment.
  if (options.retrieve.hybrid) (void)index->sparse_index();
  return std::unique_ptr<Assessor>(new PipelineAssessor(std::move(index), options, std::move(llm)));
}

}  // namespace novelta
