#include "pipeline/retrieve/related_finder.h"

#include <algorithm>

#include "pipeline/retrieve/query_builder.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {

RelatedFinder::RelatedFinder(const PaperIndex* index, const RetrievalOptions& options)
    : index_(index),
      options_(options),
      retriever_(index, options),
      reranker_(RerankerForModel(options.rerank_model)) {}

StatusOr<std::vector<PriorWork>> RelatedFinder::Find(const Submission& submission,
                                                     const std::vector<Claim>& claims, int top_k,
                                                     const Date& cutoff) const {
  if (top_k <= 0 || top_k > 1000) return Status::InvalidArgument("top_k must be between 1 and 1000");
  RetrievalRequest request;
  request.top_k = top_k;
  const int listed = std::max(options_.max_related, top_k);
  const bool pool = reranker_ != nullptr || options_.record_rerank_features;
  request.max_results = pool ? std::max(listed, options_.rerank_pool) : listed;
  request.cutoff = cutoff;
  request.exclude_title = submission.title;
  request.cited_rows = retriever_.ResolveReferences(submission.references);
  // A pool is narrowed before its abstracts are read.
  request.read_papers = !pool;
  const std::string own_text = OwnText(submission);
  auto queries = BuildQueries(submission, claims, own_text, index_->names(), options_);
  const bool has_body = !submission.fulltext.empty() || !submission.introduction.empty();
  NOVELTA_ASSIGN_OR_RETURN(std::vector<PriorWork> related, retriever_.Retrieve(queries, request));
  // A title and abstract alone say little of the work a paper builds on;
  // the works they find first say more (pseudo-relevance feedback).
  if (!has_body && options_.feedback_works > 0 && !related.empty()) {
    std::vector<PriorWork> top(related.begin(),
                               related.begin() + std::min<size_t>(options_.feedback_works, related.size()));
    NOVELTA_RETURN_IF_ERROR(retriever_.ReadPapers(&top));
    for (const auto& w : top)
      queries.push_back({"feedback", w.title + ". " + w.abstract, options_.feedback_weight, {}, true,
                         QueryKind::kContext});
    NOVELTA_ASSIGN_OR_RETURN(related, retriever_.Retrieve(queries, request));
  }
  if (!pool) {
    DropOffTopicNames(submission, &related);
    return related;
  }

  RerankContext context;
  context.own_text = own_text;
  context.year = cutoff.known() ? cutoff.year : 0;
  context.has_body = !submission.fulltext.empty() || !submission.introduction.empty();
  auto features = RerankFeatures(context, related);
  if (options_.record_rerank_features)
    for (size_t i = 0; i < related.size(); ++i) DetailOf(&related[i]).rerank_features = features[i];
  if (reranker_ != nullptr) {
    reranker_->Rerank(features, &related);
    PutCitedFirst(request.cited_rows, &related);
    if (static_cast<int>(related.size()) > listed) related.resize(listed);
  }
  NOVELTA_RETURN_IF_ERROR(retriever_.ReadPapers(&related));
  DropOffTopicNames(submission, &related);
  return related;
}

void RelatedFinder::PutCitedFirst(const std::unordered_set<int64_t>& cited_rows,
                                  std::vector<PriorWork>* related) {
  if (cited_rows.empty()) return;
  for (auto& w : *related)
    if (w.cited) w.score = 1.0;
  std::stable_sort(related->begin(), related->end(),
                   [](const PriorWork& a, const PriorWork& b) { return a.cited && !b.cited; });
}

void RelatedFinder::DropOffTopicNames(const Submission& submission, std::vector<PriorWork>* related) const {
  const double t = options_.named_min_closeness;
  const bool references_known = !submission.references.empty();
  if (t <= 0 && !references_known) return;
  const SparseVector own = index_->Sparse(submission.title + ". " + submission.abstract);
  auto off_topic = [&](const PriorWork& w) {
    if (!FoundOnlyByName(w)) return false;
    // A submission that lists its references cites the method a name stands for.
    if (references_known) return !w.cited;
    return t > 0 && SparseDot(own, index_->Sparse(w.title + ". " + w.abstract)) < t;
  };
  related->erase(std::remove_if(related->begin(), related->end(), off_topic), related->end());
}

}  // namespace novelta
