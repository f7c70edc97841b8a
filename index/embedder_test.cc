#include "index/embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace novelta {
namespace {

// Two topics over a 40-word vocabulary: words 0-19 and words 20-39.
std::vector<std::vector<int>> TwoTopicDocs(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<int>> docs;
  for (int d = 0; d < n; ++d) {
    int base = (d % 2) * 20;
    std::vector<int> doc;
    for (int k = 0; k < 12; ++k) doc.push_back(base + static_cast<int>(rng() % 20));
    docs.push_back(doc);
  }
  return docs;
}

float Dot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

TEST(EmbedderTest, TfIdfIsSortedNormalisedAndDropsUnseenPieces) {
  EmbedderOptions opts;
  opts.dimensions = 4;
  auto emb = Embedder::Fit(TwoTopicDocs(200, 1), 41, opts);  // id 40 never occurs
  ASSERT_TRUE(emb.ok()) << emb.status().ToString();
  SparseVector v = (*emb)->TfIdf({3, 1, 3, 40});
  ASSERT_EQ(v.entries.size(), 2u);
  EXPECT_EQ(v.entries[0].first, 1);
  EXPECT_EQ(v.entries[1].first, 3);
  EXPECT_GT(v.entries[1].second, v.entries[0].second);  // tf 2 beats tf 1
  EXPECT_NEAR(SparseDot(v, v), 1.0, 1e-5);
  EXPECT_TRUE((*emb)->TfIdf({}).empty());
}

TEST(EmbedderTest, DenseVectorsSeparateTopicsAndSurviveSerialisation) {
  EmbedderOptions opts;
  opts.dimensions = 6;
  opts.seed = 7;
  auto docs = TwoTopicDocs(400, 2);
  auto emb = Embedder::Fit(docs, 40, opts);
  ASSERT_TRUE(emb.ok());
  ASSERT_EQ((*emb)->dimensions(), 6);
  auto embed = [&](const Embedder& e, const std::vector<int>& d) {
    std::vector<float> out(e.dimensions());
    e.Project(e.TfIdf(d), out.data());
    return out;
  };
  auto a0 = embed(**emb, docs[0]), a2 = embed(**emb, docs[2]), b1 = embed(**emb, docs[1]);
  EXPECT_NEAR(Dot(a0, a0), 1.0, 1e-4);
  EXPECT_GT(Dot(a0, a2), Dot(a0, b1) + 0.3);  // same topic much closer than other topic

  auto back = Embedder::Deserialize((*emb)->Serialize());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(embed(**back, docs[5]), embed(**emb, docs[5]));

  std::string bytes = (*emb)->Serialize();
  EXPECT_TRUE(Embedder::Deserialize(bytes.substr(0, bytes.size() - 4)).status().IsCorruption());
  EXPECT_TRUE(Embedder::Deserialize("garbage").status().IsCorruption());
}

TEST(EmbedderTest, FitIsDeterministicForASeed) {
  EmbedderOptions opts;
  opts.dimensions = 5;
  auto docs = TwoTopicDocs(100, 3);
  auto a = Embedder::Fit(docs, 40, opts), b = Embedder::Fit(docs, 40, opts);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->Serialize(), (*b)->Serialize());
}

}  // namespace
}  // namespace novelta
