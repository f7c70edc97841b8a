// PaperIndex: an index directory built by `novelta index build`, loaded —
// tokenizer, embedder, FAISS vectors, paper store and manifest — with the
// in-memory facts every query needs (ids, titles, dates) and a resolver from
// reference strings to papers.
//
// Layout of an index directory:
//   manifest.json    counts, dimensions, build settings, SHA-256 of every file
//   tokenizer.model  SentencePiece model trained on the corpus
//   embedder.bin     IDF weights and SVD projection
//   vectors.faiss    FAISS index of the paper embeddings (row = paper row)
//   papers.db        SQLite paper store (metadata, abstracts, sentence spans)
//
// Thread-safety: immutable after Open; all const methods may be called concurrently.
#ifndef NOVELTA_INDEX_PAPER_INDEX_H_
#define NOVELTA_INDEX_PAPER_INDEX_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"
#include "index/embedder.h"
#include "index/paper_store.h"
#include "index/reference_resolver.h"
#include "index/name_index.h"
#include "index/sparse_index.h"
#include "index/tokenizer.h"
#include "index/vector_index.h"
#include "novelta/date.h"

namespace novelta {

constexpr int kIndexFormatVersion = 1;

struct PaperIndexOptions {
  // Check every file's SHA-256 against the manifest before use. Default: true.
  bool verify_checksums = true;
  // How vectors.faiss is loaded and searched (see VectorLoadOptions; e.g.
  // flat_quantized_from = SIZE_MAX for exact float search). Default: its defaults.
  VectorLoadOptions vectors;
};

class PaperIndex {
 public:
  static StatusOr<std::unique_ptr<PaperIndex>> Open(const std::string& dir,
                                                    const PaperIndexOptions& options = {},
                                                    Env* env = Env::Default());

  SparseVector Sparse(std::string_view text) const;
  // The same from pieces already encoded (Tokenizer::EncodeForMatching), e.g.
  // a stored passage's PaperRecord::sentence_pieces.
  SparseVector SparseFromPieces(const std::vector<int>& pieces) const;
  // Dense, L2-normalised embedding of `text` (dimensions() floats into `out`).
  void Dense(std::string_view text, float* out) const;
  void DenseFromSparse(const SparseVector& v, float* out) const { embedder_->Project(v, out); }
  std::vector<std::vector<SearchHit>> Search(const float* queries, size_t nq, int k) const {
    return vectors_->Search(queries, nq, k);
  }

  StatusOr<PaperRecord> Paper(int64_t row) const { return store_->Get(row); }
  const std::string& id(int64_t row) const { return ids_[row]; }
  const std::string& title(int64_t row) const { return titles_[row]; }
  const Date& date(int64_t row) const { return dates_[row]; }
  const std::string& venue(int64_t row) const { return venues_[venue_of_[row]]; }
  size_t size() const { return ids_.size(); }
  int dimensions() const { return embedder_->dimensions(); }

  const Tokenizer& tokenizer() const { return *tokenizer_; }
  const Embedder& embedder() const { return *embedder_; }
  const ReferenceResolver& resolver() const { return *resolver_; }
  // The method names the corpus's titles coin ("LoRA: ..."), built at Open.
  const NameIndex& names() const { return *names_; }
  // The word-level inverted index of the corpus, built from the paper store on
  // first use (a few seconds for 100k papers).
  StatusOr<const SparseIndex*> sparse_index() const;
  const Json& manifest() const { return manifest_; }
  // SHA-256 of manifest.json: identifies this exact index.
  const std::string& index_id() const { return index_id_; }

 private:
  PaperIndex() = default;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::unique_ptr<Embedder> embedder_;
  std::unique_ptr<VectorIndex> vectors_;
  std::unique_ptr<PaperStore> store_;
  std::unique_ptr<ReferenceResolver> resolver_;
  std::unique_ptr<NameIndex> names_;
  mutable std::once_flag sparse_once_;
  mutable std::unique_ptr<SparseIndex> sparse_;
  mutable Status sparse_status_;
  std::vector<std::string> ids_, titles_;
  std::vector<Date> dates_;
  // Per row an index into venues_ (a corpus has few distinct venues).
  std::vector<uint16_t> venue_of_;
  std::vector<std::string> venues_ = {""};
  Json manifest_;
  std::string index_id_;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_PAPER_INDEX_H_
