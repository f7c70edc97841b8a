// `novelta index build --corpus FILE --out DIR`: builds the prior-work index.
#include <cstdio>

#include "base/json.h"
#include "index/index_builder.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct IndexBuildFlags {
  std::string corpus;
  std::string out;
  IndexBuildOptions options;
  bool quiet = false;
};

void AddIndexCommand(CLI::App& app) {
  auto* index = app.add_subcommand("index", "Build and inspect the prior-work index");
  index->require_subcommand(1);
  auto flags = std::make_shared<IndexBuildFlags>();
  auto* build = index->add_subcommand("build", "Build an index from a corpus (JSON Lines, plain or gzip)");
  build->add_option("--corpus", flags->corpus, "Corpus file (see corpora/README.md)")->required();
  build->add_option("--out", flags->out, "Index directory to write (replaced atomically)")->required();
  build->add_option("--dimensions", flags->options.embedder.dimensions, "Embedding dimensions")
      ->capture_default_str();
  build->add_option("--vocab-size", flags->options.tokenizer.vocab_size, "SentencePiece vocabulary size")
      ->capture_default_str();
  build->add_option("--tokenizer-sample", flags->options.tokenizer_sample_papers,
                    "Papers sampled to train the tokenizer")->capture_default_str();
  build->add_option("--svd-sample", flags->options.embedder.svd_max_docs,
                    "Papers sampled to fit the SVD")->capture_default_str();
  build->add_option("--index-type", flags->options.vectors.type, "auto, flat, hnsw or ivfpq")
      ->capture_default_str();
  build->add_flag("--quiet", flags->quiet, "No progress bars or summary");
  build->callback([flags] {
    flags->options.progress = !flags->quiet;
    auto manifest = BuildIndex(flags->corpus, flags->out, flags->options);
    if (!manifest.ok()) {
      std::fprintf(stderr, "novelta index build: %s\n", manifest.status().message().c_str());
      ExitCode() = 1;
      return;
    }
    if (!flags->quiet) {
      const Json& m = *manifest;
      std::fprintf(stderr,
                   "built %s: %llu papers (%llu skipped), %d dims, vocab %d, %.1fs\n",
                   flags->out.c_str(), m["n_papers"].get<unsigned long long>(),
                   m["corpus"]["skipped"].get<unsigned long long>(), m["dimensions"].get<int>(),
                   m["tokenizer"]["vocab_size"].get<int>(),
                   m["build_seconds"]["total"].get<double>());
      for (const auto& e : m["corpus"]["first_errors"])
        std::fprintf(stderr, "  skipped: %s\n", e.get<std::string>().c_str());
    }
  });
}

}  // namespace
NOVELTA_REGISTER_COMMAND("index", AddIndexCommand);
}  // namespace novelta::tools
