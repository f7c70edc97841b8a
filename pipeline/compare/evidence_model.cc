#include "pipeline/compare/evidence_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "base/env.h"
#include "base/hash.h"
#include "base/line_reader.h"
#include "base/model_cache.h"
#include "base/text.h"

#ifndef NOVELTA_EVIDENCE_MODEL_PATH
#define NOVELTA_EVIDENCE_MODEL_PATH ""
#endif

namespace novelta {
namespace {

constexpr const char* kFormat = "novelta-evidence/1";

float Log1p(int x) { return std::log1p(static_cast<float>(std::max(0, x))); }

// Area under the ROC curve of `score` for `label` (ties count half).
double Auc(const std::vector<double>& score, const std::vector<bool>& label) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0, positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double mid = (i + j + 1) / 2.0;  // 1-based mean rank of the tie
    for (size_t k = i; k < j; ++k)
      if (label[order[k]]) {
        rank_sum += mid;
        positives += 1;
      }
    i = j;
  }
  const double negatives = score.size() - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace

const std::vector<std::string>& EvidenceFeatureNames() {
  static const std::vector<std::string> names = {
      "lexical",          "dense_excess",        "similarity",          "claim_coverage",
      "passage_coverage", "log_shared_pieces",   "log_shared_phrases",  "object_coverage",
      "names_found",      "log_rank_in_claim",   "similarity_gap",
      "first_passage",    "passage_position",    "own_work",            "not_a_claim",
      "log_passage_bytes", "log_work_rank",      "work_score",          "work_closeness_lexical",
      "work_closeness_dense", "work_claim_lexical", "title_in_claim",   "cited",
      "named_only",
      "log_years_before", "claim_theory",        "claim_result",        "claim_dataset",
      "log_claim_bytes"};
  return names;
}

std::vector<float> EvidenceFeatures(const EvidenceSignals& s) {
  const float position = s.passages > 1 ? static_cast<float>(s.passage_index) / (s.passages - 1) : 0.f;
  return {s.lexical,
          s.dense_excess,
          s.similarity,
          s.claim_coverage,
          s.passage_coverage,
          Log1p(s.shared_pieces),
          Log1p(s.shared_phrases),
          s.object_coverage,
          s.names_found,
          Log1p(s.rank_in_claim),
          s.similarity_gap,
          s.passage_index == 0 ? 1.f : 0.f,
          position,
          s.own_work ? 1.f : 0.f,
          s.not_a_claim ? 1.f : 0.f,
          Log1p(s.passage_bytes),
          Log1p(s.work_rank),
          s.work_score,
          s.work_closeness_lexical,
          s.work_closeness_dense,
          s.work_claim_lexical,
          s.title_in_claim,
          s.cited,
          s.named_only ? 1.f : 0.f,
          Log1p(s.years_before),
          s.claim_type == ClaimType::kTheory ? 1.f : 0.f,
          s.claim_type == ClaimType::kResult ? 1.f : 0.f,
          s.claim_type == ClaimType::kDataset ? 1.f : 0.f,
          Log1p(s.claim_bytes)};
}

StatusOr<std::unique_ptr<EvidenceModel>> EvidenceModel::FromJson(const Json& model) {
  NOVELTA_ASSIGN_OR_RETURN(LogisticModel m, LogisticModel::FromJson(model, kFormat, EvidenceFeatureNames()));
  return std::make_unique<EvidenceModel>(std::move(m));
}

StatusOr<std::unique_ptr<EvidenceModel>> EvidenceModel::Load(const std::string& path) {
  NOVELTA_ASSIGN_OR_RETURN(LogisticModel m,
                           LogisticModel::Load(path, kFormat, EvidenceFeatureNames(), Env::Default()));
  return std::make_unique<EvidenceModel>(std::move(m));
}

Json EvidenceModel::ToJson() const { return model_.ToJson(kFormat); }

std::shared_ptr<const EvidenceModel> EvidenceModelFor(const std::string& model) {
  const std::string path = model.empty() ? std::string(NOVELTA_EVIDENCE_MODEL_PATH) : model;
  return LoadOncePerPath<EvidenceModel>(path, [](const std::string& p, std::string* warning) {
    std::shared_ptr<const EvidenceModel> out;
    if (p.empty() || p == "none") return out;
    auto m = EvidenceModel::Load(p);
    if (m.ok()) return out = std::move(m).value();
    *warning = "novelta: warning: " + m.status().message() +
               "; evidence is chosen by similarity alone, not by the evidence model";
    return out;
  });
}

// Training --------------------------------------------------------------------

StatusOr<TrainedEvidenceModel> TrainEvidence(const std::vector<EvidenceExample>& examples,
                                             const EvidenceTrainingOptions& options) {
  if (options.folds < 2) return Status::InvalidArgument("folds must be at least 2");
  LogisticFitOptions fo;
  fo.l2 = options.l2;
  // Folds split by paper: a paper's pairs share its claims and related works.
  std::vector<std::string> papers;
  for (const auto& e : examples) papers.push_back(e.paper_id);
  std::sort(papers.begin(), papers.end());
  papers.erase(std::unique(papers.begin(), papers.end()), papers.end());
  std::mt19937_64 rng(options.seed);
  std::shuffle(papers.begin(), papers.end(), rng);
  std::vector<double> crossfit(examples.size(), 0);
  for (int fold = 0; fold < options.folds; ++fold) {
    std::vector<bool> held(examples.size());
    std::vector<std::vector<float>> rows;
    std::vector<bool> labels;
    for (size_t i = 0; i < examples.size(); ++i) {
      const size_t at = std::find(papers.begin(), papers.end(), examples[i].paper_id) - papers.begin();
      held[i] = static_cast<int>(at % options.folds) == fold;
      if (held[i]) continue;
      rows.push_back(examples[i].features);
      labels.push_back(examples[i].relevant);
    }
    NOVELTA_ASSIGN_OR_RETURN(LogisticModel m, FitLogisticModel(rows, labels, EvidenceFeatureNames(), fo));
    for (size_t i = 0; i < examples.size(); ++i)
      if (held[i]) crossfit[i] = m.Probability(examples[i].features);
  }
  std::vector<std::vector<float>> rows;
  std::vector<bool> labels;
  for (const auto& e : examples) {
    rows.push_back(e.features);
    labels.push_back(e.relevant);
  }
  NOVELTA_ASSIGN_OR_RETURN(LogisticModel all, FitLogisticModel(rows, labels, EvidenceFeatureNames(), fo));
  const size_t positives = std::count(labels.begin(), labels.end(), true);
  Json thresholds = Json::array();
  for (double t : {0.2, 0.3, 0.4, 0.5, 0.6, 0.7}) {
    size_t kept = 0, right = 0;
    for (size_t i = 0; i < examples.size(); ++i)
      if (crossfit[i] >= t) {
        ++kept;
        right += labels[i];
      }
    thresholds.push_back({{"threshold", t},
                          {"kept", kept},
                          {"precision", kept ? std::round(1e4 * right / kept) / 1e4 : 0.0},
                          {"recall", positives ? std::round(1e4 * right / positives) / 1e4 : 0.0}});
  }
  TrainedEvidenceModel out;
  out.model = std::make_unique<EvidenceModel>(std::move(all));
  out.scores = {{"papers", papers.size()},
                {"pairs", examples.size()},
                {"relevant_pairs", positives},
                {"cross_fitted_auc", std::round(1e4 * Auc(crossfit, labels)) / 1e4},
                {"cross_fitted_thresholds", thresholds}};
  return out;
}

StatusOr<std::vector<EvidenceExample>> ReadEvidenceExamples(const std::string& path) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<EvidenceExample> out;
  std::string line;
  const size_t d = EvidenceFeatureNames().size();
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = path + ":" + std::to_string(reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, where));
    if (!j.is_object() || !j.contains("relevant") || !j["relevant"].is_boolean() ||
        !j.contains("features") || !j["features"].is_array() || j["features"].size() != d)
      return Status::InvalidArgument(where + ": expected {\"paper_id\", \"relevant\", \"features\": [" +
                                     std::to_string(d) + " numbers]}");
    EvidenceExample e;
    e.paper_id = j.value("paper_id", where);
    e.relevant = j["relevant"].get<bool>();
    for (const auto& x : j["features"]) {
      if (!x.is_number()) return Status::InvalidArgument(where + ": a feature is not a number");
      e.features.push_back(x.get<float>());
    }
    out.push_back(std::move(e));
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  return out;
}

StatusOr<Json> TrainEvidenceModel(const std::string& examples_path, const std::string& out_dir,
                                  const EvidenceTrainingOptions& options, const Json& provenance) {
  NOVELTA_ASSIGN_OR_RETURN(std::vector<EvidenceExample> examples, ReadEvidenceExamples(examples_path));
  NOVELTA_ASSIGN_OR_RETURN(std::string sha, Sha256File(examples_path));
  NOVELTA_ASSIGN_OR_RETURN(TrainedEvidenceModel trained, TrainEvidence(examples, options));
  Env* env = Env::Default();
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(out_dir));
  const std::string model_text = DumpJson(trained.model->ToJson(), 2) + "\n";
  Json manifest = {
      {"model", {{"file", "evidence.json"}, {"sha256", Sha256Hex(model_text)}}},
      {"kind", "logistic regression over a (claim, prior passage) pair's features"},
      {"data", {{"examples", examples_path}, {"sha256", sha}}},
      {"settings", {{"l2", options.l2}, {"folds", options.folds}, {"seed", options.seed}}},
      {"scores", trained.scores}};
  if (provenance.is_object()) manifest["data"].update(provenance);
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(out_dir + "/evidence.json", model_text));
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(out_dir + "/manifest.json", DumpJson(manifest, 2) + "\n"));
  return manifest;
}

}  // namespace novelta
