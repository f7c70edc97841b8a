#include "pipeline/retrieve/related_reranker.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cmath>
#include <numeric>
#include <random>
#include <unordered_map>

#include "base/env.h"
#include "base/hash.h"
#include "base/line_reader.h"
#include "base/logistic_regression.h"
#include "base/model_cache.h"
#include "base/text.h"

#ifndef NOVELTA_RERANK_MODEL_PATH
#define NOVELTA_RERANK_MODEL_PATH ""
#endif

namespace novelta {
namespace {

constexpr const char* kFormat = "novelta-reranker/1";

constexpr uint64_t kFnvOffset = 1469598103934665603ull, kFnvPrime = 1099511628211ull;

uint64_t HashWord(std::string_view w) {
  uint64_t h = kFnvOffset;  // FNV-1a
  for (unsigned char c : w) h = (h ^ c) * kFnvPrime;
  return h;
}

// A word of a text, as the features see it: its hash, and whether it is a
// stopword (tested only for words of a title).
struct HashedWord {
  uint64_t hash;
  bool stop;
};

// The words of `text` as WordTokens(TextForMatching(text)) would give them
// (LaTeX commands dropped; runs of ASCII letters and digits or bytes >= 0x80,
// in lower case), each hashed as HashWord would hash it, without a string per
// word: a submission's whole own text is scanned once per assessment.
template <typename Fn>
void ForEachHashedWord(std::string_view text, Fn&& fn) {
  uint64_t h = 0;
  size_t len = 0;
  auto flush = [&] {
    if (len > 0) fn(h, len);
    h = kFnvOffset;
    len = 0;
  };
  flush();
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      size_t j = i + 1;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
      if (j > i + 1) i = j - 1;  // a command: dropped whole
      flush();
    } else if (std::isalnum(c) || c >= 0x80) {
      if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
      h = (h ^ c) * kFnvPrime;
      ++len;
    } else {
      flush();
    }
  }
  flush();
}

uint64_t PairKey(uint64_t a, uint64_t b) { return a * 0x9E3779B97F4A7C15ull ^ (b + (a >> 7)); }

float InverseRank(int rank) { return rank < 0 ? 0.f : 1.f / (1.f + rank); }

}  // namespace

const std::vector<std::string>& RerankFeatureNames() {
  static const std::vector<std::string> names = {
      "log_score", "paper", "claim", "context", "citation", "named", "has_named", "log_queries",
      "inv_best_rank", "inv_paper_lexical_rank", "inv_paper_dense_rank", "log_merged_rank",
      "has_body", "year_gap", "gap_le_1", "gap_2_to_5", "log_year_gap",
      "venue_share", "venue_score_share", "venue_top20_share",
      "title_coverage", "title_bigram_coverage"};
  return names;
}

std::vector<std::vector<float>> RerankFeatures(const RerankContext& context,
                                               const std::vector<PriorWork>& pool) {
  // The submission's words and adjacent word pairs, as sorted hashes.
  std::vector<uint64_t> words, pairs;
  {
    uint64_t previous = 0;
    bool first = true;
    ForEachHashedWord(context.own_text, [&](uint64_t h, size_t) {
      words.push_back(h);
      if (!first) pairs.push_back(PairKey(previous, h));
      previous = h;
      first = false;
    });
    for (auto* v : {&words, &pairs}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
  }
  auto has = [](const std::vector<uint64_t>& v, uint64_t h) {
    return std::binary_search(v.begin(), v.end(), h);
  };
  // Where the pool comes from: the share of its works (all, score-weighted,
  // the first 20) from each venue.
  std::unordered_map<std::string, double> venue_count, venue_score, venue_top20;
  double total_score = 0;
  for (size_t i = 0; i < pool.size(); ++i) {
    venue_count[pool[i].venue] += 1;
    venue_score[pool[i].venue] += pool[i].score;
    total_score += pool[i].score;
    if (i < 20) venue_top20[pool[i].venue] += 1;
  }
  const double n = std::max<size_t>(1, pool.size());
  if (total_score <= 0) total_score = 1;

  std::vector<std::vector<float>> out;
  out.reserve(pool.size());
  for (const auto& w : pool) {
    static const RetrievalSignals kNone;
    const RetrievalSignals& s = w.detail ? w.detail->signals : kNone;
    std::vector<float> f;
    f.reserve(RerankFeatureNames().size());
    f.push_back(std::log(static_cast<float>(w.score) + 1e-4f));
    for (int k = 0; k < kQueryKinds; ++k) f.push_back(s.by_kind[k]);
    f.push_back(s.by_kind[static_cast<int>(QueryKind::kNamed)] > 0 ? 1.f : 0.f);
    f.push_back(std::log1p(static_cast<float>(std::max(0, s.queries))));
    f.push_back(InverseRank(s.best_rank));
    f.push_back(InverseRank(s.paper_lexical_rank));
    f.push_back(InverseRank(s.paper_dense_rank));
    f.push_back(std::log1p(static_cast<float>(std::max(0, s.merged_rank))));
    f.push_back(context.has_body ? 1.f : 0.f);
    // Years before the submission; unknown: a typical gap.
    const int gap = context.year > 0 && w.year > 0 ? std::clamp(context.year - w.year, 0, 30) : 10;
    f.push_back(static_cast<float>(gap));
    f.push_back(gap <= 1 ? 1.f : 0.f);
    f.push_back(gap >= 2 && gap <= 5 ? 1.f : 0.f);
    f.push_back(std::log1p(static_cast<float>(gap)));
    f.push_back(static_cast<float>(venue_count[w.venue] / n));
    f.push_back(static_cast<float>(venue_score[w.venue] / total_score));
    f.push_back(static_cast<float>(venue_top20[w.venue] / std::min(20.0, n)));
    // The title's content words, and its word pairs that are not two
    // stopwords, found in the submission's own text.
    std::vector<HashedWord> title;
    for (const auto& t : WordTokens(TextForMatching(w.title)))
      title.push_back({HashWord(t), IsStopword(t) || t.size() < 2});
    int content = 0, content_found = 0, pairs_total = 0, pairs_found = 0;
    for (size_t i = 0; i < title.size(); ++i) {
      if (!title[i].stop) {
        ++content;
        content_found += has(words, title[i].hash);
      }
      if (i > 0 && !(title[i].stop && title[i - 1].stop)) {
        ++pairs_total;
        pairs_found += has(pairs, PairKey(title[i - 1].hash, title[i].hash));
      }
    }
    f.push_back(content > 0 ? static_cast<float>(content_found) / content : 0.f);
    f.push_back(pairs_total > 0 ? static_cast<float>(pairs_found) / pairs_total : 0.f);
    out.push_back(std::move(f));
  }
  return out;
}

RelatedReranker::RelatedReranker(std::vector<double> mean, std::vector<double> scale,
                                 std::vector<double> weights, double bias)
    : model_(RerankFeatureNames(), std::move(mean), std::move(scale), std::move(weights), bias) {}

StatusOr<std::unique_ptr<RelatedReranker>> RelatedReranker::FromJson(const Json& model) {
  NOVELTA_ASSIGN_OR_RETURN(LogisticModel m, LogisticModel::FromJson(model, kFormat, RerankFeatureNames()));
  return std::unique_ptr<RelatedReranker>(new RelatedReranker(std::move(m)));
}

StatusOr<std::unique_ptr<RelatedReranker>> RelatedReranker::Load(const std::string& path) {
  NOVELTA_ASSIGN_OR_RETURN(LogisticModel m,
                           LogisticModel::Load(path, kFormat, RerankFeatureNames(), Env::Default()));
  return std::unique_ptr<RelatedReranker>(new RelatedReranker(std::move(m)));
}

Json RelatedReranker::ToJson() const { return model_.ToJson(kFormat); }

double RelatedReranker::Probability(const std::vector<float>& features) const {
  return model_.Probability(features);
}

void RelatedReranker::Rerank(const std::vector<std::vector<float>>& features,
                             std::vector<PriorWork>* pool) const {
  const size_t n = std::min(features.size(), pool->size());
  std::vector<std::pair<double, size_t>> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = {Probability(features[i]), i};
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<PriorWork> out;
  out.reserve(pool->size());
  for (const auto& [p, i] : order) {
    out.push_back(std::move((*pool)[i]));
    out.back().score = p;
  }
  for (size_t i = n; i < pool->size(); ++i) out.push_back(std::move((*pool)[i]));
  pool->swap(out);
}

std::shared_ptr<const RelatedReranker> RerankerForModelPath(const std::string& path,
                                                            std::string* warning) {
  warning->clear();
  if (path.empty() || path == "none") return nullptr;
  auto reranker = RelatedReranker::Load(path);
  if (!reranker.ok()) {
    *warning = "novelta: warning: " + reranker.status().message() +
               "; related work is listed in retrieval order, not reranked";
    return nullptr;
  }
  return std::shared_ptr<const RelatedReranker>(std::move(reranker).value());
}

std::shared_ptr<const RelatedReranker> RerankerForModel(const std::string& model) {
  return LoadOncePerPath<RelatedReranker>(model.empty() ? std::string(NOVELTA_RERANK_MODEL_PATH) : model,
                                          RerankerForModelPath);
}

// Training --------------------------------------------------------------------

namespace {

// Mean over `groups` of recall@k of the cited works, ranking each group's
// rows by `score` (ties: merged order).
std::vector<double> RecallAt(const std::vector<RerankGroup>& groups,
                             const std::vector<std::vector<double>>& score,
                             const std::vector<size_t>& which, const std::vector<int>& depths) {
  std::vector<double> sum(depths.size(), 0);
  size_t counted = 0;
  for (size_t g : which) {
    if (groups[g].n_gold <= 0) continue;
    std::vector<size_t> order(groups[g].cited.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return score[g][a] > score[g][b]; });
    for (size_t d = 0; d < depths.size(); ++d) {
      int hits = 0;
      for (size_t r = 0; r < order.size() && r < static_cast<size_t>(depths[d]); ++r)
        hits += groups[g].cited[order[r]];
      sum[d] += static_cast<double>(hits) / groups[g].n_gold;
    }
    ++counted;
  }
  for (auto& s : sum) s = counted ? s / counted : 0;
  return sum;
}

}  // namespace

StatusOr<TrainedReranker> TrainReranker(const std::vector<RerankGroup>& groups,
                                        const RerankTrainingOptions& options) {
  const size_t d = RerankFeatureNames().size();
  if (groups.empty()) return Status::InvalidArgument("no submissions to train on");
  if (options.folds < 2) return Status::InvalidArgument("folds must be at least 2");
  size_t rows = 0, positives = 0;
  for (const auto& g : groups) {
    if (g.features.size() != g.cited.size())
      return Status::InvalidArgument(g.id + ": features and labels differ in number");
    for (const auto& f : g.features)
      if (f.size() != d)
        return Status::InvalidArgument(g.id + ": a row has " + std::to_string(f.size()) +
                                       " features, this version computes " + std::to_string(d));
    rows += g.features.size();
    for (bool c : g.cited) positives += c;
  }
  if (positives == 0 || positives == rows)
    return Status::InvalidArgument("training needs both cited and uncited candidates");

  // A model fitted on the groups `use` marks.
  auto fit = [&](const std::vector<bool>& use) -> StatusOr<std::unique_ptr<RelatedReranker>> {
    std::vector<std::vector<float>> rows_used;
    std::vector<bool> labels;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (!use[g]) continue;
      rows_used.insert(rows_used.end(), groups[g].features.begin(), groups[g].features.end());
      labels.insert(labels.end(), groups[g].cited.begin(), groups[g].cited.end());
    }
    LogisticFitOptions fo;
    fo.l2 = options.l2;
    fo.max_iterations = options.max_iterations;
    NOVELTA_ASSIGN_OR_RETURN(LogisticModel m, FitLogisticModel(rows_used, labels, RerankFeatureNames(), fo));
    return std::unique_ptr<RelatedReranker>(new RelatedReranker(std::move(m)));
  };

  // Cross-fitted scores: each fold ranked by a model that never saw it.
  std::vector<size_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::vector<double>> crossfit(groups.size()), merged(groups.size());
  for (int fold = 0; fold < options.folds; ++fold) {
    std::vector<bool> train(groups.size(), true);
    for (size_t i = fold; i < order.size(); i += options.folds) train[order[i]] = false;
    NOVELTA_ASSIGN_OR_RETURN(auto model, fit(train));
    for (size_t g = 0; g < groups.size(); ++g) {
      if (train[g]) continue;
      for (const auto& f : groups[g].features) crossfit[g].push_back(model->Probability(f));
    }
  }
  for (size_t g = 0; g < groups.size(); ++g)
    for (size_t i = 0; i < groups[g].features.size(); ++i)
      merged[g].push_back(-static_cast<double>(i));  // the pool's own order
  std::vector<size_t> every(groups.size());
  std::iota(every.begin(), every.end(), 0);
  const std::vector<int> depths = {10, 20, 50};
  auto as_json = [&](const std::vector<double>& v) {
    Json j;
    for (size_t i = 0; i < depths.size(); ++i)
      j["recall@" + std::to_string(depths[i])] = std::round(v[i] * 10000) / 10000;
    return j;
  };
  TrainedReranker out;
  out.scores = {{"submissions", groups.size()},
                {"candidates", rows},
                {"cited_candidates", positives},
                {"merged_order", as_json(RecallAt(groups, merged, every, depths))},
                {"reranked_cross_fitted", as_json(RecallAt(groups, crossfit, every, depths))}};
  NOVELTA_ASSIGN_OR_RETURN(out.model, fit(std::vector<bool>(groups.size(), true)));
  return out;
}

StatusOr<std::vector<RerankGroup>> ReadRerankGroups(const std::string& candidates_path) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(candidates_path));
  std::vector<RerankGroup> groups;
  std::string line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = candidates_path + ":" + std::to_string(reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, where));
    RerankGroup g;
    if (!j.is_object() || !j.contains("works") || !j["works"].is_array() ||
        !j.contains("n_gold") || !j["n_gold"].is_number_integer())
      return Status::InvalidArgument(where + ": expected {\"id\", \"n_gold\", \"works\": [...]}");
    g.id = j.value("id", where);
    g.n_gold = j["n_gold"].get<int>();
    for (const auto& w : j["works"]) {
      if (!w.is_object() || !w.contains("cited") || !w["cited"].is_boolean() ||
          !w.contains("features") || !w["features"].is_array())
        return Status::InvalidArgument(where + ": each work needs \"cited\" and \"features\"");
      std::vector<float> f;
      for (const auto& x : w["features"]) {
        if (!x.is_number()) return Status::InvalidArgument(where + ": a feature is not a number");
        f.push_back(x.get<float>());
      }
      g.features.push_back(std::move(f));
      g.cited.push_back(w["cited"].get<bool>());
    }
    groups.push_back(std::move(g));
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  return groups;
}

StatusOr<Json> TrainRerankerModel(const std::string& candidates_path, const std::string& out_dir,
                                  const RerankTrainingOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(std::vector<RerankGroup> groups, ReadRerankGroups(candidates_path));
  NOVELTA_ASSIGN_OR_RETURN(std::string sha, Sha256File(candidates_path));
  NOVELTA_ASSIGN_OR_RETURN(TrainedReranker trained, TrainReranker(groups, options));
  Env* env = Env::Default();
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(out_dir));
  const std::string model_text = DumpJson(trained.model->ToJson(), 2) + "\n";
  Json manifest = {
      {"model", {{"file", "reranker.json"}, {"sha256", Sha256Hex(model_text)}}},
      {"kind", "logistic regression over the related-work pool's features"},
      {"data", {{"candidates", candidates_path}, {"sha256", sha}}},
      {"settings",
       {{"l2", options.l2}, {"folds", options.folds}, {"seed", options.seed},
        {"max_iterations", options.max_iterations}}},
      {"scores", trained.scores}};
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(out_dir + "/reranker.json", model_text));
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(out_dir + "/manifest.json", DumpJson(manifest, 2) + "\n"));
  return manifest;
}

}  // namespace novelta
