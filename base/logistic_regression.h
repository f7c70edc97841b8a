// LogisticModel: a logistic regression over named, standardised features —
// the form of novelta's small trained models (the related-work reranker, the
// evidence model): each feature is centred and scaled by the training data's
// mean and standard deviation, then weighted. Fitting is Newton's method
// with an L2 penalty on the standardised weights (Eigen), so the same data
// always gives the same model.
//
// A model file is JSON: {"format", "features", "mean", "scale", "weights",
// "bias"}; a model trained on other features than the code computes is
// refused, so that a stale file never scores the wrong columns.
//
// Thread-safety: a LogisticModel is immutable; Probability may be called
// concurrently.
#ifndef NOVELTA_BASE_LOGISTIC_REGRESSION_H_
#define NOVELTA_BASE_LOGISTIC_REGRESSION_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"

namespace novelta {

class LogisticModel {
 public:
  // Sizes of `names`, `mean`, `scale` and `weights` must agree; scales positive.
  LogisticModel(std::vector<std::string> names, std::vector<double> mean, std::vector<double> scale,
                std::vector<double> weights, double bias);

  // From the JSON ToJson wrote. InvalidArgument when `format` differs, when
  // the model was trained on features other than `names`, or when a field is
  // malformed.
  static StatusOr<LogisticModel> FromJson(const Json& model, std::string_view format,
                                          const std::vector<std::string>& names);
  Json ToJson(std::string_view format) const;
  // FromJson of a model file (at most 1 MiB), read through `env`; errors
  // name the file.
  static StatusOr<LogisticModel> Load(const std::string& path, std::string_view format,
                                      const std::vector<std::string>& names, Env* env);

  // The probability, in [0,1], for one row of features in the order of names().
  double Probability(const std::vector<float>& features) const;

  const std::vector<std::string>& names() const { return names_; }
  const std::vector<double>& weights() const { return weights_; }

 private:
  std::vector<std::string> names_;
  std::vector<double> mean_, scale_, weights_;
  double bias_;
};

struct LogisticFitOptions {
  // L2 penalty on the standardised weights (not the intercept). Default: 1.0.
  double l2 = 1.0;
  // Newton iterations at most. Default: 50.
  int max_iterations = 50;
};

// Fits a model to `rows` (one feature row per example, each of names.size()
// columns) and their labels. InvalidArgument when there are no rows, when a
// row has the wrong width, or when every label is the same.
StatusOr<LogisticModel> FitLogisticModel(const std::vector<std::vector<float>>& rows,
                                         const std::vector<bool>& labels,
                                         const std::vector<std::string>& names,
                                         const LogisticFitOptions& options = {});

}  // namespace novelta

#endif  // NOVELTA_BASE_LOGISTIC_REGRESSION_H_
