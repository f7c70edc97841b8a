#include "index/index_updater.h"

#include <ctime>
#include <filesystem>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "base/progress.h"
#include "base/sentence_splitter.h"
#include "base/text.h"
#include "corpora/corpus_reader.h"
#include "index/paper_index.h"
#include "index/index_builder.h"
#include "index/paper_store.h"
#include "index/vector_index.h"

namespace novelta {
namespace {

Status CopyFile(Env* env, const std::string& from, const std::string& to) {
  std::string bytes;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(from, &bytes));
  return env->WriteFileAtomic(to, bytes);
}

// The papers of a corpus file that the index does not hold, and what reading it found.
struct NewPapers {
  std::vector<CorpusRecord> papers;
  CorpusReadStats stats;
  uint64_t corpus_bytes = 0;
  uint64_t known_ids = 0;  // already in the index (or repeated in the file)
};

// 1. Reads the papers of `corpus_path` whose id (or derived id) `index` does
// not hold; a reused id with a new title gets the id the builder derives.
Status ReadNewPapers(const PaperIndex& index, const std::string& corpus_path, bool bars, Env* env,
                     NewPapers* out) {
  // Every id the index holds or this update adds, with its normalised title.
  const size_t n_old = index.size();
  std::unordered_map<std::string, std::string> known;
  known.reserve(n_old * 2);
  for (size_t row = 0; row < n_old; ++row)
    known.emplace(index.id(static_cast<int64_t>(row)), NormalizeTitle(index.title(static_cast<int64_t>(row))));
  NOVELTA_RETURN_IF_ERROR(env->FileSize(corpus_path, &out->corpus_bytes));
  Progress bar("reading new papers", out->corpus_bytes, "bytes", bars);
  uint64_t last = 0;
  return ReadCorpus(
      corpus_path,
      [&](CorpusRecord&& r) {
        std::string title = NormalizeTitle(r.title);
        auto it = known.find(r.id);
        if (it != known.end()) {
          // A known id with the same title is a paper the index has. A
          // reused id with another title is kept under the derived id the
          // builder gives such papers.
          if (it->second == title) {
            ++out->known_ids;
            return;
          }
          std::string derived = r.id + "~" + Sha256Hex(title).substr(0, 12);
          if (known.count(derived) != 0) {
            ++out->known_ids;
            return;
          }
          r.id = std::move(derived);
        }
        known.emplace(r.id, std::move(title));
        out->papers.push_back(std::move(r));
      },
      &out->stats,
      [&](uint64_t bytes, uint64_t) {
        bar.Add(bytes - last);
        last = bytes;
      });
}

// 2. The papers' vectors, embedded with the index's own tokenizer and embedder.
std::vector<float> EmbedNewPapers(const PaperIndex& index, const std::vector<CorpusRecord>& papers, bool bars) {
  const size_t n_new = papers.size();
  const int dim = index.dimensions();
  std::vector<float> vectors(n_new * static_cast<size_t>(dim));
  Progress bar("embedding", n_new, "papers", bars);
#pragma omp parallel for schedule(dynamic, 64)
  for (size_t i = 0; i < n_new; ++i) {
    index.Dense(PaperEmbeddingText(papers[i]), &vectors[i * dim]);
    if ((i & 63) == 0) bar.Add(64);
  }
  return vectors;
}

// 3a. The old vector index with `vectors` appended, saved as `to`.
Status StageVectors(const std::string& from, std::vector<float> vectors, size_t n_new, const std::string& to) {
  VectorLoadOptions load_opts;
  load_opts.mmap = false;  // appending needs the inverted lists in memory
  NOVELTA_ASSIGN_OR_RETURN(auto vindex, VectorIndex::Load(from, load_opts));
  NOVELTA_RETURN_IF_ERROR(vindex->Add(vectors.data(), n_new));
  return vindex->Save(to);
}

// 3b. The paper store written afresh as `path`: the index's rows first, then
// the new papers (moved out of `papers`).
Status StagePaperStore(const PaperIndex& index, std::vector<CorpusRecord>* papers, const std::string& path,
                       bool bars) {
  const size_t n_old = index.size(), n_new = papers->size();
  NOVELTA_ASSIGN_OR_RETURN(auto store, PaperStore::Create(path));
  Progress bar("writing papers", n_old + n_new, "papers", bars);
  for (size_t row = 0; row < n_old; ++row) {
    NOVELTA_ASSIGN_OR_RETURN(PaperRecord rec, index.Paper(static_cast<int64_t>(row)));
    // A store from before passages' pieces were kept: the update adds them.
    if (rec.sentence_pieces.empty()) rec.sentence_pieces = SentencePieces(rec, index.tokenizer());
    NOVELTA_RETURN_IF_ERROR(store->Add(rec));
    bar.Add();
  }
  for (size_t i = 0; i < n_new; ++i) {
    NOVELTA_RETURN_IF_ERROR(
        store->Add(ToPaperRecord(std::move((*papers)[i]), static_cast<int64_t>(n_old + i), index.tokenizer())));
    bar.Add();
  }
  return store->Finish();
}

}  // namespace

StatusOr<IndexUpdateResult> AddToIndex(const std::string& index_dir,
                                       const std::string& corpus_path,
                                       const IndexUpdateOptions& options, Env* env) {
  const uint64_t t0 = env->MonotonicMicros();
  const bool bars = options.progress && Progress::StderrIsTerminal();
  PaperIndexOptions open_opts;
  open_opts.verify_checksums = options.verify_checksums;
  // Locked before the old index is read, so two updates never both start from
  // the same version and lose each other's papers. (A missing directory is
  // left for Open to report.)
  std::unique_ptr<StagingDirectory> staged;
  if (env->IsDirectory(index_dir)) {
    NOVELTA_ASSIGN_OR_RETURN(staged, StagingDirectory::Begin(env, index_dir));
  }
  NOVELTA_ASSIGN_OR_RETURN(auto index, PaperIndex::Open(index_dir, open_opts, env));
  if (staged == nullptr) return Status::NotFound(index_dir + ": no index directory");
  const std::string& staging = staged->path();
  const std::string& target = staged->target();
  const Json& old_manifest = index->manifest();
  const size_t n_old = index->size();

  IndexUpdateResult result;
  result.papers_before = n_old;
  NewPapers fresh;
  NOVELTA_RETURN_IF_ERROR(ReadNewPapers(*index, corpus_path, bars, env, &fresh));
  result.skipped_known_ids = fresh.known_ids;
  result.skipped_bad_records = fresh.stats.skipped;
  result.papers_added = fresh.papers.size();
  if (fresh.papers.empty()) {
    result.manifest = old_manifest;
    return result;
  }
  const size_t n_new = fresh.papers.size();
  std::vector<float> vectors = EmbedNewPapers(*index, fresh.papers, bars);

  // The new index is staged beside the old one (removed on any failure).
  auto file_of = [&](const char* part) { return old_manifest[part]["file"].get<std::string>(); };
  NOVELTA_RETURN_IF_ERROR(StageVectors(target + "/" + file_of("vectors"), std::move(vectors), n_new,
                                       staging + "/" + file_of("vectors")));
  for (const char* part : {"tokenizer", "embedder"})
    NOVELTA_RETURN_IF_ERROR(CopyFile(env, target + "/" + file_of(part), staging + "/" + file_of(part)));
  NOVELTA_RETURN_IF_ERROR(StagePaperStore(*index, &fresh.papers, staging + "/" + file_of("papers"), bars));

  // The new manifest: counts, checksums, and a record of this update.
  Json manifest = old_manifest;
  manifest["n_papers"] = n_old + n_new;
  NOVELTA_RETURN_IF_ERROR(RecordFileChecksums(staging, &manifest, env));
  if (!manifest.contains("updates") || !manifest["updates"].is_array())
    manifest["updates"] = Json::array();
  manifest["updates"].push_back({{"at", NowIso8601(env)},
                                 {"corpus_path", corpus_path},
                                 {"corpus_bytes", fresh.corpus_bytes},
                                 {"papers_added", n_new},
                                 {"skipped", fresh.stats.skipped},
                                 {"known_ids_skipped", fresh.known_ids},
                                 {"first_errors", fresh.stats.first_errors},
                                 {"seconds", (env->MonotonicMicros() - t0) / 1e6}});
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(staging + "/manifest.json", DumpJson(manifest, 2) + "\n"));
  index.reset();  // release the old files before the swap
  NOVELTA_RETURN_IF_ERROR(staged->Commit());
  result.manifest = std::move(manifest);
  return result;
}

}  // namespace novelta
