// Stage 2 end to end: from a submission and its claims to the related-work
// list a report shows. Builds the queries (query_builder.h), retrieves and
// merges their rankings (retriever.h), reranks the merged pool with the
// trained reranker (related_reranker.h) and reads the abstracts and passages
// of the works kept.
//
// Thread-safety: immutable after construction; Find may be called concurrently.
#ifndef NOVELTA_PIPELINE_RETRIEVE_RELATED_FINDER_H_
#define NOVELTA_PIPELINE_RETRIEVE_RELATED_FINDER_H_

#include <memory>
#include <vector>

#include "index/paper_index.h"
#include "novelta/model.h"
#include "novelta/options.h"
#include "pipeline/retrieve/related_reranker.h"
#include "pipeline/retrieve/retriever.h"

namespace novelta {

class RelatedFinder {
 public:
  // `index` must outlive the finder. The reranker is the one
  // options.rerank_model names (RerankerForModel).
  RelatedFinder(const PaperIndex* index, const RetrievalOptions& options);

  // Related work of `submission` (its claims already extracted), closest
  // first, at most max(options.max_related, top_k) works, only works dated
  // before `cutoff` (unknown: no cutoff). InvalidArgument when top_k is not
  // in [1, 1000]; IOError when the paper store cannot be read.
  StatusOr<std::vector<PriorWork>> Find(const Submission& submission, const std::vector<Claim>& claims,
                                        int top_k, const Date& cutoff) const;

  const RetrievalOptions& options() const { return options_; }

 private:
  // Drops the works only a name brought in that are not that name's method:
  // with the submission's references known, those it does not cite; without,
  // those whose topic is far from the submission's
  // (RetrievalOptions::named_min_closeness).
  void DropOffTopicNames(const Submission& submission, std::vector<PriorWork>* related) const;
  // With the submission's references known, the works it cites are prior
  // work it builds on — what the reranker estimates — for certain: they come
  // first (in the reranker's order), scored 1.
  static void PutCitedFirst(const std::unordered_set<int64_t>& cited_rows, std::vector<PriorWork>* related);

  const PaperIndex* index_;
  RetrievalOptions options_;
  Retriever retriever_;
  std::shared_ptr<const RelatedReranker> reranker_;  // null: merged order
};

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_RETRIEVE_RELATED_FINDER_H_
