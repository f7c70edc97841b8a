// BuildIndex: corpus in, index directory out (see paper_index.h for the layout).
//
//   1. read the corpus (corpora/corpus_reader.h), skipping and counting bad records
//   2. train a SentencePiece tokenizer on a seeded sample of titles + abstracts
//   3. fit TF-IDF weights and a truncated SVD; embed every paper
//   4. write the FAISS index, the paper store (with sentence spans) and the
//      manifest into a staging directory, then swap it into place atomically,
//      so a crash never leaves a half-written index where one is expected.
//
// Thread-safety: BuildIndex uses OpenMP internally; call it from one thread.
#ifndef NOVELTA_INDEX_INDEX_BUILDER_H_
#define NOVELTA_INDEX_INDEX_BUILDER_H_

#include <string>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"
#include "index/embedder.h"
#include "index/paper_store.h"
#include "index/tokenizer.h"
#include "index/vector_index.h"

namespace novelta {

struct IndexBuildOptions {
  TokenizerOptions tokenizer;
  EmbedderOptions embedder;
  VectorIndexOptions vectors;
  // Papers sampled (seeded) to train the tokenizer. Default: 15000 (training
  // time grows with the sample; on the 95k-paper corpus 30000 gave the same
  // retrieval recall at twice the time).
  size_t tokenizer_sample_papers = 15000;
  // Show progress bars (only drawn when stderr is a terminal). Default: true.
  bool progress = true;
};

struct CorpusRecord;

// The text a paper is embedded from: title and abstract, notation dropped.
// Shared by the builder and the updater so both embed papers the same way.
std::string PaperEmbeddingText(const CorpusRecord& record);
// The paper-store row of a corpus record: its abstract split into passages,
// each passage's pieces encoded with `tokenizer`.
PaperRecord ToPaperRecord(CorpusRecord&& record, int64_t row, const Tokenizer& tokenizer);
// The pieces of each of `record`'s sentences (PaperRecord::sentence_pieces).
std::vector<std::vector<int>> SentencePieces(const PaperRecord& record, const Tokenizer& tokenizer);
// The current time as "2025-05-15T10:00:00Z", for manifests.
std::string NowIso8601(Env* env);
// Records in `manifest` the SHA-256 ("sha256") and size ("bytes") of each
// index file it names (tokenizer, embedder, vectors, papers: their "file"),
// read from directory `dir` through `env`. The builder and the updater both
// checksum a staged index with it.
Status RecordFileChecksums(const std::string& dir, Json* manifest, Env* env);

// Builds the index of `corpus_path` into `out_dir` (replacing any index
// there only once the new one is complete). Returns the manifest.
StatusOr<Json> BuildIndex(const std::string& corpus_path, const std::string& out_dir,
                          const IndexBuildOptions& options, Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_INDEX_INDEX_BUILDER_H_
