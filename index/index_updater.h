// AddToIndex: appends the papers of a corpus file to an existing index
// directory without rebuilding it.
//
// The index's tokenizer and embedder are reused as they are (IDF weights and
// the SVD are not refitted), so new papers are embedded exactly as queries
// are; their vectors are appended to the vector index (an IVF-PQ index
// encodes them with its trained codebooks) and their rows to the paper store.
// Papers whose id the index already holds are skipped (a reused id with a new
// title gets the same derived id the builder gives it). Everything is written
// into a staging directory beside the index, with a new manifest and
// checksums, and swapped into place atomically: readers see the old index or
// the complete new one, never a mix.
//
// Refitting matters once the new papers shift the vocabulary a lot (a new
// field): rebuild with `novelta index build` then.
//
// Thread-safety: call from one thread; do not run two updates of one index at once.
#ifndef NOVELTA_INDEX_INDEX_UPDATER_H_
#define NOVELTA_INDEX_INDEX_UPDATER_H_

#include <cstdint>
#include <string>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"

namespace novelta {

struct IndexUpdateOptions {
  // Show progress bars (only drawn when stderr is a terminal). Default: true.
  bool progress = true;
  // Check the existing index's checksums before updating it. Default: true.
  bool verify_checksums = true;
};

struct IndexUpdateResult {
  uint64_t papers_before = 0;
  uint64_t papers_added = 0;
  uint64_t skipped_bad_records = 0;   // unreadable corpus records
  uint64_t skipped_known_ids = 0;     // already in the index (or repeated in the file)
  Json manifest;                      // the new manifest
};

// Adds the papers of `corpus_path` (the corpus format of corpora/README.md)
// to the index in `index_dir`. Adding nothing (all papers known) still
// succeeds and leaves the index untouched.
StatusOr<IndexUpdateResult> AddToIndex(const std::string& index_dir,
                                       const std::string& corpus_path,
                                       const IndexUpdateOptions& options = {},
                                       Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_INDEX_INDEX_UPDATER_H_
