// Agreement statistics over small plain inputs: accuracy, confusion matrix,
// Cohen's kappa, Krippendorff's alpha (nominal), Spearman correlation and
// bootstrap percentile intervals.
//
// Categorical labels are small non-negative integers in [0, n_classes);
// kMissing marks a missing rating. A statistic that is undefined on its input
// (no items, or no variation to measure agreement against) is NaN, which the
// JSON writers serialise as null: an undefined figure must never look like 0.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_ALIGNMENT_AGREEMENT_STATS_H_
#define NOVELTA_ALIGNMENT_AGREEMENT_STATS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "base/json.h"
#include "novelta/status.h"

namespace novelta::alignment {

constexpr int kMissing = -1;

// counts[i][j]: items the first rater labelled i and the second labelled j.
struct ConfusionMatrix {
  int n_classes = 0;
  std::vector<std::vector<int64_t>> counts;

  int64_t total() const;
};

// Fails when the vectors differ in length or a label is outside [0, n_classes).
StatusOr<ConfusionMatrix> Confusion(const std::vector<int>& first, const std::vector<int>& second,
                                    int n_classes);

// Share of items on the diagonal; NaN when the matrix is empty.
double Accuracy(const ConfusionMatrix& m);

// Cohen's kappa: (p_o - p_e) / (1 - p_e) with p_e from the two raters' marginals.
// NaN when the matrix is empty or p_e == 1 (both raters used a single, same label).
double CohensKappa(const ConfusionMatrix& m);

// Krippendorff's alpha for nominal data. `ratings[u][r]` is rater r's label for
// unit u, or kMissing; rows may differ in length. Units with fewer than two
// labels are not pairable and are ignored. Fails on a label < kMissing or
// >= n_classes. NaN when fewer than two pairable values exist or all pairable
// values are the same label (no expected disagreement).
StatusOr<double> KrippendorffAlphaNominal(const std::vector<std::vector<int>>& ratings,
                                          int n_classes);

// Spearman's rank correlation (Pearson correlation of average ranks, so ties
// are handled). Fails when lengths differ; NaN with fewer than two items or
// when either side is constant.
StatusOr<double> SpearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);

// Pearson correlation; NaN with fewer than two items or a constant side.
double PearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y);

struct Interval {
  double low = 0;
  double high = 0;
};

struct BootstrapOptions {
  int resamples = 1000;   // default 1000
  uint64_t seed = 42;     // default 42; the same seed gives the same interval
  double level = 0.95;    // default 0.95 (a 95% interval)
};

// Percentile bootstrap interval of `statistic` over `n_groups` resampling
// units (e.g. papers): each resample draws n_groups indices with replacement
// (std::mt19937_64 seeded with options.seed) and calls statistic(indices).
// Resamples on which the statistic is NaN are dropped; when all are, the
// interval is NaN..NaN.
Interval BootstrapPercentile(size_t n_groups,
                             const std::function<double(const std::vector<size_t>&)>& statistic,
                             const BootstrapOptions& options = {});

// A number for JSON: null when NaN or infinite.
Json NumberOrNull(double v);
Json ToJson(const ConfusionMatrix& m);  // the rows of counts
Json ToJson(const Interval& iv);        // [low, high], NaN ends as null

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_AGREEMENT_STATS_H_
