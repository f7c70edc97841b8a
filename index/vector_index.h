// VectorIndex: the FAISS index of paper embeddings (inner product on
// L2-normalised vectors = cosine). Rows are positions in the paper store.
//
// Index types: "flat" (exact; the default below 200,000 papers) and "hnsw"
// (graph-based approximate search for larger corpora); "auto" picks by size.
//
// Thread-safety: Search may be called concurrently after Build/Load; Build,
// Add and Save need exclusive access.
#ifndef NOVELTA_INDEX_VECTOR_INDEX_H_
#define NOVELTA_INDEX_VECTOR_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace faiss {
struct Index;
}

namespace novelta {

struct VectorIndexOptions {
  // "auto", "flat" or "hnsw". Default: auto (flat below 200,000 vectors, else hnsw).
  std::string type = "auto";
  // HNSW graph degree. Default: 32.
  int hnsw_m = 32;
  // HNSW build-time beam width. Default: 80.
  int hnsw_ef_construction = 80;
  // HNSW search-time beam width (at least k is used). Default: 128.
  int hnsw_ef_search = 128;
};

struct SearchHit {
  int64_t row;
  float score;
};

class VectorIndex {
 public:
  ~VectorIndex();
  static StatusOr<std::unique_ptr<VectorIndex>> Build(const float* vectors, size_t n, int dim,
                                                      const VectorIndexOptions& options);
  static StatusOr<std::unique_ptr<VectorIndex>> Load(const std::string& path);
  Status Save(const std::string& path) const;

  // For each of the `nq` queries (row-major, dim floats each), its `k` best rows, best first.
  std::vector<std::vector<SearchHit>> Search(const float* queries, size_t nq, int k) const;
  size_t size() const;
  int dim() const;
  std::string type() const { return type_; }

 private:
  VectorIndex() = default;
  std::unique_ptr<faiss::Index> index_;
  std::string type_;
  int ef_search_ = 128;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_VECTOR_INDEX_H_
