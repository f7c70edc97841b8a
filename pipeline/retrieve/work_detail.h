// WorkDetail: what the pipeline knows of a prior work beyond what a report
// shows — the sentence passages of its abstract (with their pieces, so stage
// 3 need not tokenize them again), how stage 2's queries found it, and the
// reranker's features. PriorWork::detail points to it; it is never serialised.
//
// Thread-safety: plain values.
#ifndef NOVELTA_PIPELINE_RETRIEVE_WORK_DETAIL_H_
#define NOVELTA_PIPELINE_RETRIEVE_WORK_DETAIL_H_

#include <algorithm>
#include <string_view>
#include <vector>

#include "base/sentence_splitter.h"
#include "novelta/model.h"

namespace novelta {

// Which part of a submission a retrieval query was made from.
enum class QueryKind { kPaper, kClaim, kContext, kCitation, kNamed };
constexpr int kQueryKinds = 5;

// What stage 2 saw of one prior paper across the submission's queries: the
// features a reranker weighs.
struct RetrievalSignals {
  // Per QueryKind, the sum of the paper's weighted per-query scores.
  float by_kind[kQueryKinds] = {0, 0, 0, 0, 0};
  int queries = 0;        // queries that ranked it in their top_k
  int best_rank = -1;     // its best 0-based position in any query's ranking
  // Its 0-based rank in the whole-paper query's lexical (BM25) and dense
  // rankings before fusion; -1: not among their candidates.
  int paper_lexical_rank = -1;
  int paper_dense_rank = -1;
  int merged_rank = -1;   // 0-based position in the merged list before reranking
};

struct WorkDetail {
  std::vector<SentenceSpan> passages;  // sentence spans of the abstract
  // Per passage, its pieces when the index stores them (else empty).
  std::vector<std::vector<int>> passage_pieces;
  RetrievalSignals signals;
  // The reranker's features (RetrievalOptions::record_rerank_features).
  std::vector<float> rerank_features;
};

// PriorWork::matched_by names a named query "named:NAME" ("named:LoRA").
inline constexpr std::string_view kNamedMatchPrefix = "named:";

inline bool IsNamedMatch(std::string_view matched_by) {
  return matched_by.substr(0, kNamedMatchPrefix.size()) == kNamedMatchPrefix;
}
// Whether a named query found the work: at all, or alone.
inline bool FoundByName(const PriorWork& w) {
  return std::any_of(w.matched_by.begin(), w.matched_by.end(), [](const auto& m) { return IsNamedMatch(m); });
}
inline bool FoundOnlyByName(const PriorWork& w) {
  return !w.matched_by.empty() &&
         std::all_of(w.matched_by.begin(), w.matched_by.end(), [](const auto& m) { return IsNamedMatch(m); });
}

// The work's detail, created empty when it has none.
inline WorkDetail& DetailOf(PriorWork* work) {
  if (!work->detail) work->detail = std::make_shared<WorkDetail>();
  return *work->detail;
}

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_RETRIEVE_WORK_DETAIL_H_
