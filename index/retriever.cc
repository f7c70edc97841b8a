#include "index/retriever.h"

#include <algorithm>
#include <unordered_map>

#include "base/text.h"

namespace novelta {

bool Retriever::Admissible(int64_t row, const RetrievalOptions& options) const {
  if (options.cutoff.known() && !IsPrior(index_->date(row), options.cutoff)) return false;
  if (!options.exclude_title.empty() &&
      TitleSimilarity(index_->title(row), options.exclude_title) >= options.self_title_similarity)
    return false;
  return true;
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

StatusOr<std::vector<PriorWork>> Retriever::Retrieve(const std::vector<RetrievalQuery>& queries,
                                                     const RetrievalOptions& options) const {
  if (options.top_k <= 0) return Status::InvalidArgument("top_k must be positive");
  if (queries.empty()) return std::vector<PriorWork>{};
  const int dim = index_->dimensions();
  std::vector<float> q(queries.size() * dim);
  for (size_t i = 0; i < queries.size(); ++i) index_->Dense(queries[i].text, &q[i * dim]);

  // Over-fetch, then drop papers after the cutoff and the submission itself;
  // fetch more when too few survive (e.g. a corpus full of recent papers).
  struct Merged {
    float score = -1;
    std::vector<std::string> tags;
  };
  std::unordered_map<int64_t, Merged> merged;
  std::vector<int> kept(queries.size(), 0);
  int fetch = options.top_k * 2 + 16;
  std::vector<size_t> pending(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) pending[i] = i;
  while (!pending.empty()) {
    std::vector<float> batch(pending.size() * dim);
    for (size_t p = 0; p < pending.size(); ++p)
      std::copy_n(&q[pending[p] * dim], dim, &batch[p * dim]);
    auto hits = index_->Search(batch.data(), pending.size(), fetch);
    std::vector<size_t> again;
    for (size_t p = 0; p < pending.size(); ++p) {
      size_t qi = pending[p];
      int count = 0;
      for (const auto& h : hits[p]) {
        if (count >= options.top_k) break;
        if (!Admissible(h.row, options)) continue;
        ++count;
        Merged& m = merged[h.row];
        m.score = std::max(m.score, h.score * queries[qi].weight);
        if (std::find(m.tags.begin(), m.tags.end(), queries[qi].tag) == m.tags.end())
          m.tags.push_back(queries[qi].tag);
      }
      kept[qi] = count;
      bool exhausted = hits[p].size() < static_cast<size_t>(fetch);
      if (count < options.top_k && !exhausted) again.push_back(qi);
    }
    if (again.empty() || static_cast<size_t>(fetch) >= index_->size()) break;
    // Start the retried queries over, with a larger window.
    for (size_t qi : again)
      for (auto it = merged.begin(); it != merged.end();) {
        auto& tags = it->second.tags;
        tags.erase(std::remove(tags.begin(), tags.end(), queries[qi].tag), tags.end());
        it = tags.empty() ? merged.erase(it) : std::next(it);
      }
    fetch = static_cast<int>(std::min<size_t>(static_cast<size_t>(fetch) * 4, index_->size()));
    pending = std::move(again);
  }

  std::vector<std::pair<int64_t, Merged>> ranked(merged.begin(), merged.end());
  // A paper several queries agree on is a little closer than its best single match.
  auto fused = [](const Merged& m) { return m.score + 0.01f * (m.tags.size() - 1); };
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    float fa = fused(a.second), fb = fused(b.second);
    return fa != fb ? fa > fb : a.first < b.first;
  });
  if (ranked.size() > static_cast<size_t>(options.max_results)) ranked.resize(options.max_results);

  std::vector<PriorWork> out;
  out.reserve(ranked.size());
  for (const auto& [row, m] : ranked) {
    NOVELTA_ASSIGN_OR_RETURN(PaperRecord rec, index_->Paper(row));
    PriorWork p;
    p.row = row;
    p.id = rec.id;
    p.title = rec.title;
    p.abstract = rec.abstract;
    p.year = rec.date.year;
    p.venue = rec.venue;
    p.score = fused(m);
    p.cited = options.cited_rows.count(row) > 0;
    p.matched_by = m.tags;
    p.passages = std::move(rec.sentences);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace novelta
