// Stage 2, retrieve: the prior work closest to a submission and to each of its
// claims, from the FAISS index, merged and deduplicated — only papers dated
// before the cutoff, never the submission itself (same or near-same title),
// each marked `cited` when the submission's references list cites it.
//
// Thread-safety: a Retriever is immutable; Retrieve may be called concurrently.
#ifndef NOVELTA_INDEX_RETRIEVER_H_
#define NOVELTA_INDEX_RETRIEVER_H_

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/text.h"
#include "index/paper_index.h"
#include "pipeline/model.h"

namespace novelta {

struct RetrievalQuery {
  std::string tag;    // "paper" or a claim id; recorded in PriorWork::matched_by
  std::string text;
  float weight = 1;   // multiplies this query's similarities when merging
  // When not empty, the query's ranking is these rows, in order (e.g. the
  // papers that coin a name the submission mentions), and `text` is not searched.
  std::vector<int64_t> rows = {};
  // With hybrid retrieval: whether `text` is also searched in the dense index
  // (false: the word index alone, which costs a fraction of a dense scan).
  bool dense = true;
  // What the query was made from (recorded in PriorWork::signals).
  QueryKind kind = QueryKind::kPaper;
};

struct RetrievalOptions {
  // Papers kept per query. Default: 20.
  int top_k = 20;
  // Most papers in the merged list. Default: 60.
  int max_results = 60;
  // Only papers dated before this count (see IsPrior); unknown = no cutoff.
  Date cutoff;
  // The submission's own title: papers with a near-same title are dropped.
  std::string exclude_title;
  // Title similarity (word Jaccard) at or above which a paper is the submission itself. Default: 0.8.
  double self_title_similarity = 0.8;
  // Hybrid retrieval: fuse the dense (FAISS) ranking of each query with a
  // lexical BM25 ranking by reciprocal rank fusion. Default: true.
  bool hybrid = true;
  // Share of the lexical ranking in the fusion; the assessor's value, tuned on
  // 300 dev papers (AssessorOptions::lexical_weight). Default: 0.8.
  double lexical_weight = 0.8;
  // Reciprocal rank fusion constant (larger flattens the rank curve). Default: 60.
  int rrf_k = 60;
  // Candidates each ranking contributes per query before fusion. Default: 50.
  int candidate_depth = 50;
  // Across queries, a paper's score is the weighted sum of its per-query
  // scores (true) or the best of them (false). Default: true.
  bool sum_over_queries = true;
  // Rows the submission's references resolve to (for `cited`).
  std::unordered_set<int64_t> cited_rows;
  // Read each paper's abstract and passages from the paper store (true), or
  // return only what the index holds in memory — id, title, year, venue —
  // for a caller that narrows the list first and then calls ReadPapers.
  // Default: true.
  bool read_papers = true;
};

class Retriever {
 public:
  explicit Retriever(const PaperIndex* index) : index_(index) {}
  // Merged, closest first. Abstracts are filled in; `row` is set.
  StatusOr<std::vector<PriorWork>> Retrieve(const std::vector<RetrievalQuery>& queries,
                                            const RetrievalOptions& options) const;
  // Fills in abstract, passages and their pieces of works retrieved with
  // read_papers = false.
  Status ReadPapers(std::vector<PriorWork>* works) const;
  // Rows of the corpus papers that `references` resolve to.
  std::unordered_set<int64_t> ResolveReferences(const std::vector<std::string>& references) const;
  // Whether row `row` may be shown as prior work under `options` (date and self checks).
  bool Admissible(int64_t row, const RetrievalOptions& options) const;

 private:
  // The same, with the submission's title already prepared (`self`, for
  // options.exclude_title at options.self_title_similarity).
  bool Admissible(int64_t row, const RetrievalOptions& options, const TitleMatcher* self) const;
  // Per query, the rows of the dense ranking `admissible` accepts, best first,
  // at most `depth`; `filtered`: whether `admissible` may refuse rows at all.
  std::vector<std::vector<SearchHit>> DenseCandidates(
      const std::vector<RetrievalQuery>& queries, int depth, bool filtered,
      const std::function<bool(int64_t)>& admissible) const;
  const PaperIndex* index_;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_RETRIEVER_H_
