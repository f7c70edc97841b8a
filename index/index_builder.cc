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

StatusOr<Json> BuildIndex(const std::string& corpus_path, const std::string& out_dir,
                          const IndexBuildOptions& options, Env* env) {
  const uint64_t t0 = env->MonotonicMicros();
  auto secs_since = [&](uint64_t t) { return (env->MonotonicMicros() - t) / 1e6; };
  Json timing = Json::object();
  // Locked before any work, so a second build of the same directory fails at
  // once rather than after minutes of work.
  NOVELTA_ASSIGN_OR_RETURN(auto staged, StagingDirectory::Begin(env, out_dir));
  const std::string& staging = staged->path();

  // 1. Corpus.
  uint64_t corpus_bytes = 0;
  NOVELTA_RETURN_IF_ERROR(env->FileSize(corpus_path, &corpus_bytes));
  std::vector<CorpusRecord> papers;
  CorpusReadStats stats;
  uint64_t duplicates = 0, renamed = 0;
  {
    Progress bar("reading corpus", corpus_bytes, "bytes", options.progress && Progress::StderrIsTerminal());
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
              ++duplicates;
              return;
            }
            r.id = std::move(derived);
            ++renamed;
          }
          papers.push_back(std::move(r));
        },
        &stats,
        [&](uint64_t bytes, uint64_t) {
          bar.Add(bytes - last);
          last = bytes;
        }));
  }
  if (papers.empty()) return Status::InvalidArgument(corpus_path + ": no valid papers in the corpus");
  timing["read_corpus"] = secs_since(t0);
  const size_t n = papers.size();

  // 2. Tokenizer on a seeded sample.
  uint64_t t = env->MonotonicMicros();
  std::vector<std::string> texts(n);
  for (size_t i = 0; i < n; ++i) texts[i] = PaperEmbeddingText(papers[i]);
  std::vector<std::string> sample;
  {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(options.tokenizer.seed);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(std::min(n, options.tokenizer_sample_papers));
    for (size_t i : order) sample.push_back(texts[i]);
  }
  TokenizerOptions tok_opts = options.tokenizer;
  // A tiny corpus cannot support a large vocabulary.
  tok_opts.vocab_size = std::max(64, std::min<int>(tok_opts.vocab_size,
                                                   static_cast<int>(n * 40)));
  auto tokenizer = Tokenizer::Train(sample, tok_opts);
  if (!tokenizer.ok()) {
    // SentencePiece refuses a vocabulary larger than the text supports; retry smaller.
    tok_opts.vocab_size = std::max(64, tok_opts.vocab_size / 4);
    tokenizer = Tokenizer::Train(sample, tok_opts);
  }
  if (!tokenizer.ok()) return tokenizer.status();
  sample.clear();
  timing["train_tokenizer"] = secs_since(t);

  // 3. Encode, fit the embedder, embed.
  t = env->MonotonicMicros();
  std::vector<std::vector<int>> docs(n);
  {
    Progress bar("tokenizing", n, "papers", options.progress && Progress::StderrIsTerminal());
#pragma omp parallel for schedule(dynamic, 256)
    for (size_t i = 0; i < n; ++i) {
      docs[i] = (*tokenizer)->Encode(texts[i]);
      if ((i & 255) == 0) bar.Add(256);
    }
  }
  timing["tokenize"] = secs_since(t);
  t = env->MonotonicMicros();
  NOVELTA_ASSIGN_OR_RETURN(auto embedder,
                           Embedder::Fit(docs, (*tokenizer)->vocab_size(), options.embedder));
  timing["fit_embedder"] = secs_since(t);
  t = env->MonotonicMicros();
  const int dim = embedder->dimensions();
  std::vector<float> vectors(n * static_cast<size_t>(dim));
#pragma omp parallel for schedule(dynamic, 256)
  for (size_t i = 0; i < n; ++i) embedder->Project(embedder->TfIdf(docs[i]), &vectors[i * dim]);
  docs.clear();
  docs.shrink_to_fit();
  NOVELTA_ASSIGN_OR_RETURN(auto vindex, VectorIndex::Build(vectors.data(), n, dim, options.vectors));
  vectors.clear();
  vectors.shrink_to_fit();
  timing["embed_and_index"] = secs_since(t);

  // 4. Write everything into the staging directory (removed on any failure).
  t = env->MonotonicMicros();
  Status s = env->WriteFileAtomic(staging + "/tokenizer.model", (*tokenizer)->serialized());
  if (s.ok()) s = env->WriteFileAtomic(staging + "/embedder.bin", embedder->Serialize());
  if (s.ok()) s = vindex->Save(staging + "/vectors.faiss");
  if (!s.ok()) return s;
  {
    // Rows in blocks: passages split and tokenized in parallel, then written in order.
    auto store = PaperStore::Create(staging + "/papers.db");
    if (!store.ok()) return store.status();
    Progress bar("writing papers", n, "papers", options.progress && Progress::StderrIsTerminal());
    constexpr size_t kBlock = 4096;
    std::vector<PaperRecord> block;
    for (size_t b = 0; b < n; b += kBlock) {
      const size_t e = std::min(n, b + kBlock);
      block.assign(e - b, PaperRecord());
#pragma omp parallel for schedule(dynamic, 64)
      for (size_t i = b; i < e; ++i)
        block[i - b] = ToPaperRecord(std::move(papers[i]), static_cast<int64_t>(i), **tokenizer);
      for (auto& rec : block) {
        s = (*store)->Add(rec);
        if (!s.ok()) return s;
        bar.Add();
      }
    }
    s = (*store)->Finish();
    if (!s.ok()) return s;
  }
  timing["write_store"] = secs_since(t);

  Json manifest = {
      {"format", "novelta-index"},
      {"format_version", kIndexFormatVersion},
      {"created_at", NowIso8601(env)},
      {"corpus",
       {{"path", corpus_path},
        {"bytes", corpus_bytes},
        {"lines", stats.lines},
        {"records", stats.records},
        {"skipped", stats.skipped},
        {"duplicates_dropped", duplicates},
        {"ids_derived_for_reused_ids", renamed},
        {"first_errors", stats.first_errors}}},
      {"n_papers", n},
      {"dimensions", dim},
      {"tokenizer",
       {{"file", "tokenizer.model"},
        {"kind", "sentencepiece"},
        {"model_type", tok_opts.model_type},
        {"vocab_size", (*tokenizer)->vocab_size()},
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
      {"vectors", {{"file", "vectors.faiss"}, {"kind", "faiss"}, {"type", vindex->type()},
                   {"metric", "inner_product"}}},
      {"papers", {{"file", "papers.db"}, {"kind", "sqlite"}}},
  };
  for (const char* part : {"tokenizer", "embedder", "vectors", "papers"}) {
    std::string path = staging + "/" + manifest[part]["file"].get<std::string>();
    auto sha = Sha256File(path);
    if (!sha.ok()) return sha.status();
    uint64_t size = 0;
    env->FileSize(path, &size);
    manifest[part]["sha256"] = *sha;
    manifest[part]["bytes"] = size;
  }
  timing["total"] = secs_since(t0);
  manifest["build_seconds"] = timing;
  s = env->WriteFileAtomic(staging + "/manifest.json", DumpJson(manifest, 2) + "\n");
  if (!s.ok()) return s;
  NOVELTA_RETURN_IF_ERROR(staged->Commit());
  return manifest;
}

}  // namespace novelta
