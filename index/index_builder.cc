#include "index/index_builder.h"

#include <omp.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <numeric>
#include <random>
#include <unordered_set>

#include "base/hash.h"
#include "base/progress.h"
#include "base/sentence_splitter.h"
#include "base/text.h"
#include "corpora/corpus_reader.h"
#include "index/paper_index.h"
#include "index/paper_store.h"

namespace novelta {

std::string NowIso8601(Env* env) {
  std::time_t t = static_cast<std::time_t>(env->NowMicros() / 1000000);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string PaperEmbeddingText(const CorpusRecord& r) {
  // Queries go through the same TextForMatching (PaperIndex::Sparse).
  return TextForMatching(r.abstract.empty() ? r.title : r.title + ". " + r.abstract);
}

PaperRecord ToPaperRecord(CorpusRecord&& r, int64_t row, const Tokenizer& tokenizer) {
  PaperRecord rec;
  rec.row = row;
  rec.id = std::move(r.id);
  rec.title = std::move(r.title);
  rec.abstract = std::move(r.abstract);
  rec.date = r.date;
  rec.venue = std::move(r.venue);
  rec.sentences = SplitSentences(rec.abstract);
  rec.sentence_pieces = SentencePieces(rec, tokenizer);
  return rec;
}

std::vector<std::vector<int>> SentencePieces(const PaperRecord& record, const Tokenizer& tokenizer) {
  std::vector<std::vector<int>> out;
  out.reserve(record.sentences.size());
  for (const auto& s : record.sentences)
    out.push_back(tokenizer.EncodeForMatching(
        std::string_view(record.abstract).substr(s.start, s.end - s.start)));
  return out;
}

Status RecordFileChecksums(const std::string& dir, Json* manifest, Env* env) {
  for (const char* part : {"tokenizer", "embedder", "vectors", "papers"}) {
    const std::string path = dir + "/" + (*manifest)[part]["file"].get<std::string>();
    NOVELTA_ASSIGN_OR_RETURN(std::string sha, Sha256File(path, env));
    uint64_t size = 0;
    NOVELTA_RETURN_IF_ERROR(env->FileSize(path, &size));
    (*manifest)[part]["sha256"] = sha;
    (*manifest)[part]["bytes"] = size;
  }
  return Status::OK();
}

namespace {

// The corpus as the index holds it, and what reading it found.
struct CorpusPapers {
  std::vector<CorpusRecord> papers;
  CorpusReadStats stats;
  uint64_t bytes = 0;
  uint64_t duplicates = 0;  // same id and title as an earlier paper: dropped
  uint64_t renamed = 0;     // a reused id with another title: kept under a derived id
};

// 1. Reads the corpus, keeping a paper with a reused id under an id derived
// from its title and dropping a paper whose id and title both repeat.
Status ReadCorpusPapers(const std::string& corpus_path, bool bars, Env* env, CorpusPapers* out) {
  NOVELTA_RETURN_IF_ERROR(env->FileSize(corpus_path, &out->bytes));
  Progress bar("reading corpus", out->bytes, "bytes", bars);
  std::unordered_set<std::string> seen;
  uint64_t last = 0;
  NOVELTA_RETURN_IF_ERROR(ReadCorpus(
      corpus_path,
      [&](CorpusRecord&& r) {
        // Every paper also claims its derived id, so a later copy with the
        // same id and title is recognised as a duplicate below.
        std::string own_derived = r.id + "~" + Sha256Hex(NormalizeTitle(r.title)).substr(0, 12);
        if (seen.insert(r.id).second) {
          seen.insert(std::move(own_derived));
        } else {
          // Some sources reuse one id for many papers (e.g. an id with an
          // empty suffix). Keep such a paper under a stable id derived from
          // its title; drop it only when id and title both repeat.
          std::string derived = std::move(own_derived);
          if (!seen.insert(derived).second) {
            ++out->duplicates;
            return;
          }
          r.id = std::move(derived);
          ++out->renamed;
        }
        out->papers.push_back(std::move(r));
      },
      &out->stats,
      [&](uint64_t bytes, uint64_t) {
        bar.Add(bytes - last);
        last = bytes;
      }));
  if (out->papers.empty()) return Status::InvalidArgument(corpus_path + ": no valid papers in the corpus");
  return Status::OK();
}

// 2. A tokenizer trained on a seeded sample of `texts`; *used gets the
// options it was trained with (the vocabulary shrunk to what the corpus supports).
StatusOr<std::unique_ptr<Tokenizer>> TrainTokenizer(const std::vector<std::string>& texts,
                                                    const IndexBuildOptions& options, TokenizerOptions* used) {
  const size_t n = texts.size();
  std::vector<std::string> sample;
  {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(options.tokenizer.seed);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(std::min(n, options.tokenizer_sample_papers));
    for (size_t i : order) sample.push_back(texts[i]);
  }
  *used = options.tokenizer;
  // A tiny corpus cannot support a large vocabulary.
  used->vocab_size = std::max(64, std::min<int>(used->vocab_size, static_cast<int>(n * 40)));
  auto tokenizer = Tokenizer::Train(sample, *used);
  if (!tokenizer.ok()) {
    // SentencePiece refuses a vocabulary larger than the text supports; retry smaller.
    used->vocab_size = std::max(64, used->vocab_size / 4);
    tokenizer = Tokenizer::Train(sample, *used);
  }
  return tokenizer;
}

struct EmbeddedPapers {
  std::unique_ptr<Embedder> embedder;
  std::unique_ptr<VectorIndex> vectors;
};

// 3. Encodes `texts`, fits the embedder on them, embeds them and indexes the
// vectors; records the stages' seconds in `timing`.
StatusOr<EmbeddedPapers> EmbedPapers(const std::vector<std::string>& texts, const Tokenizer& tokenizer,
                                     const IndexBuildOptions& options, bool bars, Env* env, Json* timing) {
  auto secs_since = [&](uint64_t t) { return (env->MonotonicMicros() - t) / 1e6; };
  const size_t n = texts.size();
  uint64_t t = env->MonotonicMicros();
  std::vector<std::vector<int>> docs(n);
  {
    Progress bar("tokenizing", n, "papers", bars);
#pragma omp parallel for schedule(dynamic, 256)
    for (size_t i = 0; i < n; ++i) {
      docs[i] = tokenizer.Encode(texts[i]);
      if ((i & 255) == 0) bar.Add(256);
    }
  }
  (*timing)["tokenize"] = secs_since(t);
  t = env->MonotonicMicros();
  EmbeddedPapers out;
  NOVELTA_ASSIGN_OR_RETURN(out.embedder, Embedder::Fit(docs, tokenizer.vocab_size(), options.embedder));
  (*timing)["fit_embedder"] = secs_since(t);
  t = env->MonotonicMicros();
  const Embedder& embedder = *out.embedder;
  const int dim = embedder.dimensions();
  std::vector<float> vectors(n * static_cast<size_t>(dim));
#pragma omp parallel for schedule(dynamic, 256)
  for (size_t i = 0; i < n; ++i) embedder.Project(embedder.TfIdf(docs[i]), &vectors[i * dim]);
  docs.clear();
  docs.shrink_to_fit();
  NOVELTA_ASSIGN_OR_RETURN(out.vectors, VectorIndex::Build(vectors.data(), n, dim, options.vectors));
  (*timing)["embed_and_index"] = secs_since(t);
  return out;
}

// 4. The paper store, rows in blocks: passages split and tokenized in
// parallel, then written in order. Moves the papers out of `papers`.
Status WritePaperStore(const std::string& path, std::vector<CorpusRecord>* papers, const Tokenizer& tokenizer,
                       bool bars) {
  const size_t n = papers->size();
  NOVELTA_ASSIGN_OR_RETURN(auto store, PaperStore::Create(path));
  Progress bar("writing papers", n, "papers", bars);
  constexpr size_t kBlock = 4096;
  std::vector<PaperRecord> block;
  for (size_t b = 0; b < n; b += kBlock) {
    const size_t e = std::min(n, b + kBlock);
    block.assign(e - b, PaperRecord());
#pragma omp parallel for schedule(dynamic, 64)
    for (size_t i = b; i < e; ++i)
      block[i - b] = ToPaperRecord(std::move((*papers)[i]), static_cast<int64_t>(i), tokenizer);
    for (auto& rec : block) {
      NOVELTA_RETURN_IF_ERROR(store->Add(rec));
      bar.Add();
    }
  }
  return store->Finish();
}

// 5. The manifest of a new index, without its files' checksums.
Json NewManifest(const std::string& corpus_path, const CorpusPapers& corpus, size_t n,
                 const IndexBuildOptions& options, const TokenizerOptions& tok_opts, const Tokenizer& tokenizer,
                 const EmbeddedPapers& embedded, Env* env) {
  const int dim = embedded.embedder->dimensions();
  return {
      {"format", "novelta-index"},
      {"format_version", kIndexFormatVersion},
      {"created_at", NowIso8601(env)},
      {"corpus",
       {{"path", corpus_path},
        {"bytes", corpus.bytes},
        {"lines", corpus.stats.lines},
        {"records", corpus.stats.records},
        {"skipped", corpus.stats.skipped},
        {"duplicates_dropped", corpus.duplicates},
        {"ids_derived_for_reused_ids", corpus.renamed},
        {"first_errors", corpus.stats.first_errors}}},
      {"n_papers", n},
      {"dimensions", dim},
      {"tokenizer",
       {{"file", "tokenizer.model"},
        {"kind", "sentencepiece"},
        {"model_type", tok_opts.model_type},
        {"vocab_size", tokenizer.vocab_size()},
        {"training_papers", std::min(n, options.tokenizer_sample_papers)},
        {"seed", tok_opts.seed}}},
      {"embedder",
       {{"file", "embedder.bin"},
        {"kind", "tfidf-pieces+randomized-svd"},
        {"dimensions", dim},
        {"svd_oversample", options.embedder.svd_oversample},
        {"svd_power_iterations", options.embedder.svd_power_iterations},
        {"svd_max_docs", options.embedder.svd_max_docs},
        {"min_df", options.embedder.min_df},
        {"seed", options.embedder.seed}}},
      {"vectors", {{"file", "vectors.faiss"}, {"kind", "faiss"}, {"type", embedded.vectors->type()},
                   {"metric", "inner_product"}}},
      {"papers", {{"file", "papers.db"}, {"kind", "sqlite"}}},
  };
}

}  // namespace

StatusOr<Json> BuildIndex(const std::string& corpus_path, const std::string& out_dir,
                          const IndexBuildOptions& options, Env* env) {
  const uint64_t t0 = env->MonotonicMicros();
  auto secs_since = [&](uint64_t t) { return (env->MonotonicMicros() - t) / 1e6; };
  const bool bars = options.progress && Progress::StderrIsTerminal();
  Json timing = Json::object();
  // Locked before any work, so a second build of the same directory fails at
  // once rather than after minutes of work.
  NOVELTA_ASSIGN_OR_RETURN(auto staged, StagingDirectory::Begin(env, out_dir));
  const std::string& staging = staged->path();

  CorpusPapers corpus;
  NOVELTA_RETURN_IF_ERROR(ReadCorpusPapers(corpus_path, bars, env, &corpus));
  timing["read_corpus"] = secs_since(t0);
  const size_t n = corpus.papers.size();

  uint64_t t = env->MonotonicMicros();
  std::vector<std::string> texts(n);
  for (size_t i = 0; i < n; ++i) texts[i] = PaperEmbeddingText(corpus.papers[i]);
  TokenizerOptions tok_opts;
  NOVELTA_ASSIGN_OR_RETURN(auto tokenizer, TrainTokenizer(texts, options, &tok_opts));
  timing["train_tokenizer"] = secs_since(t);

  NOVELTA_ASSIGN_OR_RETURN(auto embedded, EmbedPapers(texts, *tokenizer, options, bars, env, &timing));

  // Everything goes into the staging directory (removed on any failure).
  t = env->MonotonicMicros();
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(staging + "/tokenizer.model", tokenizer->serialized()));
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(staging + "/embedder.bin", embedded.embedder->Serialize()));
  NOVELTA_RETURN_IF_ERROR(embedded.vectors->Save(staging + "/vectors.faiss"));
  NOVELTA_RETURN_IF_ERROR(WritePaperStore(staging + "/papers.db", &corpus.papers, *tokenizer, bars));
  timing["write_store"] = secs_since(t);

  Json manifest = NewManifest(corpus_path, corpus, n, options, tok_opts, *tokenizer, embedded, env);
  NOVELTA_RETURN_IF_ERROR(RecordFileChecksums(staging, &manifest, env));
  timing["total"] = secs_since(t0);
  manifest["build_seconds"] = timing;
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(staging + "/manifest.json", DumpJson(manifest, 2) + "\n"));
  NOVELTA_RETURN_IF_ERROR(staged->Commit());
  return manifest;
}

}  // namespace novelta
