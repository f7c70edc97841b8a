// Stage 2, retrieve: the prior work closest to a submission and to each of its
// claims, from the FAISS index, merged and deduplicated — only papers dated
// before the cutoff, never the submission itself (same or near-same title),
// each marked `cited` when the submission's references list cites it.
//
// Thread-safety: a Retriever is immutable; Retrieve may be called concurrently.
#ifndef NOVELTA_PIPELINE_RETRIEVE_RETRIEVER_H_
#define NOVELTA_PIPELINE_RETRIEVE_RETRIEVER_H_

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/text.h"
#include "index/paper_index.h"
#include "novelta/model.h"
#include "novelta/options.h"
#include "pipeline/retrieve/work_detail.h"

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

// One call's request: what it asks beside the settings (RetrievalOptions).
struct RetrievalRequest {
  // Papers kept per query. Default: 20.
  int top_k = 20;
  // Most papers in the merged list. Default: 60.
  int max_results = 60;
  // Only papers dated before this count (see IsPrior); unknown = no cutoff.
  Date cutoff;
  // The submission's own title: papers with a near-same title are dropped.
  std::string exclude_title;
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
  // `index` must outlive the Retriever. Of `options`, the fusion and merge
  // settings are used here; the query settings are the query builder's.
  explicit Retriever(const PaperIndex* index, const RetrievalOptions& options = {})
      : index_(index), options_(options) {}
  // Merged, closest first; each work's `detail` holds its signals (and, when
  // read, its passages). Abstracts are filled in when request.read_papers.
  StatusOr<std::vector<PriorWork>> Retrieve(const std::vector<RetrievalQuery>& queries,
                                            const RetrievalRequest& request) const;
  // Fills in abstract, passages and their pieces of works retrieved with
  // read_papers = false.
  Status ReadPapers(std::vector<PriorWork>* works) const;
  // Rows of the corpus papers that `references` resolve to.
  std::unordered_set<int64_t> ResolveReferences(const std::vector<std::string>& references) const;
  // Whether row `row` may be shown as prior work for `request` (date and self checks).
  bool Admissible(int64_t row, const RetrievalRequest& request) const;

 private:
  struct Merged;
  // The same, with the submission's title already prepared (`self`, for
  // request.exclude_title at options_.self_title_similarity).
  bool Admissible(int64_t row, const RetrievalRequest& request, const TitleMatcher* self) const;
  // One query's ranking: its rows (a named query), its dense ranking, or its
  // dense and lexical rankings fused; best first, at most request.top_k.
  std::vector<std::pair<int64_t, float>> RankQuery(
      const RetrievalQuery& query, const std::vector<SearchHit>* dense, const SparseIndex* sparse,
      int depth, const RetrievalRequest& request, const std::function<bool(int64_t)>& admissible,
      std::unordered_map<int64_t, Merged>* merged) const;
  // The merged list, closest first, cut to request.max_results.
  StatusOr<std::vector<PriorWork>> MergedList(std::unordered_map<int64_t, Merged> merged,
                                              const RetrievalRequest& request) const;
  // Per query, the rows of the dense ranking `admissible` accepts, best first,
  // at most `depth`; `filtered`: whether `admissible` may refuse rows at all.
  std::vector<std::vector<SearchHit>> DenseCandidates(
      const std::vector<RetrievalQuery>& queries, int depth, bool filtered,
      const std::function<bool(int64_t)>& admissible) const;
  const PaperIndex* index_;
  RetrievalOptions options_;
};

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_RETRIEVE_RETRIEVER_H_
