#include "index/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/index_io.h>

#include <algorithm>

namespace novelta {

VectorIndex::~VectorIndex() = default;

StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Build(const float* vectors, size_t n, int dim,
                                                          const VectorIndexOptions& options) {
  if (dim <= 0) return Status::InvalidArgument("vector index: dimension must be > 0");
  std::string type = options.type;
  if (type == "auto") type = n < 200000 ? "flat" : "hnsw";
  auto vi = std::unique_ptr<VectorIndex>(new VectorIndex());
  vi->type_ = type;
  vi->ef_search_ = options.hnsw_ef_search;
  try {
    if (type == "flat") {
      vi->index_ = std::make_unique<faiss::IndexFlatIP>(dim);
    } else if (type == "hnsw") {
      auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(dim, options.hnsw_m,
                                                         faiss::METRIC_INNER_PRODUCT);
      hnsw->hnsw.efConstruction = options.hnsw_ef_construction;
      hnsw->hnsw.efSearch = options.hnsw_ef_search;
      vi->index_ = std::move(hnsw);
    } else {
      return Status::InvalidArgument("vector index: unknown type '" + type +
                                     "' (expected auto, flat or hnsw)");
    }
    if (n > 0) vi->index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("vector index build failed: ") + e.what());
  }
  return vi;
}

StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Load(const std::string& path) {
  auto vi = std::unique_ptr<VectorIndex>(new VectorIndex());
  try {
    vi->index_.reset(faiss::read_index(path.c_str()));
  } catch (const std::exception& e) {
    return Status::Corruption(path + ": unreadable vector index: " + e.what());
  }
  if (dynamic_cast<faiss::IndexHNSW*>(vi->index_.get()) != nullptr) {
    vi->type_ = "hnsw";
    vi->ef_search_ = dynamic_cast<faiss::IndexHNSW*>(vi->index_.get())->hnsw.efSearch;
  } else {
    vi->type_ = "flat";
  }
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
