#include "index/masked_add.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace novelta {
namespace {

// Random bitmaps of several densities (all-zero and all-one words among
// them), added in turn over random scores: every version must give exactly
// the sums of a plain loop over bitmaps and rows.
void ExpectSameSumsAsAPlainLoop(AddWhereBitsSetFn add) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> score(0.f, 30.f), weight(0.01f, 9.f);
  const size_t n_words = 37;
  for (size_t n_bitmaps : {size_t{0}, size_t{1}, size_t{2}, size_t{7}}) {
    std::vector<std::vector<uint64_t>> bitmaps;
    std::vector<const uint64_t*> pointers;
    std::vector<float> weights;
    const double densities[] = {0.3, 0.0, 1.0, 0.01, 0.9, 0.5, 0.7};
    for (size_t m = 0; m < n_bitmaps; ++m) {
      std::bernoulli_distribution set(densities[m]);
      bitmaps.emplace_back(n_words, 0);
      for (size_t r = 0; r < 64 * n_words; ++r)
        if (set(rng)) bitmaps.back()[r / 64] |= uint64_t{1} << (r % 64);
      weights.push_back(weight(rng));
    }
    for (const auto& b : bitmaps) pointers.push_back(b.data());
    std::vector<float> acc(64 * n_words);
    for (auto& a : acc) a = score(rng);
    std::vector<float> expected = acc;
    for (size_t m = 0; m < n_bitmaps; ++m)
      for (size_t r = 0; r < expected.size(); ++r)
        if (bitmaps[m][r / 64] >> (r % 64) & 1) expected[r] += weights[m];
    add(acc.data(), pointers.data(), weights.data(), n_bitmaps, n_words);
    for (size_t r = 0; r < acc.size(); ++r)
      ASSERT_EQ(acc[r], expected[r]) << "row " << r << ", " << n_bitmaps << " bitmaps";
  }
}

TEST(MaskedAddTest, PortableVersionAddsToTheMarkedRowsOnly) { ExpectSameSumsAsAPlainLoop(&AddWhereBitsSetPortable); }

TEST(MaskedAddTest, Avx512VersionAddsToTheMarkedRowsOnly) {
  const AddWhereBitsSetFn avx512 = AddWhereBitsSetAvx512();
  if (avx512 == nullptr) GTEST_SKIP() << "this CPU has no AVX-512";
  ExpectSameSumsAsAPlainLoop(avx512);
}

TEST(MaskedAddTest, ChosenVersionIsAvx512WhereTheCpuHasIt) {
  const AddWhereBitsSetFn chosen = AddWhereBitsSet();
  const AddWhereBitsSetFn avx512 = AddWhereBitsSetAvx512();
  EXPECT_EQ(chosen, avx512 ? avx512 : &AddWhereBitsSetPortable);
  EXPECT_EQ(AddWhereBitsSetIsVectorized(), avx512 != nullptr);
  ExpectSameSumsAsAPlainLoop(chosen);
}

}  // namespace
}  // namespace novelta
