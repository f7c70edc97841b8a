#include "index/sparse_index.h"

#include <algorithm>
#include <cmath>

#include "base/text.h"
#include "index/paper_store.h"

namespace novelta {

std::vector<std::string> SparseIndex::Terms(std::string_view text) {
  std::vector<std::string> out;
  for (auto& w : WordTokens(TextForMatching(text)))
    if (w.size() >= 2 && !IsStopword(w)) out.push_back(std::move(w));
  return out;
}

void SparseIndex::Add(std::string_view text) {
  const uint32_t row = static_cast<uint32_t>(doc_len_.size());
  auto terms = Terms(text);
  std::unordered_map<uint32_t, uint16_t> tf;
  for (const auto& t : terms) {
    auto [it, inserted] = vocab_.emplace(t, static_cast<uint32_t>(vocab_.size()));
    if (inserted) postings_.emplace_back();
    auto& c = tf[it->second];
    if (c < UINT16_MAX) ++c;
  }
  for (const auto& [term, count] : tf) postings_[term].emplace_back(row, count);
  doc_len_.push_back(static_cast<uint32_t>(terms.size()));
}

void SparseIndex::Finish() {
  const double n = static_cast<double>(doc_len_.size());
  idf_.resize(postings_.size());
  std::vector<double> norm(doc_len_.size(), 0.0);
  double total = 0;
  for (uint32_t len : doc_len_) total += len;
  avg_len_ = n > 0 ? total / n : 0;
  for (size_t t = 0; t < postings_.size(); ++t) {
    idf_[t] = static_cast<float>(std::log((n + 1) / (postings_[t].size() + 1)) + 1.0);
    for (const auto& [row, tf] : postings_[t]) {
      double w = (1 + std::log(static_cast<double>(tf))) * idf_[t];
      norm[row] += w * w;
    }
  }
  tfidf_norm_.resize(norm.size());
  for (size_t i = 0; i < norm.size(); ++i)
    tfidf_norm_[i] = norm[i] > 0 ? static_cast<float>(std::sqrt(norm[i])) : 1.f;
}

StatusOr<std::unique_ptr<SparseIndex>> SparseIndex::Build(const PaperStore& store) {
  auto idx = std::unique_ptr<SparseIndex>(new SparseIndex());
  NOVELTA_RETURN_IF_ERROR(store.ForEachText(
      [&](int64_t row, const std::string& title, const std::string& abstract) {
        idx->Add(title + ". " + abstract);
      }));
  idx->Finish();
  return idx;
}

std::unique_ptr<SparseIndex> SparseIndex::FromTexts(const std::vector<std::string>& texts) {
  auto idx = std::unique_ptr<SparseIndex>(new SparseIndex());
  for (const auto& t : texts) idx->Add(t);
  idx->Finish();
  return idx;
}

std::vector<SearchHit> SparseIndex::Search(std::string_view query, int k, SparseScoring scoring,
                                           const std::function<bool(int64_t)>& admissible) const {
  std::unordered_map<uint32_t, int> qtf;
  for (const auto& t : Terms(query)) {
    auto it = vocab_.find(t);
    if (it != vocab_.end()) ++qtf[it->second];
  }
  std::vector<SearchHit> out;
  if (qtf.empty() || k <= 0) return out;
  // Scores accumulate in a per-thread dense buffer: one pass over the postings.
  thread_local std::vector<float> acc;
  thread_local std::vector<uint32_t> touched;
  acc.assign(doc_len_.size(), 0.f);
  touched.clear();
  const double k1 = 1.2, b = 0.75;
  double qnorm = 0;  // the query's TF-IDF norm, so that cosine scores are cosines
  for (const auto& [term, count] : qtf)
    qnorm += std::pow((1 + std::log(static_cast<double>(count))) * idf_[term], 2);
  qnorm = qnorm > 0 ? std::sqrt(qnorm) : 1;
  for (const auto& [term, count] : qtf) {
    const float idf = idf_[term];
    const double bm25_idf = std::log(1 + (doc_len_.size() - postings_[term].size() + 0.5) /
                                             (postings_[term].size() + 0.5));
    const double qw = scoring == SparseScoring::kTfIdfCosine
                          ? (1 + std::log(static_cast<double>(count))) * idf
                          : static_cast<double>(count);
    for (const auto& [row, tf] : postings_[term]) {
      double s;
      if (scoring == SparseScoring::kTfIdfCosine) {
        s = qw * (1 + std::log(static_cast<double>(tf))) * idf / (tfidf_norm_[row] * qnorm);
      } else {
        s = qw * bm25_idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len_[row] / avg_len_));
      }
      if (acc[row] == 0.f) touched.push_back(row);
      acc[row] += static_cast<float>(s);
    }
  }
  // Best first; the admissibility test (which may be costly) runs only on
  // rows in score order until k pass, never on every row touched.
  auto better = [&](uint32_t a, uint32_t c) {
    return acc[a] != acc[c] ? acc[a] > acc[c] : a < c;
  };
  size_t window = std::min(touched.size(), static_cast<size_t>(k) * 4 + 32);
  size_t sorted = 0;
  size_t i = 0;
  while (static_cast<int>(out.size()) < k && i < touched.size()) {
    if (i == sorted) {
      size_t end = std::min(touched.size(), sorted + window);
      std::partial_sort(touched.begin() + sorted, touched.begin() + end, touched.end(), better);
      sorted = end;
      window *= 4;
    }
    uint32_t row = touched[i++];
    if (!admissible || admissible(row)) out.push_back({row, acc[row]});
  }
  return out;
}

}  // namespace novelta
