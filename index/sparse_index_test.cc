#include "index/sparse_index.h"

#include <gtest/gtest.h>

#include "index/paper_index.h"
#include "index/test_index_util.h"

namespace novelta {
namespace {

TEST(SparseIndexTest, RanksByTermOverlapWithBothScorings) {
  auto idx = SparseIndex::FromTexts({"graph neural networks for molecules",
                                     "diffusion models for image synthesis",
                                     "graph attention networks",
                                     "the of and"});
  EXPECT_EQ(idx->size(), 4u);
  for (auto scoring : {SparseScoring::kTfIdfCosine, SparseScoring::kBm25}) {
    auto hits = idx->Search("graph networks", 10, scoring);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].row, 2);  // shorter document, same terms: higher cosine / BM25
    EXPECT_EQ(hits[1].row, 0);
    EXPECT_GT(hits[0].score, hits[1].score);
  }
  EXPECT_TRUE(idx->Search("the of and", 10, SparseScoring::kBm25).empty());  // stopwords only
  auto filtered = idx->Search("graph", 10, SparseScoring::kBm25, [](int64_t row) { return row != 2; });
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].row, 0);
}

TEST(SparseIndexTest, CosineOfADocumentWithItselfIsOne) {
  auto idx = SparseIndex::FromTexts({"alpha beta gamma", "beta delta", "epsilon"});
  auto hits = idx->Search("alpha beta gamma", 1, SparseScoring::kTfIdfCosine);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NEAR(hits[0].score, 1.0, 1e-5);
}

TEST(SparseIndexTest, BuiltLazilyFromTheFixtureIndex) {
  auto index = PaperIndex::Open(testing::FixtureIndexDir());
  ASSERT_TRUE(index.ok());
  auto sparse = (*index)->sparse_index();
  ASSERT_TRUE(sparse.ok());
  EXPECT_EQ((*sparse)->size(), 30u);
  auto hits = (*sparse)->Search("proximal policy optimization clipped surrogate", 1, SparseScoring::kBm25);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ((*index)->id(hits[0].row), "fx-rl-01");
}

}  // namespace
}  // namespace novelta
