#include "pipeline/retrieve/related_reranker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "base/env.h"

namespace novelta {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("novelta_reranker_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

size_t FeatureIndex(const std::string& name) {
  const auto& names = RerankFeatureNames();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

PriorWork Work(const std::string& id, const std::string& title, int year, const std::string& venue,
               double score, int merged_rank) {
  PriorWork w;
  w.id = id;
  w.title = title;
  w.year = year;
  w.venue = venue;
  w.score = score;
  RetrievalSignals& s = DetailOf(&w).signals;
  s.queries = 1;
  s.best_rank = merged_rank;
  s.merged_rank = merged_rank;
  s.by_kind[static_cast<int>(QueryKind::kPaper)] = static_cast<float>(score);
  return w;
}

TEST(RerankFeaturesTest, OneRowPerWorkInTheOrderOfTheNames) {
  RerankContext ctx;
  ctx.own_text = "We adapt low-rank adapters.";
  ctx.year = 2025;
  std::vector<PriorWork> pool = {Work("a", "Low-Rank Adaptation", 2021, "iclr", 0.9, 0),
                                 Work("b", "Robot Grasping", 2010, "icra", 0.5, 1)};
  auto rows = RerankFeatures(ctx, pool);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) EXPECT_EQ(r.size(), RerankFeatureNames().size());
}

TEST(RerankFeaturesTest, TitleCoverageCountsTheTitlesWordsAndPairsInTheOwnText) {
  RerankContext ctx;
  ctx.own_text = "Our method builds on low-rank adaptation of large models, unlike graph kernels.";
  ctx.year = 2025;
  ctx.has_body = true;
  std::vector<PriorWork> pool = {
      Work("full", "Low-Rank Adaptation of Large Models", 2021, "iclr", 0.9, 0),
      Work("half", "Low-Rank Tensor Networks", 2020, "nips", 0.5, 1),
      Work("none", "Robot Grasping in Clutter", 2012, "icra", 0.2, 2)};
  auto rows = RerankFeatures(ctx, pool);
  const size_t cov = FeatureIndex("title_coverage"), pairs = FeatureIndex("title_bigram_coverage");
  EXPECT_FLOAT_EQ(rows[0][cov], 1.f);
  EXPECT_FLOAT_EQ(rows[0][pairs], 1.f);
  // "low", "rank" of "low rank tensor networks": 2 of 4; pairs: "low rank" of 3.
  EXPECT_FLOAT_EQ(rows[1][cov], 0.5f);
  EXPECT_FLOAT_EQ(rows[1][pairs], 1.f / 3);
  EXPECT_FLOAT_EQ(rows[2][cov], 0.f);
  EXPECT_FLOAT_EQ(rows[2][pairs], 0.f);
  EXPECT_FLOAT_EQ(rows[0][FeatureIndex("has_body")], 1.f);
}

TEST(RerankFeaturesTest, TheOwnTextIsReadAsTitlesAreTokenized) {
  // The own text is scanned without a string per word; a title found word
  // for word in it must cover itself whatever its LaTeX, case or bytes.
  for (const std::string title :
       {"$\\alpha$-Nets: \\textbf{Fast} GPT-4's X-Rays", "Über-Modelle für Übersetzung",
        "A_b^c {Deep} \\\\ Nets", "ResNet-50 on ImageNet-1k (v2)"}) {
    RerankContext ctx;
    ctx.own_text = title;
    auto rows = RerankFeatures(ctx, {Work("a", title, 2020, "nips", 1, 0)});
    EXPECT_FLOAT_EQ(rows[0][FeatureIndex("title_coverage")], 1.f) << title;
    EXPECT_FLOAT_EQ(rows[0][FeatureIndex("title_bigram_coverage")], 1.f) << title;
  }
}

TEST(RerankFeaturesTest, YearGapAndVenueShare) {
  RerankContext ctx;
  ctx.own_text = "text";
  ctx.year = 2025;
  std::vector<PriorWork> pool = {Work("a", "A", 2024, "nips", 3, 0), Work("b", "B", 2021, "nips", 1, 1),
                                 Work("c", "C", 1990, "icra", 1, 2), Work("d", "D", 0, "nips", 1, 3)};
  auto rows = RerankFeatures(ctx, pool);
  const size_t gap = FeatureIndex("year_gap"), recent = FeatureIndex("gap_le_1"),
               mid = FeatureIndex("gap_2_to_5"), share = FeatureIndex("venue_share"),
               score_share = FeatureIndex("venue_score_share");
  EXPECT_FLOAT_EQ(rows[0][gap], 1);
  EXPECT_FLOAT_EQ(rows[0][recent], 1);
  EXPECT_FLOAT_EQ(rows[1][gap], 4);
  EXPECT_FLOAT_EQ(rows[1][mid], 1);
  EXPECT_FLOAT_EQ(rows[2][gap], 30);  // capped
  EXPECT_FLOAT_EQ(rows[3][gap], 10);  // unknown year: a typical gap
  EXPECT_FLOAT_EQ(rows[0][share], 0.75f);
  EXPECT_FLOAT_EQ(rows[2][share], 0.25f);
  EXPECT_FLOAT_EQ(rows[0][score_share], 5.f / 6);
}

RelatedReranker OnlyFeature(const std::string& name, double weight) {
  const size_t d = RerankFeatureNames().size();
  std::vector<double> w(d, 0.0);
  w[FeatureIndex(name)] = weight;
  return RelatedReranker(std::vector<double>(d, 0.0), std::vector<double>(d, 1.0), w, 0.0);
}

TEST(RelatedRerankerTest, RerankOrdersByProbabilityAndSetsScores) {
  RerankContext ctx;
  ctx.own_text = "we study graph kernels";
  ctx.year = 2025;
  std::vector<PriorWork> pool = {Work("far", "Robot Grasping", 2020, "icra", 0.9, 0),
                                 Work("near", "Graph Kernels", 2020, "nips", 0.5, 1),
                                 Work("tie", "Robot Arms", 2020, "icra", 0.4, 2)};
  auto features = RerankFeatures(ctx, pool);
  OnlyFeature("title_coverage", 4.0).Rerank(features, &pool);
  ASSERT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool[0].id, "near");
  EXPECT_EQ(pool[1].id, "far");  // a tie keeps the merged order
  EXPECT_EQ(pool[2].id, "tie");
  EXPECT_NEAR(pool[0].score, 1 / (1 + std::exp(-4.0)), 1e-9);
  EXPECT_NEAR(pool[1].score, 0.5, 1e-9);
}

TEST(RelatedRerankerTest, JsonRoundTripAndRejections) {
  auto model = OnlyFeature("named", 1.5);
  auto again = RelatedReranker::FromJson(model.ToJson());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  std::vector<float> f(RerankFeatureNames().size(), 0.f);
  f[FeatureIndex("named")] = 2.f;
  EXPECT_DOUBLE_EQ((*again)->Probability(f), model.Probability(f));

  Json bad = model.ToJson();
  bad["format"] = "other";
  EXPECT_FALSE(RelatedReranker::FromJson(bad).ok());
  bad = model.ToJson();
  bad["features"][0] = "renamed";
  auto r = RelatedReranker::FromJson(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("retrain"), std::string::npos);
  bad = model.ToJson();
  bad["weights"].erase(0);
  EXPECT_FALSE(RelatedReranker::FromJson(bad).ok());
  bad = model.ToJson();
  bad["scale"][1] = 0.0;
  EXPECT_FALSE(RelatedReranker::FromJson(bad).ok());
  bad = model.ToJson();
  bad["bias"] = "x";
  EXPECT_FALSE(RelatedReranker::FromJson(bad).ok());
  EXPECT_FALSE(RelatedReranker::FromJson(Json::array()).ok());
}

TEST(RelatedRerankerTest, ModelPaths) {
  std::string warning;
  EXPECT_EQ(RerankerForModelPath("none", &warning), nullptr);
  EXPECT_TRUE(warning.empty());
  EXPECT_EQ(RerankerForModelPath("/nonexistent/reranker.json", &warning), nullptr);
  EXPECT_NE(warning.find("not reranked"), std::string::npos);
  const fs::path dir = TempDir("paths");
  std::ofstream(dir / "broken.json") << "{\"format\": ";
  EXPECT_EQ(RerankerForModelPath((dir / "broken.json").string(), &warning), nullptr);
  EXPECT_FALSE(warning.empty());
}

// The model the assessor ships with must match the features this version
// computes; otherwise every assessment would silently keep the merged order.
TEST(RelatedRerankerTest, ShippedModelLoads) {
  const std::string path = std::string(NOVELTA_SOURCE_DIR) + "/models/rerank/reranker.json";
  auto model = RelatedReranker::Load(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::string manifest;
  ASSERT_TRUE(Env::Default()
                  ->ReadFile(std::string(NOVELTA_SOURCE_DIR) + "/models/rerank/manifest.json", &manifest)
                  .ok());
  auto m = ParseJson(manifest, "manifest.json");
  ASSERT_TRUE(m.ok());
  // Cross-fitted, the shipped model ranks cited work above the merged order.
  EXPECT_GT((*m)["scores"]["reranked_cross_fitted"]["recall@20"].get<double>(),
            (*m)["scores"]["merged_order"]["recall@20"].get<double>());
}

// Seeded synthetic pools in which "title_coverage" decides what is cited and
// the merged order is noise: training must find it.
std::vector<RerankGroup> SyntheticGroups(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  const size_t d = RerankFeatureNames().size(), key = FeatureIndex("title_coverage");
  std::vector<RerankGroup> groups;
  for (int g = 0; g < n; ++g) {
    RerankGroup group;
    group.id = "s" + std::to_string(g);
    for (int i = 0; i < 60; ++i) {
      std::vector<float> f(d);
      for (auto& x : f) x = u(rng);
      const bool cited = f[key] + 0.2f * u(rng) > 0.95f;
      group.features.push_back(f);
      group.cited.push_back(cited);
      group.n_gold += cited;
    }
    group.n_gold += 1;  // one cited work the pool missed
    groups.push_back(std::move(group));
  }
  return groups;
}

TEST(TrainRerankerTest, LearnsTheInformativeFeatureAndScoresByCrossFitting) {
  auto groups = SyntheticGroups(120, 7);
  auto trained = TrainReranker(groups, {});
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  const Json& s = trained->scores;
  EXPECT_EQ(s["submissions"].get<int>(), 120);
  EXPECT_EQ(s["candidates"].get<int>(), 120 * 60);
  EXPECT_GT(s["reranked_cross_fitted"]["recall@10"].get<double>(),
            s["merged_order"]["recall@10"].get<double>() + 0.3);
  const Json model = trained->model->ToJson();
  const size_t key = FeatureIndex("title_coverage");
  for (size_t i = 0; i < RerankFeatureNames().size(); ++i)
    if (i != key)
      EXPECT_LT(std::abs(model["weights"][i].get<double>()), model["weights"][key].get<double>() / 4)
          << RerankFeatureNames()[i];
  // Deterministic: the same data gives the same model.
  auto again = TrainReranker(groups, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->model->ToJson().dump(), model.dump());
}

TEST(TrainRerankerTest, RejectsWhatCannotBeFitted) {
  EXPECT_FALSE(TrainReranker({}, {}).ok());
  auto groups = SyntheticGroups(4, 1);
  for (auto& g : groups) g.cited.assign(g.cited.size(), false);
  EXPECT_FALSE(TrainReranker(groups, {}).ok());
  groups = SyntheticGroups(4, 1);
  groups[2].features[3].pop_back();
  auto r = TrainReranker(groups, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("s2"), std::string::npos);
  groups = SyntheticGroups(4, 1);
  RerankTrainingOptions one_fold;
  one_fold.folds = 1;
  EXPECT_FALSE(TrainReranker(groups, one_fold).ok());
}

TEST(TrainRerankerTest, TrainsFromCandidatesFileAndWritesModelAndManifest) {
  const fs::path dir = TempDir("train");
  {
    std::ofstream out(dir / "candidates.jsonl");
    for (const auto& g : SyntheticGroups(40, 3)) {
      Json works = Json::array();
      for (size_t i = 0; i < g.features.size(); ++i)
        works.push_back({{"id", "w" + std::to_string(i)}, {"cited", static_cast<bool>(g.cited[i])},
                         {"features", g.features[i]}});
      out << Json{{"id", g.id}, {"n_gold", g.n_gold}, {"works", works}}.dump() << "\n";
    }
  }
  auto manifest = TrainRerankerModel((dir / "candidates.jsonl").string(), (dir / "model").string(), {});
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_EQ((*manifest)["scores"]["submissions"].get<int>(), 40);
  EXPECT_EQ((*manifest)["data"]["sha256"].get<std::string>().size(), 64u);
  auto loaded = RelatedReranker::Load((dir / "model" / "reranker.json").string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();

  std::ofstream(dir / "bad.jsonl") << "{\"id\": \"x\", \"n_gold\": 1, \"works\": []}\n{\"works\": 3}\n";
  auto bad = ReadRerankGroups((dir / "bad.jsonl").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad.jsonl:2"), std::string::npos);
  EXPECT_FALSE(ReadRerankGroups((dir / "missing.jsonl").string()).ok());
}

}  // namespace
}  // namespace novelta
