#include "index/embedder.h"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>

#include "base/json.h"

namespace novelta {
namespace {

using MatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
using SparseF = Eigen::SparseMatrix<float, Eigen::RowMajor>;

constexpr char kMagic[] = "NOVELTA-EMBEDDER-1\n";

// Orthonormal basis of the column space of `y` (Cholesky-free QR through the
// eigen-decomposition of the Gram matrix, in double precision). Directions
// with vanishing energy are dropped, so the result may have fewer columns.
MatrixF Orthonormalize(const MatrixF& y) {
  Eigen::MatrixXd gram = (y.transpose() * y).cast<double>();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
  const auto& vals = eig.eigenvalues();
  double max_val = vals.maxCoeff();
  std::vector<int> keep;
  for (int i = 0; i < vals.size(); ++i)
    if (vals[i] > max_val * 1e-10) keep.push_back(i);
  Eigen::MatrixXd w(gram.rows(), keep.size());
  for (size_t c = 0; c < keep.size(); ++c)
    w.col(c) = eig.eigenvectors().col(keep[c]) / std::sqrt(vals[keep[c]]);
  return y * w.cast<float>();
}

}  // namespace

float SparseDot(const SparseVector& a, const SparseVector& b) {
  float s = 0;
  size_t i = 0, j = 0;
  while (i < a.entries.size() && j < b.entries.size()) {
    if (a.entries[i].first < b.entries[j].first) ++i;
    else if (a.entries[i].first > b.entries[j].first) ++j;
    else s += a.entries[i++].second * b.entries[j++].second;
  }
  return s;
}

SparseVector Embedder::TfIdf(const std::vector<int>& ids) const {
  SparseVector v;
  if (ids.empty()) return v;
  std::vector<int> sorted(ids);
  std::sort(sorted.begin(), sorted.end());
  double norm = 0;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    int id = sorted[i];
    float w = idf(id);
    if (w > 0) {
      w *= 1.0f + std::log(static_cast<float>(j - i));
      v.entries.emplace_back(id, w);
      norm += static_cast<double>(w) * w;
    }
    i = j;
  }
  if (norm > 0) {
    float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (auto& e : v.entries) e.second *= inv;
  }
  return v;
}

void Embedder::Project(const SparseVector& v, float* out) const {
  std::fill(out, out + dim_, 0.f);
  for (const auto& [id, w] : v.entries) {
    const float* row = &projection_[static_cast<size_t>(id) * dim_];
    for (int k = 0; k < dim_; ++k) out[k] += w * row[k];
  }
  double norm = 0;
  for (int k = 0; k < dim_; ++k) norm += static_cast<double>(out[k]) * out[k];
  if (norm > 0) {
    float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (int k = 0; k < dim_; ++k) out[k] *= inv;
  }
}

StatusOr<std::unique_ptr<Embedder>> Embedder::Fit(const std::vector<std::vector<int>>& docs,
                                                  int vocab_size, const EmbedderOptions& options) {
  if (docs.empty()) return Status::InvalidArgument("embedder: no documents to fit on");
  if (options.dimensions <= 0) return Status::InvalidArgument("embedder: dimensions must be > 0");
  auto emb = std::unique_ptr<Embedder>(new Embedder());
  emb->vocab_size_ = vocab_size;

  // Document frequencies and smoothed IDF.
  std::vector<uint32_t> df(vocab_size, 0);
  std::vector<int> seen(vocab_size, -1);
  for (size_t d = 0; d < docs.size(); ++d)
    for (int id : docs[d])
      if (id >= 0 && id < vocab_size && seen[id] != static_cast<int>(d)) {
        seen[id] = static_cast<int>(d);
        ++df[id];
      }
  const double n = static_cast<double>(docs.size());
  emb->idf_.assign(vocab_size, 0.f);
  for (int id = 0; id < vocab_size; ++id)
    if (df[id] >= static_cast<uint32_t>(std::max(1, options.min_df)))
      emb->idf_[id] = static_cast<float>(std::log((n + 1) / (df[id] + 1)) + 1.0);

  // The TF-IDF matrix of a seeded sample of documents.
  std::vector<size_t> order(docs.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  if (order.size() > options.svd_max_docs) {
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(options.svd_max_docs);
    std::sort(order.begin(), order.end());
  }
  std::vector<Eigen::Triplet<float>> triplets;
  for (size_t r = 0; r < order.size(); ++r)
    for (const auto& [id, w] : emb->TfIdf(docs[order[r]]).entries)
      triplets.emplace_back(static_cast<int>(r), id, w);
  SparseF a(static_cast<int>(order.size()), vocab_size);
  a.setFromTriplets(triplets.begin(), triplets.end());
  triplets.clear();
  triplets.shrink_to_fit();

  // Randomized SVD (Halko, Martinsson & Tropp 2011) with power iterations.
  const int rank = std::min<int>({options.dimensions + options.svd_oversample,
                                  static_cast<int>(order.size()), vocab_size});
  std::normal_distribution<float> normal(0.f, 1.f);
  MatrixF omega(vocab_size, rank);
  for (int c = 0; c < rank; ++c)
    for (int r = 0; r < vocab_size; ++r) omega(r, c) = normal(rng);
  MatrixF y = a * omega;
  for (int it = 0; it < options.svd_power_iterations; ++it) {
    MatrixF q = Orthonormalize(y);
    MatrixF z = Orthonormalize(a.transpose() * q);
    y = a * z;
  }
  MatrixF q = Orthonormalize(y);
  MatrixF bt = a.transpose() * q;  // B^T, vocab x rank
  Eigen::MatrixXd gram = (bt.transpose() * bt).cast<double>();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);  // ascending eigenvalues
  const int dim = std::min<int>(options.dimensions, static_cast<int>(gram.rows()));
  emb->dim_ = dim;
  Eigen::MatrixXd u(gram.rows(), dim);
  for (int c = 0; c < dim; ++c) {
    int src = static_cast<int>(gram.rows()) - 1 - c;  // largest first
    double sigma = std::sqrt(std::max(eig.eigenvalues()[src], 1e-20));
    u.col(c) = eig.eigenvectors().col(src) / sigma;
  }
  MatrixF v = bt * u.cast<float>();  // right singular vectors, vocab x dim
  emb->projection_.resize(static_cast<size_t>(vocab_size) * dim);
  for (int r = 0; r < vocab_size; ++r)
    for (int c = 0; c < dim; ++c) emb->projection_[static_cast<size_t>(r) * dim + c] = v(r, c);
  return emb;
}

std::string Embedder::Serialize() const {
  Json header = {{"vocab_size", vocab_size_}, {"dimensions", dim_}};
  std::string h = header.dump();
  std::string out(kMagic);
  uint32_t hlen = static_cast<uint32_t>(h.size());
  out.append(reinterpret_cast<const char*>(&hlen), sizeof(hlen));
  out += h;
  out.append(reinterpret_cast<const char*>(idf_.data()), idf_.size() * sizeof(float));
  out.append(reinterpret_cast<const char*>(projection_.data()), projection_.size() * sizeof(float));
  return out;
}

StatusOr<std::unique_ptr<Embedder>> Embedder::Deserialize(const std::string& bytes) {
  const size_t mlen = sizeof(kMagic) - 1;
  if (bytes.size() < mlen + 4 || bytes.compare(0, mlen, kMagic) != 0)
    return Status::Corruption("embedder model: bad header");
  uint32_t hlen;
  std::memcpy(&hlen, bytes.data() + mlen, 4);
  if (bytes.size() < mlen + 4 + hlen) return Status::Corruption("embedder model: truncated header");
  auto header = ParseJson(std::string_view(bytes).substr(mlen + 4, hlen), "embedder header");
  if (!header.ok()) return Status::Corruption(header.status().message());
  auto emb = std::unique_ptr<Embedder>(new Embedder());
  emb->vocab_size_ = header->value("vocab_size", 0);
  emb->dim_ = header->value("dimensions", 0);
  if (emb->vocab_size_ <= 0 || emb->dim_ <= 0) return Status::Corruption("embedder model: bad sizes");
  size_t off = mlen + 4 + hlen;
  size_t need = (static_cast<size_t>(emb->vocab_size_) * (1 + emb->dim_)) * sizeof(float);
  if (bytes.size() != off + need)
    return Status::Corruption("embedder model: expected " + std::to_string(off + need) +
                              " bytes, found " + std::to_string(bytes.size()));
  emb->idf_.resize(emb->vocab_size_);
  std::memcpy(emb->idf_.data(), bytes.data() + off, emb->idf_.size() * sizeof(float));
  off += emb->idf_.size() * sizeof(float);
  emb->projection_.resize(static_cast<size_t>(emb->vocab_size_) * emb->dim_);
  std::memcpy(emb->projection_.data(), bytes.data() + off, emb->projection_.size() * sizeof(float));
  return emb;
}

}  // namespace novelta
