#include "base/logistic_regression.h"

#include <Eigen/Dense>

#include <cmath>
#include <utility>

namespace novelta {
namespace {

// Weights of a logistic regression with an L2 penalty on `x`'s (already
// standardised) columns, by Newton's method; the intercept last.
Eigen::VectorXd FitNewton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double l2,
                          int max_iterations) {
  const Eigen::Index n = x.rows(), d = x.cols();
  Eigen::MatrixXd xb(n, d + 1);
  xb << x, Eigen::VectorXd::Ones(n);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(d + 1);
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(d + 1, l2);
  penalty(d) = 0;  // the intercept is not shrunk
  for (int it = 0; it < max_iterations; ++it) {
    const Eigen::VectorXd p = (1.0 + (-(xb * w).array()).exp()).inverse().matrix();
    const Eigen::VectorXd r = (p.array() * (1 - p.array())).max(1e-9).matrix();
    Eigen::VectorXd gradient = xb.transpose() * (y - p) - penalty.cwiseProduct(w);
    Eigen::MatrixXd hessian = xb.transpose() * r.asDiagonal() * xb;
    hessian.diagonal() += penalty;
    const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    w += step;
    if (step.cwiseAbs().maxCoeff() < 1e-8) break;
  }
  return w;
}

}  // namespace

LogisticModel::LogisticModel(std::vector<std::string> names, std::vector<double> mean,
                             std::vector<double> scale, std::vector<double> weights, double bias)
    : names_(std::move(names)),
      mean_(std::move(mean)),
      scale_(std::move(scale)),
      weights_(std::move(weights)),
      bias_(bias) {}

StatusOr<LogisticModel> LogisticModel::Load(const std::string& path, std::string_view format,
                                            const std::vector<std::string>& names, Env* env) {
  std::string text;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(path, &text, 1 << 20));
  NOVELTA_ASSIGN_OR_RETURN(Json model, ParseJson(text, path));
  auto m = FromJson(model, format, names);
  if (!m.ok()) return Status::InvalidArgument(path + ": " + m.status().message());
  return m;
}

StatusOr<LogisticModel> LogisticModel::FromJson(const Json& model, std::string_view format,
                                                const std::vector<std::string>& names) {
  const std::string what = std::string(format) + " model";
  if (!model.is_object() || model.value("format", "") != format)
    return Status::InvalidArgument("not a " + what);
  auto numbers = [&](const char* key, std::vector<double>* out) -> Status {
    const Json* v = model.contains(key) ? &model[key] : nullptr;
    if (v == nullptr || !v->is_array() || v->size() != names.size())
      return Status::InvalidArgument(what + ": '" + key + "' must be an array of " +
                                     std::to_string(names.size()) + " numbers");
    for (const auto& x : *v) {
      if (!x.is_number() || !std::isfinite(x.get<double>()))
        return Status::InvalidArgument(what + ": '" + key + "' holds a non-number");
      out->push_back(x.get<double>());
    }
    return Status::OK();
  };
  if (!model.contains("features") || model["features"] != Json(names))
    return Status::InvalidArgument(what + " was trained on other features than this version computes; retrain it");
  std::vector<double> mean, scale, weights;
  NOVELTA_RETURN_IF_ERROR(numbers("mean", &mean));
  NOVELTA_RETURN_IF_ERROR(numbers("scale", &scale));
  NOVELTA_RETURN_IF_ERROR(numbers("weights", &weights));
  for (double s : scale)
    if (!(s > 0)) return Status::InvalidArgument(what + ": every scale must be positive");
  if (!model.contains("bias") || !model["bias"].is_number())
    return Status::InvalidArgument(what + ": 'bias' must be a number");
  return LogisticModel(names, std::move(mean), std::move(scale), std::move(weights),
                       model["bias"].get<double>());
}

Json LogisticModel::ToJson(std::string_view format) const {
  return {{"format", std::string(format)}, {"features", names_}, {"mean", mean_},
          {"scale", scale_},               {"weights", weights_}, {"bias", bias_}};
}

double LogisticModel::Probability(const std::vector<float>& features) const {
  double z = bias_;
  const size_t n = std::min(features.size(), weights_.size());
  for (size_t i = 0; i < n; ++i) z += weights_[i] * (features[i] - mean_[i]) / scale_[i];
  return 1.0 / (1.0 + std::exp(-z));
}

StatusOr<LogisticModel> FitLogisticModel(const std::vector<std::vector<float>>& rows,
                                         const std::vector<bool>& labels,
                                         const std::vector<std::string>& names,
                                         const LogisticFitOptions& options) {
  const size_t n = rows.size(), d = names.size();
  if (n == 0 || labels.size() != n)
    return Status::InvalidArgument("logistic regression: no rows, or rows and labels differ in number");
  size_t positives = 0;
  for (size_t i = 0; i < n; ++i) {
    if (rows[i].size() != d)
      return Status::InvalidArgument("logistic regression: a row has " + std::to_string(rows[i].size()) +
                                     " features, expected " + std::to_string(d));
    positives += labels[i];
  }
  if (positives == 0 || positives == n)
    return Status::InvalidArgument("logistic regression: training needs positive and negative examples");
  std::vector<double> mean(d, 0), scale(d, 0);
  for (const auto& r : rows)
    for (size_t j = 0; j < d; ++j) mean[j] += r[j];
  for (auto& m : mean) m /= n;
  for (const auto& r : rows)
    for (size_t j = 0; j < d; ++j) scale[j] += std::pow(r[j] - mean[j], 2);
  // A constant feature keeps scale 1 (its weight then stays near 0).
  for (auto& s : scale) s = s > 0 ? std::sqrt(s / n) : 1.0;
  Eigen::MatrixXd x(n, d);
  Eigen::VectorXd y(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) x(i, j) = (rows[i][j] - mean[j]) / scale[j];
    y(i) = labels[i] ? 1 : 0;
  }
  const Eigen::VectorXd w = FitNewton(x, y, options.l2, options.max_iterations);
  return LogisticModel(names, std::move(mean), std::move(scale), std::vector<double>(w.data(), w.data() + d),
                       w(d));
}

}  // namespace novelta
