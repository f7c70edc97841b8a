// `novelta corpus import --format arxiv|openalex|s2 --input FILE... --out FILE`:
// converts a public metadata dump to the corpus format (corpora/README.md).
#include <cstdio>
#include <memory>

#include "corpora/arxiv_importer.h"
#include "corpora/openalex_importer.h"
#include "corpora/semantic_scholar_importer.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct CorpusImportFlags {
  std::string format;
  std::vector<std::string> inputs;
  std::vector<std::string> abstracts;
  std::string out;
  ImportOptions options;
  bool quiet = false;
};

void AddCorpusCommand(CLI::App& app) {
  auto* corpus = app.add_subcommand("corpus", "Prepare prior-work corpora");
  corpus->require_subcommand(1);
  auto flags = std::make_shared<CorpusImportFlags>();
  auto* import = corpus->add_subcommand(
      "import", "Convert an arXiv, OpenAlex or Semantic Scholar dump into a corpus file");
  import->add_option("--format", flags->format, "arxiv (metadata snapshot), openalex (works), "
                                                "s2 (papers + abstracts datasets)")
      ->required()
      ->check(CLI::IsMember({"arxiv", "openalex", "s2"}));
  import->add_option("--input", flags->inputs,
                     "Input files, JSON Lines, plain or gzip (for s2: the papers shards)")
      ->required();
  import->add_option("--abstracts", flags->abstracts, "s2 only: the abstracts shards");
  import->add_option("--out", flags->out,
                     "Corpus file to write (gzip when it ends in .gz; appears only when complete)")
      ->required();
  import->add_option("--categories", flags->options.categories,
                     "Keep only these: arXiv category prefixes (cs.), S2 fields of study or OpenAlex "
                     "fields (\"Computer Science\"); default all")
      ->delimiter(',');
  import->add_flag("--require-abstract", flags->options.require_abstract,
                   "Skip papers without an abstract");
  import->add_flag("--quiet", flags->quiet, "No progress bars or summary");
  import->callback([flags] {
    flags->options.progress = !flags->quiet;
    if (flags->format != "s2" && !flags->abstracts.empty()) {
      std::fprintf(stderr, "novelta corpus import: --abstracts is only for --format s2\n");
      ExitCode() = 2;
      return;
    }
    ImportStats stats;
    Status s;
    if (flags->format == "arxiv") {
      s = ImportArxiv(flags->inputs, flags->out, flags->options, &stats);
    } else if (flags->format == "openalex") {
      s = ImportOpenAlex(flags->inputs, flags->out, flags->options, &stats);
    } else {
      s = ImportSemanticScholar(flags->inputs, flags->abstracts, flags->out, flags->options, &stats);
    }
    if (!s.ok()) {
      std::fprintf(stderr, "novelta corpus import: %s\n", s.message().c_str());
      ExitCode() = 1;
      return;
    }
    if (!flags->quiet) {
      std::fprintf(stderr,
                   "wrote %s: %llu papers (%llu without abstract) from %llu records; %llu bad "
                   "records skipped, %llu filtered out\n",
                   flags->out.c_str(), static_cast<unsigned long long>(stats.written),
                   static_cast<unsigned long long>(stats.without_abstract),
                   static_cast<unsigned long long>(stats.lines),
                   static_cast<unsigned long long>(stats.skipped),
                   static_cast<unsigned long long>(stats.filtered));
      for (const auto& e : stats.first_errors) std::fprintf(stderr, "  skipped: %s\n", e.c_str());
    }
  });
}

}  // namespace
NOVELTA_REGISTER_COMMAND("corpus", AddCorpusCommand);
}  // namespace novelta::tools
