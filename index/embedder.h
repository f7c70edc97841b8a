// Embedder: turns tokenized text into (a) a sparse TF-IDF vector over
// SentencePiece pieces and (b) a dense vector, the TF-IDF vector projected by
// a truncated SVD fitted on the corpus (latent semantic analysis). The dense
// vectors go into the FAISS index for stage 2; the sparse ones score passages
// in stage 3, where exact shared wording matters.
//
// Thread-safety: immutable after Fit/Deserialize; all const methods may be
// called concurrently.
#ifndef NOVELTA_INDEX_EMBEDDER_H_
#define NOVELTA_INDEX_EMBEDDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "novelta/status.h"

namespace novelta {

// Sorted by feature id, L2-normalised (unless empty).
struct SparseVector {
  std::vector<std::pair<int, float>> entries;
  bool empty() const { return entries.empty(); }
};
// Dot product of two sorted sparse vectors (their cosine, as both are normalised).
float SparseDot(const SparseVector& a, const SparseVector& b);

struct EmbedderOptions {
  // Dimensions of the dense vectors. Default: 256.
  int dimensions = 256;
  // Extra random directions the randomized SVD keeps for accuracy. Default: 24.
  int svd_oversample = 24;
  // Power iterations of the randomized SVD (more = more accurate, slower). Default: 2.
  int svd_power_iterations = 2;
  // Most documents the SVD is fitted on (a seeded random sample beyond that).
  // Default: 40000 (on the 95k-paper corpus, 60000 gave the same retrieval
  // recall at a third more fitting time).
  size_t svd_max_docs = 40000;
  // Pieces seen in fewer documents than this get no weight. Default: 2.
  int min_df = 2;
  // Seed of the SVD's random projection and sample. Default: 17.
  uint64_t seed = 17;
};

class Embedder {
 public:
  // Fits IDF weights on all `docs` (piece ids) and the SVD on a sample of them.
  static StatusOr<std::unique_ptr<Embedder>> Fit(const std::vector<std::vector<int>>& docs,
                                                 int vocab_size, const EmbedderOptions& options);
  static StatusOr<std::unique_ptr<Embedder>> Deserialize(const std::string& bytes);
  std::string Serialize() const;

  // Sublinear TF-IDF ((1 + ln tf) * idf), L2-normalised.
  SparseVector TfIdf(const std::vector<int>& piece_ids) const;
  // Writes dimensions() floats to `out`, L2-normalised (all zero for empty input).
  void Project(const SparseVector& v, float* out) const;
  int dimensions() const { return dim_; }
  int vocab_size() const { return vocab_size_; }
  float idf(int id) const { return id >= 0 && id < vocab_size_ ? idf_[id] : 0.f; }

 private:
  Embedder() = default;
  int vocab_size_ = 0;
  int dim_ = 0;
  std::vector<float> idf_;         // vocab_size_
  std::vector<float> projection_;  // vocab_size_ x dim_, row-major
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_EMBEDDER_H_
