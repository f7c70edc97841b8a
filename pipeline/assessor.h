// Assessor: the three stages end to end. A submission goes in, a NoveltyReport
// comes out: extract claims (stage 1), retrieve prior work from the index
// (stage 2), compare each claim with the closest prior passages (stage 3).
//
// The REST service and the CLI depend only on this interface, so tests can
// put a fake behind them.
//
// Thread-safety: an Assessor is immutable after Open; all methods may be called
// concurrently.
#ifndef NOVELTA_PIPELINE_ASSESSOR_H_
#define NOVELTA_PIPELINE_ASSESSOR_H_

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "index/paper_index.h"
#include "pipeline/compare/comparer.h"
#include "pipeline/extract/claim_extractor.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/model.h"

namespace novelta {

// Per-request settings.
struct AssessParams {
  // Prior works retrieved for the paper and for each claim before merging. Default: 20.
  int top_k = 20;
  // Only prior work dated before this counts; unknown: the submission's own date.
  Date cutoff;
};

// What the loaded index holds (for readiness, metrics and reports).
struct IndexSummary {
  std::string index_id;   // the manifest's hash
  size_t n_papers = 0;
  int dimensions = 0;
  std::string built_at;   // ISO 8601
};

class Assessor {
 public:
  virtual ~Assessor() = default;
  // All three stages.
  virtual StatusOr<NoveltyReport> Assess(const Submission& submission,
                                         const AssessParams& params) const = 0;
  // Stage 1 alone.
  virtual StatusOr<std::vector<Claim>> ExtractClaims(const Submission& submission) const = 0;
  // Stage 2 alone (for the paper and its claims), merged, closest first.
  virtual StatusOr<std::vector<PriorWork>> FindRelated(const Submission& submission,
                                                       const AssessParams& params) const = 0;
  virtual IndexSummary index_summary() const = 0;
};

struct AssessorOptions {
  ExtractorOptions extract;
  CompareOptions compare;
  // Bounds on one submission (text length); claims are bounded by extract.max_claims.
  IngestLimits limits;
  // Most papers in a report's related-work list. Default: 60.
  int max_related = 60;
  // Weight of claim queries against the whole-paper query when merging. Default: 0.2.
  float claim_query_weight = 0.2f;
  // Context queries: paragraphs of the submission's related-work / background
  // sections and its introduction (when it has a full text or introduction),
  // which describe the prior work the paper builds on. At most this many.
  // Default: 24.
  int max_context_queries = 24;
  // Weight of each context query when merging. Default: 0.5.
  float context_query_weight = 0.5f;
  // Whether context queries also search the dense index (hybrid retrieval
  // only; false: the word index alone). On 600 dev papers, word index alone
  // scored recall@20 0.244 vs 0.242 and prior-work overlap 0.470 vs 0.475,
  // and cut the dense scans of a full-text paper by about two thirds. Default: false.
  bool dense_context_queries = false;
  // Citation queries: sentences of the full text's other sections (method,
  // experiments, ...) that cite ("[12]", "et al."), searched in the word
  // index alone, at most this many, each at citation_query_weight. On the
  // whole dev set with the reranker (pools of 150, docs/quality.md):
  // recall@20 0.325 -> 0.339, prior-work overlap 0.486 -> 0.497,
  // novelty-score Spearman 0.100 -> 0.097. Default: 24.
  int max_citation_queries = 24;
  // Default: 0.3.
  float citation_query_weight = 0.3f;
  // Named queries: each method name the submission mentions that a corpus
  // title coins ("LoRA" -> "LoRA: Low-Rank Adaptation ..."; see
  // index/name_index.h) brings that paper in, at this weight (0: off).
  // Default: 1.0.
  float named_query_weight = 1.0f;
  // Most named queries, the most mentioned names first. Default: 16.
  int max_named_queries = 16;
  // Rerank the merged related-work pool with the trained reranker
  // (pipeline/rerank/related_reranker.h, the model DefaultRelatedReranker
  // loads; none: the merged order stays). Default: true.
  bool rerank = true;
  // Candidates retrieved and reranked before the list is cut to max_related
  // (the reranker is trained on pools of this size). Default: 200.
  int rerank_pool = 200;
  // Keep each related work's reranker features (PriorWork::rerank_features)
  // and retrieve the whole pool even without reranking: what the reranker's
  // training data is made of. Default: false.
  bool record_rerank_features = false;
  // Fuse dense and BM25 rankings (see RetrievalOptions). Default: true.
  bool hybrid = true;
  // Share of the lexical ranking in the fusion. Default: 0.8.
  double lexical_weight = 0.8;
  // Sum a paper's scores over queries (true) or keep the best (false). Default: true.
  bool sum_over_queries = true;
  // OpenMP threads one assessment may use (set on the calling thread). A server
  // runs many assessments at once, one per worker, so 1 is right there. Default: 1.
  int search_threads = 1;
  // Check index file checksums when opening. Default: true.
  bool verify_index = true;
};

// Opens the index built by `novelta index build` in `index_dir`.
// Errors: NotFound (no index there), Corruption (checksum mismatch or a
// half-written index), InvalidArgument (incompatible format version).
StatusOr<std::unique_ptr<Assessor>> OpenAssessor(const std::string& index_dir,
                                                 const AssessorOptions& options = {});
// An assessor over an index already open (shared with, e.g., the evaluation harness).
std::unique_ptr<Assessor> NewAssessor(std::shared_ptr<const PaperIndex> index,
                                      const AssessorOptions& options = {});

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_ASSESSOR_H_
