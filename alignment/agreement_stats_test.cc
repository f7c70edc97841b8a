#include "alignment/agreement_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace novelta::alignment {
namespace {

ConfusionMatrix Table(std::vector<std::vector<int64_t>> counts) {
  ConfusionMatrix m;
  m.n_classes = static_cast<int>(counts.size());
  m.counts = std::move(counts);
  return m;
}

TEST(AgreementStats, ConfusionCountsPairsAndRejectsBadInput) {
  auto m = Confusion({0, 1, 1, 2}, {0, 1, 2, 2}, 3);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->counts[0][0], 1);
  EXPECT_EQ(m->counts[1][1], 1);
  EXPECT_EQ(m->counts[1][2], 1);
  EXPECT_EQ(m->counts[2][2], 1);
  EXPECT_EQ(m->total(), 4);
  EXPECT_DOUBLE_EQ(Accuracy(*m), 0.75);
  EXPECT_TRUE(Confusion({0, 1}, {0}, 2).status().IsInvalidArgument());
  EXPECT_TRUE(Confusion({0, 3}, {0, 1}, 3).status().IsInvalidArgument());
  EXPECT_TRUE(Confusion({0, -1}, {0, 1}, 3).status().IsInvalidArgument());
}

TEST(AgreementStats, KappaOnTwoByTwo) {
  // 50 items:        B yes  B no
  //        A yes       20     5     (25)
  //        A no        10    15     (25)
  //                   (30)  (20)
  // p_o = 35/50 = 0.7; p_e = (25*30 + 25*20) / 50^2 = 1250/2500 = 0.5;
  // kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
  auto m = Table({{20, 5}, {10, 15}});
  EXPECT_NEAR(Accuracy(m), 0.7, 1e-12);
  EXPECT_NEAR(CohensKappa(m), 0.4, 1e-12);
}

TEST(AgreementStats, KappaOnThreeByThree) {
  // Rows 15, 15, 20; columns 13, 15, 22; n = 50; diagonal 10 + 12 + 17 = 39.
  // p_o = 39/50 = 0.78; p_e = (15*13 + 15*15 + 20*22) / 2500 = 860/2500 = 0.344;
  // kappa = (0.78 - 0.344) / (1 - 0.344) = 0.436 / 0.656 = 0.664634...
  auto m = Table({{10, 2, 3}, {1, 12, 2}, {2, 1, 17}});
  EXPECT_NEAR(CohensKappa(m), 0.436 / 0.656, 1e-12);
}

TEST(AgreementStats, KappaUndefinedAndChanceLevel) {
  // Both raters always say "0": p_e = 1, kappa undefined.
  EXPECT_TRUE(std::isnan(CohensKappa(Table({{7, 0}, {0, 0}}))));
  EXPECT_TRUE(std::isnan(CohensKappa(Table({{0, 0}, {0, 0}}))));
  EXPECT_TRUE(std::isnan(Accuracy(Table({{0, 0}, {0, 0}}))));
  // Independent raters: rows 10,10 cols 10,10 with p_o = p_e = 0.5 -> kappa 0.
  EXPECT_NEAR(CohensKappa(Table({{5, 5}, {5, 5}})), 0.0, 1e-12);
  // Perfect disagreement on balanced labels: p_o = 0, p_e = 0.5 -> kappa -1.
  EXPECT_NEAR(CohensKappa(Table({{0, 5}, {5, 0}})), -1.0, 1e-12);
}

TEST(AgreementStats, KrippendorffAlphaTextbookExample) {
  // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the
  // nominal example: 4 observers, 12 units, values 1-5 (here 0-4), with
  // missing values. Unit 12 has one value and is not pairable. The
  // coincidence marginals are n_1..n_5 = 9, 13, 10, 5, 3 (n = 40); off-diagonal
  // coincidences sum to 8; sum_{c != k} n_c n_k = 40^2 - (81+169+100+25+9) = 1216.
  // alpha = 1 - (n - 1) * 8 / 1216 = 1 - 312/1216 = 0.743421...
  const int M = kMissing;
  std::vector<std::vector<int>> A = {{1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M},
                                     {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3},
                                     {M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M},
                                     {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M}};
  std::vector<std::vector<int>> units(12);
  for (const auto& observer : A)
    for (size_t u = 0; u < observer.size(); ++u)
      units[u].push_back(observer[u] == M ? M : observer[u] - 1);
  auto alpha = KrippendorffAlphaNominal(units, 5);
  ASSERT_TRUE(alpha.ok());
  EXPECT_NEAR(*alpha, 1.0 - 312.0 / 1216.0, 1e-12);
}

TEST(AgreementStats, KrippendorffAlphaEdgeCases) {
  // Perfect agreement with variation: alpha 1.
  auto perfect = KrippendorffAlphaNominal({{0, 0}, {1, 1}, {2, 2, 2}}, 3);
  ASSERT_TRUE(perfect.ok());
  EXPECT_NEAR(*perfect, 1.0, 1e-12);
  // Every value identical: no expected disagreement, undefined.
  auto constant = KrippendorffAlphaNominal({{1, 1}, {1, 1}}, 3);
  ASSERT_TRUE(constant.ok());
  EXPECT_TRUE(std::isnan(*constant));
  // No pairable unit.
  auto lonely = KrippendorffAlphaNominal({{1, kMissing}, {0}}, 3);
  ASSERT_TRUE(lonely.ok());
  EXPECT_TRUE(std::isnan(*lonely));
  EXPECT_FALSE(KrippendorffAlphaNominal({{0, 3}}, 3).ok());
  EXPECT_FALSE(KrippendorffAlphaNominal({{0, -2}}, 3).ok());
}

TEST(AgreementStats, SpearmanWithAndWithoutTies) {
  // No ties: ranks of y are 1,3,2,4; d = 0,-1,1,0; rho = 1 - 6*2 / (4*(16-1)) = 0.8.
  auto rho = SpearmanCorrelation({1, 2, 3, 4}, {10, 30, 20, 40});
  ASSERT_TRUE(rho.ok());
  EXPECT_NEAR(*rho, 0.8, 1e-12);
  // Ties: y = 5,6,7,8,7 has ranks 1,2,3.5,5,3.5. Centred: x -2,-1,0,1,2; y
  // -2,-1,0.5,2,0.5; sum xy = 8, sum xx = 10, sum yy = 9.5; r = 8 / sqrt(95).
  auto tied = SpearmanCorrelation({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7});
  ASSERT_TRUE(tied.ok());
  EXPECT_NEAR(*tied, 8.0 / std::sqrt(95.0), 1e-12);
  auto reversed = SpearmanCorrelation({1, 2, 3}, {9, 4, 1});
  ASSERT_TRUE(reversed.ok());
  EXPECT_NEAR(*reversed, -1.0, 1e-12);
  auto constant = SpearmanCorrelation({1, 1, 1}, {1, 2, 3});
  ASSERT_TRUE(constant.ok());
  EXPECT_TRUE(std::isnan(*constant));
  EXPECT_FALSE(SpearmanCorrelation({1, 2}, {1}).ok());
}

TEST(AgreementStats, BootstrapIsDeterministicForASeed) {
  // The statistic: mean of the sampled values, 20 distinct values in [0,1)
  // with mean 0.475 (k * 7 mod 20 runs over 0..19 once).
  std::vector<double> values;
  for (int k = 0; k < 20; ++k) values.push_back(static_cast<double>((k * 7) % 20) / 20.0);
  auto mean = [&](const std::vector<size_t>& s) {
    double sum = 0;
    for (size_t i : s) sum += values[i];
    return sum / static_cast<double>(s.size());
  };
  BootstrapOptions options;
  options.seed = 7;
  options.resamples = 500;
  Interval a = BootstrapPercentile(values.size(), mean, options);
  Interval b = BootstrapPercentile(values.size(), mean, options);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  // The point estimate 0.475 lies inside, the interval is not degenerate.
  EXPECT_LT(a.low, 0.475);
  EXPECT_GT(a.high, 0.475);
  EXPECT_GE(a.low, 0.0);
  EXPECT_LE(a.high, 1.0);
  // Another seed draws other resamples: with 20 distinct values the ends of
  // the interval change (both ends equal would mean the seed is ignored).
  options.seed = 8;
  Interval c = BootstrapPercentile(values.size(), mean, options);
  EXPECT_TRUE(c.low != a.low || c.high != a.high);
  // A constant statistic gives a point interval.
  Interval constant = BootstrapPercentile(5, [](const std::vector<size_t>&) { return 0.25; }, options);
  EXPECT_EQ(constant.low, 0.25);
  EXPECT_EQ(constant.high, 0.25);
  // Nothing to resample.
  Interval empty = BootstrapPercentile(0, mean, options);
  EXPECT_TRUE(std::isnan(empty.low));
}

TEST(AgreementStats, NumberOrNullHidesUndefinedFigures) {
  EXPECT_TRUE(NumberOrNull(std::nan("")).is_null());
  EXPECT_EQ(NumberOrNull(0.5).get<double>(), 0.5);
}

}  // namespace
}  // namespace novelta::alignment
