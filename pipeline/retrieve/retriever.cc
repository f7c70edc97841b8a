#include "pipeline/retrieve/retriever.h"

#include <algorithm>
#include <unordered_map>

#include "base/text.h"

namespace novelta {

bool Retriever::Admissible(int64_t row, const RetrievalRequest& request) const {
  return Admissible(row, request, nullptr);
}

bool Retriever::Admissible(int64_t row, const RetrievalRequest& request,
                           const TitleMatcher* self) const {
  if (request.cutoff.known() && !IsPrior(index_->date(row), request.cutoff)) return false;
  if (request.exclude_title.empty()) return true;
  if (self != nullptr) return !self->Matches(index_->title(row));
  return TitleSimilarity(index_->title(row), request.exclude_title) < options_.self_title_similarity;
}

std::unordered_set<int64_t> Retriever::ResolveReferences(
    const std::vector<std::string>& references) const {
  std::unordered_set<int64_t> rows;
  for (const auto& ref : references) {
    auto m = index_->resolver().Resolve(ref);
    if (m.found()) rows.insert(m.row);
  }
  return rows;
}

std::vector<std::vector<SearchHit>> Retriever::DenseCandidates(
    const std::vector<RetrievalQuery>& queries, int depth, bool filtered,
    const std::function<bool(int64_t)>& admissible) const {
  const int dim = index_->dimensions();
  std::vector<float> q(queries.size() * dim);
  for (size_t i = 0; i < queries.size(); ++i) index_->Dense(queries[i].text, &q[i * dim]);
  std::vector<std::vector<SearchHit>> out(queries.size());
  // Over-fetch, then drop papers after the cutoff and the submission itself;
  // fetch more when too few survive (e.g. a corpus full of recent papers).
  // Without a cutoff or a title to exclude nothing is dropped.
  int fetch = filtered ? depth * 2 + 16 : depth;
  std::vector<size_t> pending(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) pending[i] = i;
  while (!pending.empty()) {
    std::vector<float> batch(pending.size() * dim);
    for (size_t p = 0; p < pending.size(); ++p)
      std::copy_n(&q[pending[p] * dim], dim, &batch[p * dim]);
    auto hits = index_->Search(batch.data(), pending.size(), fetch);
    std::vector<size_t> again;
    for (size_t p = 0; p < pending.size(); ++p) {
      auto& kept = out[pending[p]];
      kept.clear();
      for (const auto& h : hits[p]) {
        if (static_cast<int>(kept.size()) >= depth) break;
        if (admissible(h.row)) kept.push_back(h);
      }
      bool exhausted = hits[p].size() < static_cast<size_t>(fetch);
      if (static_cast<int>(kept.size()) < depth && !exhausted) again.push_back(pending[p]);
    }
    if (again.empty() || static_cast<size_t>(fetch) >= index_->size()) break;
    fetch = static_cast<int>(std::min<size_t>(static_cast<size_t>(fetch) * 4, index_->size()));
    pending = std::move(again);
  }
  return out;
}

struct Retriever::Merged {
  float score = 0;
  std::vector<std::string> tags;
  RetrievalSignals signals;
};

std::vector<std::pair<int64_t, float>> Retriever::RankQuery(
    const RetrievalQuery& query, const std::vector<SearchHit>* dense, const SparseIndex* sparse,
    int depth, const RetrievalRequest& request, const std::function<bool(int64_t)>& admissible,
    std::unordered_map<int64_t, Merged>* merged) const {
  std::vector<std::pair<int64_t, float>> ranking;
  const int rrf_k = options_.rrf_k;
  const float scale = static_cast<float>(rrf_k + 1);  // rank 1 in both rankings -> 1.0
  if (!query.rows.empty()) {
    // Scored like a fused ranking: the first row as if first in both rankings.
    for (int64_t row : query.rows) {
      if (row < 0 || static_cast<size_t>(row) >= index_->size() || !admissible(row)) continue;
      ranking.emplace_back(row, scale / (rrf_k + ranking.size() + 1));
    }
  } else if (sparse == nullptr) {
    for (const auto& h : *dense) ranking.emplace_back(h.row, h.score);
  } else {
    std::unordered_map<int64_t, float> fused;
    // A query that skips the dense index gives the lexical ranking the whole weight.
    const double lexical_share = dense != nullptr ? options_.fusion_lexical_share : 1.0;
    const bool paper_query = query.kind == QueryKind::kPaper;
    if (dense != nullptr) {
      for (size_t r = 0; r < dense->size(); ++r) {
        const int64_t row = (*dense)[r].row;
        fused[row] += static_cast<float>((1 - lexical_share) * scale / (rrf_k + r + 1));
        if (paper_query) (*merged)[row].signals.paper_dense_rank = static_cast<int>(r);
      }
    }
    auto lexical = sparse->Search(query.text, depth, SparseScoring::kBm25, admissible);
    for (size_t r = 0; r < lexical.size(); ++r) {
      fused[lexical[r].row] += static_cast<float>(lexical_share * scale / (rrf_k + r + 1));
      if (paper_query) (*merged)[lexical[r].row].signals.paper_lexical_rank = static_cast<int>(r);
    }
    ranking.assign(fused.begin(), fused.end());
    std::sort(ranking.begin(), ranking.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
  }
  if (ranking.size() > static_cast<size_t>(request.top_k)) ranking.resize(request.top_k);
  return ranking;
}

StatusOr<std::vector<PriorWork>> Retriever::Retrieve(const std::vector<RetrievalQuery>& queries,
                                                     const RetrievalRequest& request) const {
  if (request.top_k <= 0) return Status::InvalidArgument("top_k must be positive");
  if (queries.empty()) return std::vector<PriorWork>{};
  const SparseIndex* sparse = nullptr;
  if (options_.hybrid) {
    NOVELTA_ASSIGN_OR_RETURN(sparse, index_->sparse_index());
  }
  const int depth = std::max(request.top_k, sparse ? options_.candidate_depth : request.top_k);
  // The same papers come up for many of the queries: each is checked once.
  std::unordered_map<int64_t, bool> checked;
  const TitleMatcher self(request.exclude_title, options_.self_title_similarity);
  auto admissible = [&](int64_t row) {
    auto [it, inserted] = checked.emplace(row, false);
    if (inserted) it->second = Admissible(row, request, &self);
    return it->second;
  };
  const bool filtered = request.cutoff.known() || !request.exclude_title.empty();
  // Only text queries are searched densely; row queries bring their own
  // ranking, and with hybrid retrieval a query may skip the dense index.
  std::vector<RetrievalQuery> text_queries;
  std::vector<int> dense_of(queries.size(), -1);
  for (size_t qi = 0; qi < queries.size(); ++qi) {
    if (!queries[qi].rows.empty() || (sparse != nullptr && !queries[qi].dense)) continue;
    dense_of[qi] = static_cast<int>(text_queries.size());
    text_queries.push_back(queries[qi]);
  }
  auto dense = DenseCandidates(text_queries, depth, filtered, admissible);

  std::unordered_map<int64_t, Merged> merged;
  for (size_t qi = 0; qi < queries.size(); ++qi) {
    const std::vector<SearchHit>* dense_hits = dense_of[qi] >= 0 ? &dense[dense_of[qi]] : nullptr;
    auto ranking = RankQuery(queries[qi], dense_hits, sparse, depth, request, admissible, &merged);
    for (size_t r = 0; r < ranking.size(); ++r) {
      const auto& [row, score] = ranking[r];
      Merged& m = merged[row];
      float s = score * queries[qi].weight;
      m.score = options_.sum_over_queries ? m.score + s : std::max(m.score, s);
      RetrievalSignals& sig = m.signals;
      sig.by_kind[static_cast<int>(queries[qi].kind)] += s;
      ++sig.queries;
      if (sig.best_rank < 0 || static_cast<int>(r) < sig.best_rank) sig.best_rank = static_cast<int>(r);
      if (std::find(m.tags.begin(), m.tags.end(), queries[qi].tag) == m.tags.end())
        m.tags.push_back(queries[qi].tag);
    }
  }
  return MergedList(std::move(merged), request);
}

StatusOr<std::vector<PriorWork>> Retriever::MergedList(std::unordered_map<int64_t, Merged> merged,
                                                       const RetrievalRequest& request) const {
  // Entries a whole-paper ranking created without any query keeping the paper are dropped.
  std::vector<std::pair<int64_t, Merged>> ranked;
  ranked.reserve(merged.size());
  for (auto& [row, m] : merged)
    if (m.signals.queries > 0) ranked.emplace_back(row, std::move(m));
  // With the best-of merge, a paper several queries agree on is a little closer
  // than its best single match.
  auto fused = [&](const Merged& m) {
    return options_.sum_over_queries ? m.score : m.score + 0.01f * (m.tags.size() - 1);
  };
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    float fa = fused(a.second), fb = fused(b.second);
    return fa != fb ? fa > fb : a.first < b.first;
  });
  if (ranked.size() > static_cast<size_t>(request.max_results)) ranked.resize(request.max_results);

  std::vector<PriorWork> out;
  out.reserve(ranked.size());
  for (const auto& [row, m] : ranked) {
    PriorWork p;
    p.row = row;
    p.id = index_->id(row);
    p.title = index_->title(row);
    p.year = index_->date(row).year;
    p.venue = index_->venue(row);
    p.score = fused(m);
    p.cited = request.cited_rows.count(row) > 0;
    p.matched_by = m.tags;
    WorkDetail& detail = DetailOf(&p);
    detail.signals = m.signals;
    detail.signals.merged_rank = static_cast<int>(out.size());
    out.push_back(std::move(p));
  }
  if (request.read_papers) NOVELTA_RETURN_IF_ERROR(ReadPapers(&out));
  return out;
}

Status Retriever::ReadPapers(std::vector<PriorWork>* works) const {
  for (auto& p : *works) {
    NOVELTA_ASSIGN_OR_RETURN(PaperRecord rec, index_->Paper(p.row));
    p.abstract = std::move(rec.abstract);
    WorkDetail& detail = DetailOf(&p);
    detail.passages = std::move(rec.sentences);
    detail.passage_pieces = std::move(rec.sentence_pieces);
  }
  return Status::OK();
}

}  // namespace novelta
