#include "alignment/agreement_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

namespace novelta::alignment {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Average 1-based ranks: tied values share the mean of the ranks they span.
std::vector<double> AverageRanks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  size_t i = 0;
  while (i < order.size()) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

}  // namespace

int64_t ConfusionMatrix::total() const {
  int64_t n = 0;
  for (const auto& row : counts)
    for (int64_t c : row) n += c;
  return n;
}

StatusOr<ConfusionMatrix> Confusion(const std::vector<int>& first, const std::vector<int>& second,
                                    int n_classes) {
  if (first.size() != second.size())
    return Status::InvalidArgument("confusion matrix: the two raters label " +
                                   std::to_string(first.size()) + " and " +
                                   std::to_string(second.size()) + " items");
  if (n_classes <= 0) return Status::InvalidArgument("confusion matrix: n_classes must be positive");
  ConfusionMatrix m;
  m.n_classes = n_classes;
  m.counts.assign(n_classes, std::vector<int64_t>(n_classes, 0));
  for (size_t i = 0; i < first.size(); ++i) {
    if (first[i] < 0 || first[i] >= n_classes || second[i] < 0 || second[i] >= n_classes)
      return Status::InvalidArgument("confusion matrix: item " + std::to_string(i) +
                                     " has a label outside [0, " + std::to_string(n_classes) + ")");
    ++m.counts[first[i]][second[i]];
  }
  return m;
}

double Accuracy(const ConfusionMatrix& m) {
  int64_t n = m.total();
  if (n == 0) return kNaN;
  int64_t diag = 0;
  for (int i = 0; i < m.n_classes; ++i) diag += m.counts[i][i];
  return static_cast<double>(diag) / static_cast<double>(n);
}

double CohensKappa(const ConfusionMatrix& m) {
  double n = static_cast<double>(m.total());
  if (n == 0) return kNaN;
  double observed = 0, expected = 0;
  for (int i = 0; i < m.n_classes; ++i) {
    observed += static_cast<double>(m.counts[i][i]);
    double row = 0, col = 0;
    for (int j = 0; j < m.n_classes; ++j) {
      row += static_cast<double>(m.counts[i][j]);
      col += static_cast<double>(m.counts[j][i]);
    }
    expected += row * col;
  }
  observed /= n;
  expected /= n * n;
  if (expected >= 1.0 - 1e-12) return kNaN;
  return (observed - expected) / (1.0 - expected);
}

StatusOr<double> KrippendorffAlphaNominal(const std::vector<std::vector<int>>& ratings,
                                          int n_classes) {
  if (n_classes <= 0) return Status::InvalidArgument("Krippendorff's alpha: n_classes must be positive");
  // Coincidence matrix: each unit with m >= 2 values contributes every ordered
  // pair of its values with weight 1 / (m - 1).
  std::vector<std::vector<double>> coincidence(n_classes, std::vector<double>(n_classes, 0.0));
  std::vector<int64_t> unit_counts(n_classes);
  for (size_t u = 0; u < ratings.size(); ++u) {
    std::fill(unit_counts.begin(), unit_counts.end(), 0);
    int64_t m = 0;
    for (int label : ratings[u]) {
      if (label == kMissing) continue;
      if (label < 0 || label >= n_classes)
        return Status::InvalidArgument("Krippendorff's alpha: unit " + std::to_string(u) +
                                       " has a label outside [0, " + std::to_string(n_classes) + ")");
      ++unit_counts[label];
      ++m;
    }
    if (m < 2) continue;
    for (int c = 0; c < n_classes; ++c) {
      for (int k = 0; k < n_classes; ++k) {
        double pairs = c == k ? static_cast<double>(unit_counts[c] * (unit_counts[c] - 1))
                              : static_cast<double>(unit_counts[c] * unit_counts[k]);
        coincidence[c][k] += pairs / static_cast<double>(m - 1);
      }
    }
  }
  std::vector<double> marginal(n_classes, 0.0);
  double n = 0;
  for (int c = 0; c < n_classes; ++c) {
    for (int k = 0; k < n_classes; ++k) marginal[c] += coincidence[c][k];
    n += marginal[c];
  }
  if (n < 2) return kNaN;
  double observed_disagreement = 0, expected_disagreement = 0;
  for (int c = 0; c < n_classes; ++c) {
    for (int k = 0; k < n_classes; ++k) {
      if (c == k) continue;
      observed_disagreement += coincidence[c][k];
      expected_disagreement += marginal[c] * marginal[k];
    }
  }
  if (expected_disagreement <= 0) return kNaN;
  return 1.0 - (n - 1.0) * observed_disagreement / expected_disagreement;
}

double PearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  size_t n = std::min(x.size(), y.size());
  if (n < 2) return kNaN;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

StatusOr<double> SpearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size())
    return Status::InvalidArgument("Spearman correlation: " + std::to_string(x.size()) + " and " +
                                   std::to_string(y.size()) + " values");
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      return Status::InvalidArgument("Spearman correlation: item " + std::to_string(i) +
                                     " is not a finite number");
  return PearsonCorrelation(AverageRanks(x), AverageRanks(y));
}

Interval BootstrapPercentile(size_t n_groups,
                             const std::function<double(const std::vector<size_t>&)>& statistic,
                             const BootstrapOptions& options) {
  Interval out{kNaN, kNaN};
  if (n_groups == 0 || options.resamples <= 0) return out;
  std::mt19937_64 rng(options.seed);
  // The distribution object is not used: its output is implementation-defined,
  // and intervals must be identical across standard libraries for a seed.
  auto draw = [&]() -> size_t {
    // Rejection sampling keeps the draw unbiased.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n_groups;
    uint64_t r;
    do {
      r = rng();
    } while (r >= limit);
    return static_cast<size_t>(r % n_groups);
  };
  std::vector<double> values;
  values.reserve(options.resamples);
  std::vector<size_t> sample(n_groups);
  for (int b = 0; b < options.resamples; ++b) {
    for (auto& s : sample) s = draw();
    double v = statistic(sample);
    if (std::isfinite(v)) values.push_back(v);
  }
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  double tail = (1.0 - options.level) / 2.0;
  auto at = [&](double q) {
    // Linear interpolation between order statistics (type 7 quantile).
    double pos = q * static_cast<double>(values.size() - 1);
    size_t lo = static_cast<size_t>(std::floor(pos));
    size_t hi = std::min(lo + 1, values.size() - 1);
    double frac = pos - static_cast<double>(lo);
    return values[lo] + frac * (values[hi] - values[lo]);
  };
  out.low = at(tail);
  out.high = at(1.0 - tail);
  return out;
}

Json NumberOrNull(double v) {
  if (!std::isfinite(v)) return Json(nullptr);
  return Json(v);
}

Json ToJson(const ConfusionMatrix& m) {
  Json rows = Json::array();
  for (const auto& row : m.counts) rows.push_back(row);
  return rows;
}

Json ToJson(const Interval& iv) { return Json::array({NumberOrNull(iv.low), NumberOrNull(iv.high)}); }

}  // namespace novelta::alignment
