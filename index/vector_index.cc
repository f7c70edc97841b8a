#include "index/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexRefine.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/index_io.h>
#include <faiss/invlists/OnDiskInvertedLists.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace novelta {
namespace {

// Below this many vectors an 8-bit product quantizer cannot be trained.
constexpr size_t kMinPqTrainingVectors = 256;

// The IVF-PQ base of an "ivfpq" index (a refine wrapper around an IndexIVFPQ).
faiss::IndexIVFPQ* IvfPqOf(faiss::Index* index) {
  if (auto* refine = dynamic_cast<faiss::IndexRefine*>(index))
    return dynamic_cast<faiss::IndexIVFPQ*>(refine->base_index);
  return nullptr;
}

int DivisorAtMost(int dim, int want) {
  for (int m = std::max(1, std::min(want, dim)); m > 1; --m)
    if (dim % m == 0) return m;
  return 1;
}

StatusOr<std::unique_ptr<faiss::Index>> BuildIvfPq(const float* vectors, size_t n, int dim,
                                                   const VectorIndexOptions& options) {
  if (n < kMinPqTrainingVectors)
    return Status::InvalidArgument("vector index: ivfpq needs at least " +
                                   std::to_string(kMinPqTrainingVectors) + " vectors to train (got " +
                                   std::to_string(n) + "); use flat");
  int nlist = options.ivf_nlist;
  if (nlist <= 0) nlist = static_cast<int>(std::lround(std::sqrt(static_cast<double>(n))));
  // k-means needs several points per centroid.
  nlist = std::max(1, std::min({nlist, 65536, static_cast<int>(n / 8)}));
  const int m = DivisorAtMost(dim, options.pq_m);

  auto* quantizer = new faiss::IndexFlatIP(dim);
  auto* ivfpq = new faiss::IndexIVFPQ(quantizer, dim, nlist, m, 8, faiss::METRIC_INNER_PRODUCT);
  ivfpq->own_fields = true;
  ivfpq->nprobe = static_cast<size_t>(std::max(1, std::min(options.ivf_nprobe, nlist)));
  ivfpq->cp.seed = static_cast<int>(options.seed);
  ivfpq->pq.cp.seed = static_cast<int>(options.seed);
  auto* sq8 = new faiss::IndexScalarQuantizer(dim, faiss::ScalarQuantizer::QT_8bit,
                                              faiss::METRIC_INNER_PRODUCT);
  auto refine = std::make_unique<faiss::IndexRefine>(ivfpq, sq8);
  refine->own_fields = true;
  refine->own_refine_index = true;
  refine->k_factor = std::max(1.f, options.refine_k_factor);

  // Train on a seeded sample: k-means and PQ need a representative set, not all of it.
  const size_t n_train = std::min(n, std::max(options.train_max_vectors, kMinPqTrainingVectors));
  if (n_train == n) {
    refine->train(static_cast<faiss::Index::idx_t>(n), vectors);
  } else {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(options.seed);
    for (size_t i = 0; i < n_train; ++i)  // partial Fisher-Yates: the first n_train are a sample
      std::swap(order[i], order[i + rng() % (n - i)]);
    std::vector<float> sample(n_train * static_cast<size_t>(dim));
    for (size_t i = 0; i < n_train; ++i)
      std::copy_n(vectors + order[i] * dim, dim, sample.begin() + i * dim);
    refine->train(static_cast<faiss::Index::idx_t>(n_train), sample.data());
  }
  refine->add(static_cast<faiss::Index::idx_t>(n), vectors);
  return std::unique_ptr<faiss::Index>(std::move(refine));
}

}  // namespace

VectorIndex::~VectorIndex() = default;

std::string VectorIndex::ResolveType(const VectorIndexOptions& options, size_t n) {
  if (options.type != "auto") return options.type;
  return n < options.auto_approximate_from ? "flat" : "ivfpq";
}

StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Build(const float* vectors, size_t n, int dim,
                                                          const VectorIndexOptions& options) {
  if (dim <= 0) return Status::InvalidArgument("vector index: dimension must be > 0");
  const std::string type = ResolveType(options, n);
  auto vi = std::unique_ptr<VectorIndex>(new VectorIndex());
  vi->type_ = type;
  vi->ef_search_ = options.hnsw_ef_search;
  try {
    if (type == "flat") {
      vi->index_ = std::make_unique<faiss::IndexFlatIP>(dim);
      if (n > 0) vi->index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
    } else if (type == "hnsw") {
      auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(dim, options.hnsw_m,
                                                         faiss::METRIC_INNER_PRODUCT);
      hnsw->hnsw.efConstruction = options.hnsw_ef_construction;
      hnsw->hnsw.efSearch = options.hnsw_ef_search;
      vi->index_ = std::move(hnsw);
      if (n > 0) vi->index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
    } else if (type == "ivfpq") {
      NOVELTA_ASSIGN_OR_RETURN(vi->index_, BuildIvfPq(vectors, n, dim, options));
    } else {
      return Status::InvalidArgument("vector index: unknown type '" + type +
                                     "' (expected auto, flat, hnsw or ivfpq)");
    }
  } catch (const std::exception& e) {
    return Status::Internal(std::string("vector index build failed: ") + e.what());
  }
  return vi;
}

StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Load(const std::string& path,
                                                         const VectorLoadOptions& options) {
  auto vi = std::unique_ptr<VectorIndex>(new VectorIndex());
  try {
    // The mmap flag only changes how IVF inverted lists are read; other
    // index types load the same way with or without it.
    vi->index_.reset(faiss::read_index(path.c_str(), options.mmap ? faiss::IO_FLAG_MMAP : 0));
  } catch (const std::exception& e) {
    return Status::Corruption(path + ": unreadable vector index: " + e.what());
  }
  if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(vi->index_.get())) {
    vi->type_ = "hnsw";
    if (options.hnsw_ef_search > 0) hnsw->hnsw.efSearch = options.hnsw_ef_search;
    vi->ef_search_ = hnsw->hnsw.efSearch;
  } else if (auto* ivfpq = IvfPqOf(vi->index_.get())) {
    vi->type_ = "ivfpq";
    vi->mmapped_ = dynamic_cast<faiss::OnDiskInvertedLists*>(ivfpq->invlists) != nullptr;
    if (options.ivf_nprobe > 0)
      ivfpq->nprobe = std::min<size_t>(options.ivf_nprobe, ivfpq->nlist);
    if (options.refine_k_factor > 0)
      static_cast<faiss::IndexRefine*>(vi->index_.get())->k_factor =
          std::max(1.f, options.refine_k_factor);
  } else if (dynamic_cast<faiss::IndexFlat*>(vi->index_.get()) != nullptr) {
    vi->type_ = "flat";
  } else {
    return Status::Corruption(path + ": a FAISS index of a kind novelta does not build");
  }
  if (vi->index_->metric_type != faiss::METRIC_INNER_PRODUCT)
    return Status::Corruption(path + ": vector index does not use inner product");
  return vi;
}

Status VectorIndex::Save(const std::string& path) const {
  try {
    faiss::write_index(index_.get(), path.c_str());
  } catch (const std::exception& e) {
    return Status::IOError(path + ": cannot write vector index: " + e.what());
  }
  return Status::OK();
}

Status VectorIndex::Add(const float* vectors, size_t n) {
  if (n == 0) return Status::OK();
  if (mmapped_)
    return Status::FailedPrecondition(
        "vector index: cannot add to a memory-mapped index (load it with mmap off)");
  try {
    index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("vector index add failed: ") + e.what());
  }
  return Status::OK();
}

std::vector<std::vector<SearchHit>> VectorIndex::Search(const float* queries, size_t nq,
                                                        int k) const {
  std::vector<std::vector<SearchHit>> out(nq);
  if (nq == 0 || k <= 0 || index_->ntotal == 0) return out;
  k = static_cast<int>(std::min<int64_t>(k, index_->ntotal));
  std::vector<float> dist(nq * k);
  std::vector<faiss::Index::idx_t> labels(nq * k);
  if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index_.get())) {
    faiss::SearchParametersHNSW params;
    params.efSearch = std::max(ef_search_, k);
    hnsw->search(static_cast<faiss::Index::idx_t>(nq), queries, k, dist.data(), labels.data(),
                 &params);
  } else {
    index_->search(static_cast<faiss::Index::idx_t>(nq), queries, k, dist.data(), labels.data());
  }
  for (size_t q = 0; q < nq; ++q) {
    for (int i = 0; i < k; ++i) {
      auto label = labels[q * k + i];
      if (label < 0) continue;
      out[q].push_back({label, dist[q * k + i]});
    }
  }
  return out;
}

size_t VectorIndex::size() const { return static_cast<size_t>(index_->ntotal); }
int VectorIndex::dim() const { return index_->d; }

}  // namespace novelta
