#include "pipeline/compare/evidence_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace novelta {
namespace {

TEST(EvidenceFeaturesTest, OneValuePerNameAndTheSignalsWhereTheyBelong) {
  EvidenceSignals s;
  s.lexical = 0.4f;
  s.cited = true;
  s.passage_index = 0;
  s.passages = 5;
  s.claim_type = ClaimType::kTheory;
  auto f = EvidenceFeatures(s);
  const auto& names = EvidenceFeatureNames();
  ASSERT_EQ(f.size(), names.size());
  auto at = [&](const std::string& name) {
    return f[std::find(names.begin(), names.end(), name) - names.begin()];
  };
  EXPECT_FLOAT_EQ(at("lexical"), 0.4f);
  EXPECT_FLOAT_EQ(at("cited"), 1.f);
  EXPECT_FLOAT_EQ(at("first_passage"), 1.f);
  EXPECT_FLOAT_EQ(at("claim_theory"), 1.f);
  EXPECT_FLOAT_EQ(at("claim_result"), 0.f);
}

// Examples whose label follows lexical similarity and citation, with noise.
std::vector<EvidenceExample> Synthetic(size_t papers) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> unit(0, 1);
  std::vector<EvidenceExample> out;
  for (size_t p = 0; p < papers; ++p)
    for (int k = 0; k < 40; ++k) {
      EvidenceSignals s;
      s.lexical = unit(rng);
      s.cited = unit(rng) < 0.2f;
      const double z = 6 * s.lexical + 2 * s.cited - 5;
      out.push_back({"p" + std::to_string(p), EvidenceFeatures(s), unit(rng) < 1 / (1 + std::exp(-z))});
    }
  return out;
}

TEST(EvidenceTrainingTest, CrossFittedScoresAndAModelThatRanksByTheSignal) {
  auto trained = TrainEvidence(Synthetic(30), {});
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  EXPECT_EQ(trained->scores["papers"], 30);
  EXPECT_EQ(trained->scores["pairs"], 1200);
  EXPECT_GT(trained->scores["cross_fitted_auc"].get<double>(), 0.75);
  EvidenceSignals low, high;
  low.lexical = 0.1f;
  high.lexical = 0.9f;
  high.cited = true;
  EXPECT_LT(trained->model->Probability(low), 0.2);
  EXPECT_GT(trained->model->Probability(high), 0.7);
  // Round trip through the model file's JSON.
  auto back = EvidenceModel::FromJson(trained->model->ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ((*back)->Probability(high), trained->model->Probability(high));
  EvidenceTrainingOptions one_fold;
  one_fold.folds = 1;
  EXPECT_FALSE(TrainEvidence(Synthetic(3), one_fold).ok());
}

TEST(EvidenceModelTest, TheShippedModelLoadsAndAMissingOneFallsBack) {
  auto shipped = EvidenceModel::Load(NOVELTA_SOURCE_DIR "/models/evidence/evidence.json");
  ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
  EXPECT_NE(EvidenceModelFor(""), nullptr);
  EXPECT_EQ(EvidenceModelFor("none"), nullptr);
  EXPECT_EQ(EvidenceModelFor("/no/such/evidence.json"), nullptr);  // one warning line, no model
  EXPECT_FALSE(EvidenceModel::FromJson(Json{{"format", "novelta-evidence/1"}}).ok());
}

TEST(EvidenceExamplesTest, ReadingNamesTheBadLine) {
  const auto dir = std::filesystem::temp_directory_path() / "novelta_evidence_examples_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "examples.jsonl").string();
  std::ofstream(path) << DumpJson(Json{{"paper_id", "p"}, {"relevant", true},
                                       {"features", EvidenceFeatures(EvidenceSignals{})}})
                      << "\n{\"paper_id\": \"q\", \"relevant\": true, \"features\": [1, 2]}\n";
  auto read = ReadEvidenceExamples(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find(":2:"), std::string::npos) << read.status().ToString();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace novelta
