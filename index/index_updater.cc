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

  // 1. New papers: those whose id (or derived id) the index does not hold.
  // Every id the index holds or this update adds, with its normalised title.
  std::unordered_map<std::string, std::string> known;
  known.reserve(n_old * 2);
  for (size_t row = 0; row < n_old; ++row)
    known.emplace(index->id(static_cast<int64_t>(row)),
                  NormalizeTitle(index->title(static_cast<int64_t>(row))));
  uint64_t corpus_bytes = 0;
  NOVELTA_RETURN_IF_ERROR(env->FileSize(corpus_path, &corpus_bytes));
  std::vector<CorpusRecord> papers;
  CorpusReadStats stats;
  {
    Progress bar("reading new papers", corpus_bytes, "bytes", bars);
    uint64_t last = 0;
    NOVELTA_RETURN_IF_ERROR(ReadCorpus(
        corpus_path,
        [&](CorpusRecord&& r) {
          std::string title = NormalizeTitle(r.title);
          auto it = known.find(r.id);
          if (it != known.end()) {
            // A known id with the same title is a paper the index has. A
            // reused id with another title is kept under the derived id the
            // builder gives such papers.
            if (it->second == title) {
              ++result.skipped_known_ids;
              return;
            }
            std::string derived = r.id + "~" + Sha256Hex(title).substr(0, 12);
            if (known.count(derived) != 0) {
              ++result.skipped_known_ids;
              return;
            }
            r.id = std::move(derived);
          }
          known.emplace(r.id, std::move(title));
          papers.push_back(std::move(r));
        },
        &stats,
        [&](uint64_t bytes, uint64_t) {
          bar.Add(bytes - last);
          last = bytes;
        }));
  }
  result.skipped_bad_records = stats.skipped;
  result.papers_added = papers.size();
  if (papers.empty()) {
    result.manifest = old_manifest;
    return result;
  }
  const size_t n_new = papers.size();

  // 2. Embed them with the index's own tokenizer and embedder.
  const int dim = index->dimensions();
  std::vector<float> vectors(n_new * static_cast<size_t>(dim));
  {
    Progress bar("embedding", n_new, "papers", bars);
#pragma omp parallel for schedule(dynamic, 64)
    for (size_t i = 0; i < n_new; ++i) {
      index->Dense(PaperEmbeddingText(papers[i]), &vectors[i * dim]);
      if ((i & 63) == 0) bar.Add(64);
    }
  }

  // 3. Stage the new index beside the old one (removed on any failure).
  auto file_of = [&](const char* part) { return old_manifest[part]["file"].get<std::string>(); };

  VectorLoadOptions load_opts;
  load_opts.mmap = false;  // appending needs the inverted lists in memory
  auto vindex = VectorIndex::Load(target + "/" + file_of("vectors"), load_opts);
  if (!vindex.ok()) return vindex.status();
  Status s = (*vindex)->Add(vectors.data(), n_new);
  if (s.ok()) s = (*vindex)->Save(staging + "/" + file_of("vectors"));
  vindex->reset();
  vectors = {};
  for (const char* part : {"tokenizer", "embedder"}) {
    if (s.ok()) s = CopyFile(env, target + "/" + file_of(part), staging + "/" + file_of(part));
  }
  if (!s.ok()) return s;
  {
    // SQLite file written afresh: the old rows first, then the new ones.
    auto store = PaperStore::Create(staging + "/" + file_of("papers"));
    if (!store.ok()) return store.status();
    Progress bar("writing papers", n_old + n_new, "papers", bars);
    for (size_t row = 0; row < n_old; ++row) {
      auto rec = index->Paper(static_cast<int64_t>(row));
      if (!rec.ok()) return rec.status();
      // A store from before passages' pieces were kept: the update adds them.
      if (rec->sentence_pieces.empty()) rec->sentence_pieces = SentencePieces(*rec, index->tokenizer());
      s = (*store)->Add(*rec);
      if (!s.ok()) return s;
      bar.Add();
    }
    for (size_t i = 0; i < n_new; ++i) {
      s = (*store)->Add(
          ToPaperRecord(std::move(papers[i]), static_cast<int64_t>(n_old + i), index->tokenizer()));
      if (!s.ok()) return s;
      bar.Add();
    }
    s = (*store)->Finish();
    if (!s.ok()) return s;
  }

  // 4. New manifest: counts, checksums, and a record of this update.
  Json manifest = old_manifest;
  manifest["n_papers"] = n_old + n_new;
  for (const char* part : {"tokenizer", "embedder", "vectors", "papers"}) {
    const std::string path = staging + "/" + file_of(part);
    auto sha = Sha256File(path);
    if (!sha.ok()) return sha.status();
    uint64_t size = 0;
    env->FileSize(path, &size);
    manifest[part]["sha256"] = *sha;
    manifest[part]["bytes"] = size;
  }
  if (!manifest.contains("updates") || !manifest["updates"].is_array())
    manifest["updates"] = Json::array();
  manifest["updates"].push_back({{"at", NowIso8601(env)},
                                 {"corpus_path", corpus_path},
                                 {"corpus_bytes", corpus_bytes},
                                 {"papers_added", n_new},
                                 {"skipped", stats.skipped},
                                 {"known_ids_skipped", result.skipped_known_ids},
                                 {"first_errors", stats.first_errors},
                                 {"seconds", (env->MonotonicMicros() - t0) / 1e6}});
  s = env->WriteFileAtomic(staging + "/manifest.json", DumpJson(manifest, 2) + "\n");
  if (!s.ok()) return s;
  index.reset();  // release the old files before the swap
  NOVELTA_RETURN_IF_ERROR(staged->Commit());
  result.manifest = std::move(manifest);
  return result;
}

}  // namespace novelta
