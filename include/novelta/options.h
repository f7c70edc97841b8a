// Options of the assessor and of each stage it runs. Every field documents
// its default; a default-constructed AssessorOptions is what `novelta assess`
// and `novelta serve` use.
//
// Part of the public API (with status.h, date.h, model.h and assessor.h).
//
// Thread-safety: plain values.
#ifndef NOVELTA_OPTIONS_H_
#define NOVELTA_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace novelta {

// Bounds on what one submission may cost. Inputs past a bound are rejected
// with InvalidArgument naming the bound.
struct IngestLimits {
  // Largest single-submission file read (JSON, Markdown, text, PDF), and
  // largest line of a JSON Lines file (which itself may be of any size).
  // Default: 64 MiB.
  uint64_t max_file_bytes = 64ull << 20;
  // Largest text of one submission (title + abstract + full text, or the
  // introduction when there is no full text), in bytes. Default: 2 MiB.
  size_t max_text_bytes = 2u << 20;
  // Largest abstract, in bytes. Default: 20 KiB.
  size_t max_abstract_bytes = 20u << 10;
  // Deepest JSON nesting accepted. Default: 64.
  int max_json_depth = 64;
  // Longest time spent reading one PDF, in seconds (0: no limit). Past it the
  // PDF is refused as not readable, so a document built to be slow costs
  // bounded time. In this process it is checked between pages; with a
  // pdf_reader the child is killed whatever page it is on. Default: 0.
  double max_pdf_seconds = 0;
  // When not empty, PDFs are read in a child process started with this
  // command line (program path first), so that a PDF made to loop, exhaust
  // memory or crash the reader costs only the child. The child is given
  // "--name WHAT --max-seconds S --max-memory-bytes M", reads the PDF on
  // stdin and writes {"title","text"} or {"error"} as JSON on stdout;
  // `novelta pdf-text` is such a program. Default: empty (read in this process).
  std::vector<std::string> pdf_reader;
  // Address space the PDF reader's child may use; past it the PDF is refused.
  // Default: 2 GiB.
  uint64_t max_pdf_memory_bytes = 2ull << 30;
};

// Stage 1, extract (pipeline/extract/claim_extractor.h).
struct ExtractorOptions {
  // Sentences scoring at least this are claims. Default: 0.5.
  double min_score = 0.5;
  // Most claims kept per submission (highest scores, then kept in text
  // order). Past it the rest are dropped and counted. Default: 24.
  size_t max_claims = 24;
  // Also look for claims in the introduction (when the input has one). Default: true.
  bool use_introduction = true;
  // Longest sentence taken as a claim, in bytes; longer ones are skipped. Default: 1200.
  size_t max_claim_bytes = 1200;
  // Drop sentences that read like claims but state none: availability of
  // code or data, the lead-in of a contribution list, fragments, questions,
  // pointers to sections or tables, captions, generic effectiveness
  // statements, background, notation, outlook (pipeline/extract/claim_filter.h).
  // Default: true.
  bool drop_non_claims = true;
  // Fold restatements of one contribution (abstract, introduction,
  // contribution list) into one claim that keeps every span. Default: true.
  bool merge_restatements = true;
  // The trained sentence classifier (a fastText model with its manifest, see
  // models/claims/): a path; "" for the model shipped with novelta; "none"
  // for the cue rules alone. A model that cannot be loaded falls back to the
  // cue rules with one warning line. Default: "".
  std::string claims_model;
};

// Stage 2, retrieve (pipeline/retrieve/): which queries a submission is
// searched with, how their rankings are fused and merged, and how the merged
// pool is reranked.
struct RetrievalOptions {
  // Hybrid retrieval: fuse the dense (FAISS) ranking of each query with a
  // lexical BM25 ranking by reciprocal rank fusion. Default: true.
  bool hybrid = true;
  // Share of the lexical ranking in that fusion (the dense ranking has the
  // rest), tuned on 300 dev papers. Default: 0.8.
  double fusion_lexical_share = 0.8;
  // Reciprocal rank fusion constant (larger flattens the rank curve). Default: 60.
  int rrf_k = 60;
  // Candidates each ranking contributes per query before fusion. Default: 50.
  int candidate_depth = 50;
  // Across queries, a paper's score is the weighted sum of its per-query
  // scores (true) or the best of them (false). Default: true.
  bool sum_over_queries = true;
  // Title similarity (word Jaccard) at or above which a paper is the
  // submission itself and is never shown. Default: 0.8.
  double self_title_similarity = 0.8;

  // Queries besides the title + abstract (weight 1). Claim queries: each
  // claim, at this weight. Default: 0.2.
  float claim_query_weight = 0.2f;
  // Context queries: paragraphs of the related-work sections, then of the
  // introduction, which describe the work the paper builds on; at most this
  // many. Default: 24.
  int max_context_queries = 24;
  // Default: 0.5.
  float context_query_weight = 0.5f;
  // Whether context queries also search the dense index (false: the word
  // index alone, a fraction of a dense scan; docs/quality.md). Default: false.
  bool dense_context_queries = false;
  // Citation queries: sentences of the other body sections that cite ("[12]",
  // "et al."), searched in the word index alone; at most this many. Default: 24.
  int max_citation_queries = 24;
  // Default: 0.3.
  float citation_query_weight = 0.3f;
  // Named queries: each method name the submission mentions that a corpus
  // title coins ("LoRA" -> "LoRA: Low-Rank Adaptation ...") brings that
  // paper in, at this weight (0: off). Default: 1.0.
  float named_query_weight = 1.0f;
  // Most named queries, the most mentioned names first. Default: 16.
  int max_named_queries = 16;
  // Feedback queries, for a submission with no full text or introduction
  // (title and abstract alone): the title and abstract of the first this
  // many works a first retrieval finds are searched too, at feedback_weight
  // each (pseudo-relevance feedback; measured in docs/quality.md).
  // 0: off. Default: 5.
  int feedback_works = 5;
  // Default: 0.3.
  float feedback_weight = 0.3f;
  // A paper only a named query found is listed only when the submission
  // cites it (when its references are known) or, without references, when
  // its title and abstract are at least this close (TF-IDF cosine) to the
  // submission's: a name is the same method in both texts only then ("MEC"
  // in a grid-cell paper is not "MEC: Memory-efficient Convolution").
  // 0: no closeness check. On the dev set 0.06 keeps recall@20 of cited works (0.341
  // against 0.341 without the check; 0.337 at 0.1). Default: 0.06.
  double named_min_closeness = 0.06;

  // The trained reranker of the merged pool (models/rerank/): a path; "" for
  // the model shipped with novelta; "none" to keep the merged order. A model
  // that cannot be loaded keeps the merged order, with one warning line.
  // Default: "".
  std::string rerank_model;
  // Candidates retrieved and reranked before the list is cut to max_related
  // (the reranker is trained on pools of this size). Default: 200.
  int rerank_pool = 200;
  // Keep each related work's reranker features and retrieve the whole pool
  // even without reranking: what the reranker's training data is made of.
  // Default: false.
  bool record_rerank_features = false;
  // Most papers in a report's related-work list. Default: 60.
  int max_related = 60;
};

// Stage 3, compare (pipeline/compare/comparer.h).
struct CompareOptions {
  // Related works (closest first) whose passages are compared with each claim. Default: 30.
  int candidate_papers = 30;
  // Evidence passages kept per claim, at most one per prior paper. Default: 3.
  int evidence_per_claim = 3;
  // Share of lexical (sparse TF-IDF cosine) similarity in a passage's
  // similarity to a claim; the rest is the dense (LSA) cosine in excess of
  // its background. Default: 0.6.
  double passage_lexical_share = 0.6;
  // The evidence model (models/evidence/, pipeline/compare/evidence_model.h):
  // a path; "" for the model shipped with novelta; "none" to choose evidence
  // by similarity alone (then the most similar passages are always shown and
  // the verdict follows the similarity thresholds below). A model that cannot
  // be loaded falls back to similarity alone, with one warning line. Default: "".
  std::string evidence_model;
  // With the evidence model: a passage is quoted only when the model's
  // probability that a reviewer would cite it reaches this. On 32 held-out
  // dev papers, the quotes a model kept at 0.5 were judged relevant 56% of
  // the time, at 0.6 63% (models/evidence/README.md). Default: 0.55.
  double evidence_threshold = 0.55;
  // With the evidence model: a claim is anticipated (not only partially)
  // when its best evidence reaches this probability and anticipated_threshold
  // in similarity. Default: 0.7.
  double anticipated_relevance = 0.7;
  // A claim whose closest passage scores at least this is anticipated (with
  // the model: see anticipated_relevance). Default: 0.55.
  double anticipated_threshold = 0.55;
  // Without the evidence model: at least this, partially anticipated. Default: 0.35.
  double partial_threshold = 0.35;
  // The novelty score is novelty_base minus how much of the submission prior
  // work covers — the claims' overlap, in [0,1]: an anticipated claim counts
  // 1, a partially anticipated one 0.5, a result or analysis claim half as
  // much as the others — times novelty_per_overlap, then nudged by what
  // reviewers rate lower or higher beside overlap (docs/quality.md): a
  // crowded recent topic and dataset contributions lower it, theory raises
  // it, at most max_nudge either way. Default: 0.9.
  double novelty_base = 0.9;
  // Default: 0.6.
  double novelty_per_overlap = 0.6;
  // The nudges, per unit of: the share of the 20 closest prior papers from
  // the 2 years before the cutoff above its typical 0.64 (default: 0.1); the
  // share of claims typed theory (default: -0.5) and dataset (default: 0.5).
  double overlap_per_recent_share = 0.1;
  double overlap_per_theory_share = -0.5;
  double overlap_per_dataset_share = 0.5;
  // Default: 0.15.
  double max_nudge = 0.15;
  // Novelty score at or above which the conclusion is novel: on the dev
  // set, the threshold at which the share of novel conclusions matches the
  // reviews' (65%); a submission whose claims nothing overlaps is then
  // incremental only when its topic is crowded with recent work or it
  // contributes datasets (docs/quality.md). Default: 0.885.
  double novel_score_threshold = 0.885;
  // ... at or above which it is incremental (below: not_novel). Default: 0.4.
  double incremental_score_threshold = 0.4;
  // Reasoning sentences that cite a specific anticipated claim. Default: 3.
  int reasoning_claims = 3;
};

// The assessor: the three stages end to end (assessor.h).
// The engine that extracts claims (stage 1) and compares them (stage 3);
// retrieval (stage 2) and every check on what a report shows are the same
// for both (docs/llm.md).
struct EngineOptions {
  // "offline": the default, no network and no model. "llm": claims and the
  // comparison asked of an OpenAI-compatible model (vLLM, llama.cpp's
  // server, Ollama, a hosted API); when a call fails for good the offline
  // engine makes that part and the report's warnings say so. Default: "offline".
  std::string name = "offline";
  // The model server's base URL ("http://127.0.0.1:8000/v1"); required for "llm".
  std::string llm_url;
  // The model's name; required for "llm".
  std::string llm_model;
  // Bearer key sent to the server; the CLI and the service read it from
  // NOVELTA_LLM_API_KEY. Never logged. Default: "" (none sent).
  std::string llm_api_key;
  // SQLite file of answers, keyed by model and request, so a re-run makes
  // no calls; "" or "none" keeps none (its folder is made if needed).
  // Default: "" (the CLI and service default to a file of their own).
  std::string llm_cache;
  // Longest time for one call. Default: 120 s.
  double llm_timeout_seconds = 120;
  // Retries of a call that failed (connection, timeout, 429, 5xx, an answer
  // against its schema). Default: 3.
  int llm_max_retries = 3;
  // Calls in flight at once. Default: 4.
  int llm_max_concurrency = 4;
  // Tokens one assessor may spend in all (0: no limit). Default: 0.
  int64_t llm_token_budget = 0;
};

struct AssessorOptions {
  IngestLimits limits;
  ExtractorOptions extract;
  RetrievalOptions retrieve;
  CompareOptions compare;
  // OpenMP threads one assessment may use (set on the calling thread). A server
  // runs many assessments at once, one per worker, so 1 is right there. Default: 1.
  int search_threads = 1;
  // Check index file checksums when opening. Default: true.
  bool verify_index = true;
  EngineOptions engine;
};

}  // namespace novelta

#endif  // NOVELTA_OPTIONS_H_
