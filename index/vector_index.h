// VectorIndex: the FAISS index of paper embeddings (inner product on
// L2-normalised vectors = cosine). Rows are positions in the paper store.
//
// Index types:
//   "flat"   exact search; 4 * dim bytes per paper. The default below 200,000 papers.
//            Searched by novelta's own scan, not FAISS/BLAS: an 8-bit copy of
//            the vectors (built on load, dim + 4 bytes per paper more) ranks
//            every row, and the best few times k are re-scored exactly in
//            float (see VectorLoadOptions::flat_rerank_factor). This reads a
//            quarter of the memory per query and needs no BLAS, whose speed
//            depends on the CPU the BLAS library detects at load time.
//   "hnsw"   graph search over full vectors; fast and accurate, but more memory
//            than flat (vectors + graph). Chosen only on request.
//   "ivfpq"  inverted file of product-quantized codes, re-ranked with 8-bit
//            scalar-quantized vectors: about pq_m + dim + 16 bytes per paper
//            (~310 at 256 dims), so millions of papers fit in memory, and its
//            inverted lists are memory-mapped on load. The default from
//            200,000 papers up.
//   "auto"   picks by corpus size as above.
//
// Thread-safety: Search may be called concurrently after Build/Load; Build,
// Add and Save need exclusive access.
#ifndef NOVELTA_INDEX_VECTOR_INDEX_H_
#define NOVELTA_INDEX_VECTOR_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "novelta/status.h"

namespace faiss {
struct Index;
}

namespace novelta {

struct VectorIndexOptions {
  // "auto", "flat", "hnsw" or "ivfpq". Default: auto (flat below
  // auto_approximate_from vectors, else ivfpq).
  std::string type = "auto";
  // Corpus size from which "auto" leaves exact search. Default: 200000.
  size_t auto_approximate_from = 200000;

  // HNSW graph degree. Default: 32.
  int hnsw_m = 32;
  // HNSW build-time beam width. Default: 80.
  int hnsw_ef_construction = 80;
  // HNSW search-time beam width (at least k is used). Default: 128.
  int hnsw_ef_search = 128;

  // IVF-PQ inverted lists; 0 = about sqrt(n), within [1, 65536]. Default: 0.
  int ivf_nlist = 0;
  // Inverted lists visited per query. Default: 48.
  int ivf_nprobe = 48;
  // Bytes of PQ code per vector (subquantizers of 8 bits; lowered to a
  // divisor of the dimension if need be). Default: 32.
  int pq_m = 32;
  // Candidates re-ranked with the 8-bit vectors, as a multiple of k. Default: 10.
  float refine_k_factor = 10.f;
  // Most vectors the coarse quantizer and PQ are trained on (a seeded
  // sample beyond that). Default: 100000.
  size_t train_max_vectors = 100000;
  // Seed of the training sample and k-means. Default: 17.
  uint64_t seed = 17;
};

struct VectorLoadOptions {
  // Memory-map the inverted lists of an IVF index instead of reading them
  // into memory (the OS pages them in as queries touch them). Ignored for
  // flat and HNSW. Default: true.
  bool mmap = true;
  // Override the stored search settings when > 0. Default: 0 (keep).
  int ivf_nprobe = 0;
  float refine_k_factor = 0.f;
  int hnsw_ef_search = 0;
  // Flat indexes of at least flat_quantized_from vectors are scanned with
  // their 8-bit copy and re-ranked exactly (smaller ones: exact float scan).
  // Default: 4096.
  size_t flat_quantized_from = 4096;
  // Candidates of the 8-bit scan re-scored in float, as a multiple of k (at
  // least k + 32). Larger is closer to exact, slower. Default: 3.
  float flat_rerank_factor = 3.f;
};

struct SearchHit {
  int64_t row;
  float score;
};

class VectorIndex {
 public:
  ~VectorIndex();
  // Builds an index of `n` vectors of `dim` floats. An ivfpq index needs at
  // least 256 vectors to train its codebooks.
  static StatusOr<std::unique_ptr<VectorIndex>> Build(const float* vectors, size_t n, int dim,
                                                      const VectorIndexOptions& options);
  static StatusOr<std::unique_ptr<VectorIndex>> Load(const std::string& path,
                                                     const VectorLoadOptions& options = {});
  Status Save(const std::string& path) const;

  // Appends `n` vectors at rows size(), size() + 1, ... (a trained IVF-PQ
  // index keeps its codebooks; new vectors are encoded with them).
  // Not allowed on a memory-mapped index (load it with mmap = false).
  Status Add(const float* vectors, size_t n);

  // For each of the `nq` queries (row-major, dim floats each), its `k` best rows, best first.
  std::vector<std::vector<SearchHit>> Search(const float* queries, size_t nq, int k) const;
  size_t size() const;
  int dim() const;
  std::string type() const { return type_; }
  bool memory_mapped() const { return mmapped_; }

  // The type "auto" resolves to for `n` vectors.
  static std::string ResolveType(const VectorIndexOptions& options, size_t n);

  // Exact float inner-product search over the stored vectors of a flat index
  // (for tests and benchmarks that measure the 8-bit scan against it).
  std::vector<std::vector<SearchHit>> SearchExact(const float* queries, size_t nq, int k) const;

  struct FlatScan;  // the 8-bit copy of a flat index (vector_index.cc)

 private:
  VectorIndex() = default;
  // (Re)builds flat_scan_ from the flat index's vectors (no-op for other types).
  void PrepareFlatScan();
  std::unique_ptr<faiss::Index> index_;
  std::unique_ptr<FlatScan> flat_scan_;
  size_t flat_quantized_from_ = 4096;
  float flat_rerank_factor_ = 3.f;
  std::string type_;
  int ef_search_ = 128;
  bool mmapped_ = false;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_VECTOR_INDEX_H_
