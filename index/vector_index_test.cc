#include "index/vector_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <unordered_set>

namespace novelta {
namespace {

std::vector<float> RandomUnitVectors(size_t n, int d, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> v(n * d);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (int k = 0; k < d; ++k) norm += std::pow(v[i * d + k] = normal(rng), 2);
    for (int k = 0; k < d; ++k) v[i * d + k] /= static_cast<float>(std::sqrt(norm));
  }
  return v;
}

TEST(VectorIndexTest, FlatSearchIsExactAndSurvivesSaveLoad) {
  const int d = 16;
  auto data = RandomUnitVectors(500, d, 1);
  VectorIndexOptions opts;
  opts.type = "flat";
  auto idx = VectorIndex::Build(data.data(), 500, d, opts);
  ASSERT_TRUE(idx.ok());
  auto hits = (*idx)->Search(&data[42 * d], 1, 5);
  ASSERT_EQ(hits[0].size(), 5u);
  EXPECT_EQ(hits[0][0].row, 42);
  EXPECT_NEAR(hits[0][0].score, 1.0, 1e-5);
  for (size_t i = 1; i < 5; ++i) EXPECT_GE(hits[0][i - 1].score, hits[0][i].score);

  auto path = (std::filesystem::temp_directory_path() / "novelta_vi_test.faiss").string();
  ASSERT_TRUE((*idx)->Save(path).ok());
  auto loaded = VectorIndex::Load(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->size(), 500u);
  EXPECT_EQ((*loaded)->Search(&data[7 * d], 1, 1)[0][0].row, 7);
  EXPECT_TRUE(VectorIndex::Load("/nonexistent.faiss").status().IsCorruption());
}

TEST(VectorIndexTest, HnswRecallAgainstExactSearch) {
  const int d = 32;
  const size_t n = 5000, nq = 100;
  auto data = RandomUnitVectors(n, d, 2);
  auto queries = RandomUnitVectors(nq, d, 3);
  VectorIndexOptions flat_opts, hnsw_opts;
  flat_opts.type = "flat";
  hnsw_opts.type = "hnsw";
  auto flat = VectorIndex::Build(data.data(), n, d, flat_opts);
  auto hnsw = VectorIndex::Build(data.data(), n, d, hnsw_opts);
  ASSERT_TRUE(flat.ok() && hnsw.ok());
  EXPECT_EQ((*hnsw)->type(), "hnsw");
  auto exact = (*flat)->Search(queries.data(), nq, 10);
  auto approx = (*hnsw)->Search(queries.data(), nq, 10);
  size_t found = 0;
  for (size_t q = 0; q < nq; ++q) {
    std::unordered_set<int64_t> truth;
    for (const auto& h : exact[q]) truth.insert(h.row);
    for (const auto& h : approx[q]) found += truth.count(h.row);
  }
  double recall = static_cast<double>(found) / (nq * 10);
  EXPECT_GE(recall, 0.95) << "HNSW recall@10 vs exact";
}

TEST(VectorIndexTest, UnknownTypeIsRejected) {
  float v[4] = {1, 0, 0, 0};
  VectorIndexOptions opts;
  opts.type = "lsh";
  EXPECT_TRUE(VectorIndex::Build(v, 1, 4, opts).status().IsInvalidArgument());
}

}  // namespace
}  // namespace novelta
