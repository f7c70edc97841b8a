#include "base/logistic_regression.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

namespace novelta {
namespace {

// Labels drawn from a known logistic model over two features (the second
// noise), so a fit recovers the first weight's sign and the second's near-zero.
void Sample(size_t n, std::vector<std::vector<float>>* rows, std::vector<bool>* labels) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  for (size_t i = 0; i < n; ++i) {
    float a = normal(rng), b = normal(rng) * 5 + 10;
    const double p = 1 / (1 + std::exp(-(2.0 * a - 0.5)));
    rows->push_back({a, b});
    labels->push_back(unit(rng) < p);
  }
}

TEST(LogisticRegressionTest, RecoversAKnownModel) {
  std::vector<std::vector<float>> rows;
  std::vector<bool> labels;
  Sample(4000, &rows, &labels);
  auto m = FitLogisticModel(rows, labels, {"signal", "noise"});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // Weights are on standardised features: the signal's sd is 1, so its weight is near 2.
  EXPECT_NEAR(m->weights()[0], 2.0, 0.25);
  EXPECT_NEAR(m->weights()[1], 0.0, 0.15);
  EXPECT_GT(m->Probability({2.0f, 10.0f}), 0.9);
  EXPECT_LT(m->Probability({-2.0f, 10.0f}), 0.1);
}

TEST(LogisticRegressionTest, RoundTripsThroughJsonAndRefusesOtherFeatures) {
  std::vector<std::vector<float>> rows;
  std::vector<bool> labels;
  Sample(500, &rows, &labels);
  auto m = FitLogisticModel(rows, labels, {"signal", "noise"});
  ASSERT_TRUE(m.ok());
  Json j = m->ToJson("test-model/1");
  auto back = LogisticModel::FromJson(j, "test-model/1", {"signal", "noise"});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  for (const auto& r : rows) EXPECT_DOUBLE_EQ(back->Probability(r), m->Probability(r));
  EXPECT_FALSE(LogisticModel::FromJson(j, "other-model/1", {"signal", "noise"}).ok());
  EXPECT_FALSE(LogisticModel::FromJson(j, "test-model/1", {"signal", "other"}).ok());
  j["scale"][0] = 0;
  EXPECT_FALSE(LogisticModel::FromJson(j, "test-model/1", {"signal", "noise"}).ok());
}

TEST(LogisticRegressionTest, LoadsAModelFileAndNamesTheFileInErrors) {
  std::vector<std::vector<float>> rows;
  std::vector<bool> labels;
  Sample(200, &rows, &labels);
  auto m = FitLogisticModel(rows, labels, {"signal", "noise"});
  ASSERT_TRUE(m.ok());
  Env* env = Env::Default();
  const std::string dir = ::testing::TempDir();
  const std::string good = dir + "/novelta_lr_good.json", bad = dir + "/novelta_lr_bad.json";
  ASSERT_TRUE(env->WriteFileAtomic(good, m->ToJson("test-model/1").dump()).ok());
  ASSERT_TRUE(env->WriteFileAtomic(bad, "{\"format\": \"test-model/1\"}").ok());
  auto loaded = LogisticModel::Load(good, "test-model/1", {"signal", "noise"}, env);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_DOUBLE_EQ(loaded->Probability(rows[0]), m->Probability(rows[0]));
  auto malformed = LogisticModel::Load(bad, "test-model/1", {"signal", "noise"}, env);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(malformed.status().message().find(bad), std::string::npos);
  EXPECT_FALSE(LogisticModel::Load(dir + "/novelta_lr_missing.json", "test-model/1", {"signal"}, env).ok());
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

TEST(LogisticRegressionTest, RefusesWhatCannotBeFitted) {
  EXPECT_FALSE(FitLogisticModel({}, {}, {"a"}).ok());
  EXPECT_FALSE(FitLogisticModel({{1.0f}, {2.0f}}, {true, true}, {"a"}).ok());
  EXPECT_FALSE(FitLogisticModel({{1.0f, 2.0f}, {2.0f}}, {true, false}, {"a", "b"}).ok());
}

}  // namespace
}  // namespace novelta
