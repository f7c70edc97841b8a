#include "index/reference_resolver.h"

#include <gtest/gtest.h>

namespace novelta {
namespace {

ReferenceResolver MakeResolver() {
  return ReferenceResolver({{0, "Membership Inference Attacks Against Machine Learning Models", 2017},
                            {1, "Learning to Learn", 2016},
                            {2, "Learning to learn by gradient descent by gradient descent", 2016},
                            {3, "Deep Learning with Differential Privacy", 2016},
                            {4, "Deep Learning with Differential Privacy", 2015}});
}

TEST(ReferenceResolverTest, FindsTitleInsideAReferenceString) {
  auto r = MakeResolver();
  auto m = r.Resolve(
      "[3] Reza Shokri, Marco Stronati, Congzheng Song, and Vitaly Shmatikov. Membership inference "
      "attacks against machine learning models. In 2017 IEEE symposium on security and privacy (SP), "
      "pages 3-18. IEEE, 2017.");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.row, 0);
  EXPECT_EQ(m.n_words, 7u);
}

TEST(ReferenceResolverTest, PrefersTheLongestTitleAndNeverMatchesShortGenericOnes) {
  auto r = MakeResolver();
  EXPECT_EQ(r.Resolve("M. Andrychowicz et al. Learning to learn by gradient descent by gradient "
                      "descent. NeurIPS 2016.").row, 2);
  EXPECT_FALSE(r.Resolve("S. Thrun. Learning to learn. Springer, 1998.").found());
  EXPECT_EQ(r.ResolveTitle("Learning to Learn").row, 1);  // exact look-up allows 3 words
  EXPECT_FALSE(r.Resolve("An unrelated reference about protein folding, 2020.").found());
}

TEST(ReferenceResolverTest, UsesTheYearToChooseBetweenSameTitles) {
  auto r = MakeResolver();
  EXPECT_EQ(r.Resolve("M. Abadi et al. Deep learning with differential privacy. CCS, 2016.").row, 3);
  EXPECT_EQ(r.ResolveTitle("deep learning with differential privacy!", 2015).row, 4);
}

}  // namespace
}  // namespace novelta
