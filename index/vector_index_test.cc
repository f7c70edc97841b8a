#include "index/vector_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
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

// Recall@10 of approximate search against exact search over the same data.
double RecallAt10(const VectorIndex& exact_index, const VectorIndex& approx_index,
                  const std::vector<float>& queries, size_t nq) {
  auto exact = exact_index.Search(queries.data(), nq, 10);
  auto approx = approx_index.Search(queries.data(), nq, 10);
  size_t found = 0;
  for (size_t q = 0; q < nq; ++q) {
    std::unordered_set<int64_t> truth;
    for (const auto& h : exact[q]) truth.insert(h.row);
    for (const auto& h : approx[q]) found += truth.count(h.row);
  }
  return static_cast<double>(found) / (nq * 10);
}

// Vectors around a few hundred centres, as document embeddings are, so that
// the nearest neighbours are meaningful rather than ties of random noise.
std::vector<float> ClusteredUnitVectors(size_t n, int d, uint64_t seed) {
  auto centres = RandomUnitVectors(300, d, seed);
  auto noise = RandomUnitVectors(n, d, seed + 1);
  std::mt19937_64 rng(seed + 2);
  std::vector<float> v(n * d);
  for (size_t i = 0; i < n; ++i) {
    size_t c = rng() % 300;
    double norm = 0;
    for (int k = 0; k < d; ++k) norm += std::pow(v[i * d + k] = centres[c * d + k] + 0.6f * noise[i * d + k], 2);
    for (int k = 0; k < d; ++k) v[i * d + k] /= static_cast<float>(std::sqrt(norm));
  }
  return v;
}

TEST(VectorIndexTest, IvfPqRecallAgainstExactSearch) {
  const int d = 32;
  const size_t n = 10000, nq = 200;
  // Queries come from the same distribution as the data, held out of the index.
  auto data = ClusteredUnitVectors(n + nq, d, 11);
  std::vector<float> queries(data.begin() + n * d, data.end());
  VectorIndexOptions flat_opts, ivf_opts;
  flat_opts.type = "flat";
  ivf_opts.type = "ivfpq";
  ivf_opts.pq_m = 8;
  auto flat = VectorIndex::Build(data.data(), n, d, flat_opts);
  auto ivf = VectorIndex::Build(data.data(), n, d, ivf_opts);
  ASSERT_TRUE(flat.ok() && ivf.ok()) << ivf.status().ToString();
  EXPECT_EQ((*ivf)->type(), "ivfpq");
  EXPECT_EQ((*ivf)->size(), n);
  EXPECT_GE(RecallAt10(**flat, **ivf, queries, nq), 0.95) << "IVF-PQ recall@10 vs exact";
  // A stored vector finds itself first.
  EXPECT_EQ((*ivf)->Search(&data[1234 * d], 1, 1)[0][0].row, 1234);
}

TEST(VectorIndexTest, IvfPqMemoryMappedLoadMatchesInMemoryLoad) {
  const int d = 32;
  const size_t n = 4000, nq = 50;
  auto data = ClusteredUnitVectors(n + nq, d, 21);
  std::vector<float> queries(data.begin() + n * d, data.end());
  VectorIndexOptions opts;
  opts.type = "ivfpq";
  opts.pq_m = 8;
  auto idx = VectorIndex::Build(data.data(), n, d, opts);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  auto path = (std::filesystem::temp_directory_path() / "novelta_vi_ivfpq_test.faiss").string();
  ASSERT_TRUE((*idx)->Save(path).ok());

  VectorLoadOptions mapped_opts, in_memory_opts;
  in_memory_opts.mmap = false;
  auto mapped = VectorIndex::Load(path, mapped_opts);
  auto in_memory = VectorIndex::Load(path, in_memory_opts);
  ASSERT_TRUE(mapped.ok() && in_memory.ok()) << mapped.status().ToString();
  EXPECT_EQ((*mapped)->type(), "ivfpq");
  EXPECT_TRUE((*mapped)->memory_mapped());
  EXPECT_FALSE((*in_memory)->memory_mapped());
  auto a = (*mapped)->Search(queries.data(), nq, 10);
  auto b = (*in_memory)->Search(queries.data(), nq, 10);
  auto c = (*idx)->Search(queries.data(), nq, 10);
  for (size_t q = 0; q < nq; ++q) {
    ASSERT_EQ(a[q].size(), 10u);
    ASSERT_EQ(a[q].size(), b[q].size());
    for (size_t i = 0; i < a[q].size(); ++i) {
      EXPECT_EQ(a[q][i].row, b[q][i].row);
      EXPECT_EQ(a[q][i].row, c[q][i].row);
    }
  }
  // A mapped index is read-only; an in-memory one takes new vectors with the trained codebooks.
  EXPECT_TRUE((*mapped)->Add(data.data(), 1).code() == Status::Code::kFailedPrecondition);
  ASSERT_TRUE((*in_memory)->Add(&data[5 * d], 1).ok());
  EXPECT_EQ((*in_memory)->size(), n + 1);
  auto self = (*in_memory)->Search(&data[5 * d], 1, 2)[0];
  ASSERT_EQ(self.size(), 2u);
  std::unordered_set<int64_t> rows = {self[0].row, self[1].row};
  EXPECT_TRUE(rows.count(5) && rows.count(static_cast<int64_t>(n)));
  std::filesystem::remove(path);
}

TEST(VectorIndexTest, FlatQuantizedScanMatchesExactSearch) {
  // 8-bit scan + exact re-ranking against the exact float scan. An odd row
  // count (a partial last block of 16) and a dimension that is not a multiple
  // of 4 exercise the padding.
  const int d = 30;
  const size_t n = 20003, nq = 100;
  auto data = ClusteredUnitVectors(n + nq, d, 61);
  std::vector<float> queries(data.begin() + n * d, data.end());
  VectorIndexOptions opts;
  opts.type = "flat";
  auto idx = VectorIndex::Build(data.data(), n, d, opts);
  ASSERT_TRUE(idx.ok());
  for (int k : {10, 50}) {
    auto exact = (*idx)->SearchExact(queries.data(), nq, k);
    auto got = (*idx)->Search(queries.data(), nq, k);  // one batch
    size_t found = 0;
    for (size_t q = 0; q < nq; ++q) {
      ASSERT_EQ(got[q].size(), static_cast<size_t>(k));
      std::unordered_set<int64_t> truth;
      for (const auto& h : exact[q]) truth.insert(h.row);
      for (size_t i = 0; i < got[q].size(); ++i) {
        found += truth.count(got[q][i].row);
        // Scores are the exact inner products, best first.
        float dot = 0;
        for (int j = 0; j < d; ++j) dot += queries[q * d + j] * data[got[q][i].row * d + j];
        EXPECT_NEAR(got[q][i].score, dot, 1e-5);
        if (i > 0) EXPECT_GE(got[q][i - 1].score, got[q][i].score);
      }
      // One query at a time gives the same answer as the batch.
      auto single = (*idx)->Search(&queries[q * d], 1, k)[0];
      for (size_t i = 0; i < single.size(); ++i) EXPECT_EQ(single[i].row, got[q][i].row);
    }
    EXPECT_GE(static_cast<double>(found) / (nq * k), 0.99) << "k=" << k;
  }
  // A row added later is found by the scan (the 8-bit copy is rebuilt).
  ASSERT_TRUE((*idx)->Add(&queries[0], 1).ok());
  auto hits = (*idx)->Search(&queries[0], 1, 1);
  EXPECT_EQ(hits[0][0].row, static_cast<int64_t>(n));
  // An all-zero query still returns k rows (every score 0).
  std::vector<float> zero(d, 0.f);
  EXPECT_EQ((*idx)->Search(zero.data(), 1, 5)[0].size(), 5u);
}

TEST(VectorIndexTest, AutoChoosesExactForSmallAndIvfPqForLargeCorpora) {
  VectorIndexOptions opts;
  EXPECT_EQ(VectorIndex::ResolveType(opts, 1000), "flat");
  EXPECT_EQ(VectorIndex::ResolveType(opts, opts.auto_approximate_from - 1), "flat");
  EXPECT_EQ(VectorIndex::ResolveType(opts, opts.auto_approximate_from), "ivfpq");
  opts.type = "hnsw";
  EXPECT_EQ(VectorIndex::ResolveType(opts, 10'000'000), "hnsw");
  // A lowered threshold makes auto build a real IVF-PQ index.
  VectorIndexOptions low;
  low.auto_approximate_from = 1000;
  low.pq_m = 4;
  auto data = ClusteredUnitVectors(1500, 16, 31);
  auto idx = VectorIndex::Build(data.data(), 1500, 16, low);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_EQ((*idx)->type(), "ivfpq");
}

TEST(VectorIndexTest, IvfPqNeedsEnoughVectorsToTrain) {
  auto data = RandomUnitVectors(100, 16, 41);
  VectorIndexOptions opts;
  opts.type = "ivfpq";
  auto idx = VectorIndex::Build(data.data(), 100, 16, opts);
  EXPECT_TRUE(idx.status().IsInvalidArgument());
  EXPECT_NE(idx.status().message().find("256"), std::string::npos);
}

TEST(VectorIndexTest, FlatAddAppendsRows) {
  const int d = 8;
  auto data = RandomUnitVectors(20, d, 51);
  VectorIndexOptions opts;
  opts.type = "flat";
  auto idx = VectorIndex::Build(data.data(), 10, d, opts);
  ASSERT_TRUE(idx.ok());
  ASSERT_TRUE((*idx)->Add(&data[10 * d], 10).ok());
  EXPECT_EQ((*idx)->size(), 20u);
  EXPECT_EQ((*idx)->Search(&data[17 * d], 1, 1)[0][0].row, 17);
}

TEST(VectorIndexTest, LoadRejectsGarbage) {
  auto path = (std::filesystem::temp_directory_path() / "novelta_vi_garbage.faiss").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("not a faiss index at all", f);
    std::fclose(f);
  }
  EXPECT_TRUE(VectorIndex::Load(path).status().IsCorruption());
  std::filesystem::remove(path);
}

TEST(VectorIndexTest, UnknownTypeIsRejected) {
  float v[4] = {1, 0, 0, 0};
  VectorIndexOptions opts;
  opts.type = "lsh";
  EXPECT_TRUE(VectorIndex::Build(v, 1, 4, opts).status().IsInvalidArgument());
}

}  // namespace
}  // namespace novelta
