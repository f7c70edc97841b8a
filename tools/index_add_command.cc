// `novelta index add --index DIR --corpus FILE`: appends new papers to an
// existing index without rebuilding it (see index/index_updater.h).
#include <cstdio>
#include <memory>

#include "index/index_updater.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct IndexAddFlags {
  std::string index_dir;
  std::string corpus;
  bool quiet = false;
  bool no_verify = false;
};

void AddIndexAddCommand(CLI::App& app) {
  // Registered after "index" (commands are added in name order), under it.
  CLI::App* index = nullptr;
  try {
    index = app.get_subcommand("index");
  } catch (const CLI::OptionNotFound&) {
    index = app.add_subcommand("index", "Build and inspect the prior-work index");
    index->require_subcommand(1);
  }
  auto flags = std::make_shared<IndexAddFlags>();
  auto* add = index->add_subcommand(
      "add", "Add the papers of a corpus file to an existing index (no rebuild; known ids are skipped)");
  add->add_option("--index", flags->index_dir, "Index directory to update (replaced atomically)")
      ->required();
  add->add_option("--corpus", flags->corpus, "Corpus file of new papers (see corpora/README.md)")
      ->required();
  add->add_flag("--no-verify", flags->no_verify, "Skip checking the index checksums first");
  add->add_flag("--quiet", flags->quiet, "No progress bars or summary");
  add->callback([flags] {
    IndexUpdateOptions options;
    options.progress = !flags->quiet;
    options.verify_checksums = !flags->no_verify;
    auto result = AddToIndex(flags->index_dir, flags->corpus, options);
    if (!result.ok()) {
      std::fprintf(stderr, "novelta index add: %s\n", result.status().message().c_str());
      ExitCode() = 1;
      return;
    }
    if (!flags->quiet) {
      std::fprintf(stderr,
                   "updated %s: %llu papers + %llu new = %llu (%llu known ids, %llu bad records "
                   "skipped)\n",
                   flags->index_dir.c_str(), static_cast<unsigned long long>(result->papers_before),
                   static_cast<unsigned long long>(result->papers_added),
                   static_cast<unsigned long long>(result->papers_before + result->papers_added),
                   static_cast<unsigned long long>(result->skipped_known_ids),
                   static_cast<unsigned long long>(result->skipped_bad_records));
    }
  });
}

}  // namespace
NOVELTA_REGISTER_COMMAND("index add", AddIndexAddCommand);
}  // namespace novelta::tools
