// `novelta train-reranker --candidates FILE --out DIR`: fits the related-work
// reranker on the pools `novelta eval --candidates` wrote, scores it by
// cross-fitting, and writes OUT/reranker.json and OUT/manifest.json. The
// fit is deterministic: the same candidates give the same model file.
#include <cstdio>

#include "pipeline/retrieve/related_reranker.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct TrainRerankerFlags {
  std::string candidates;
  std::string out_dir;
  RerankTrainingOptions options;
};

void RunTrainReranker(const TrainRerankerFlags& f) {
  auto manifest = TrainRerankerModel(f.candidates, f.out_dir, f.options);
  if (!manifest.ok()) {
    std::fprintf(stderr, "novelta train-reranker: %s\n", manifest.status().message().c_str());
    ExitCode() = 1;
    return;
  }
  std::fprintf(stdout, "%s\n", (*manifest)["scores"].dump(2).c_str());
  std::fprintf(stderr, "novelta train-reranker: %s/reranker.json and %s/manifest.json\n",
               f.out_dir.c_str(), f.out_dir.c_str());
}

void AddTrainRerankerCommand(CLI::App& app) {
  auto f = std::make_shared<TrainRerankerFlags>();
  auto* cmd = app.add_subcommand(
      "train-reranker",
      "Train the related-work reranker on OUT/candidates.jsonl of `novelta eval --candidates`; writes "
      "OUT/reranker.json and OUT/manifest.json (data checksum, settings, cross-fitted recall)");
  cmd->add_option("--candidates", f->candidates, "candidates.jsonl written by `novelta eval --candidates`")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", f->out_dir, "Output folder (e.g. models/rerank)")->required();
  AddFitOptions(cmd, &f->options);
  cmd->callback([f] { RunTrainReranker(*f); });
}

NOVELTA_REGISTER_COMMAND("train-reranker", AddTrainRerankerCommand);

}  // namespace
}  // namespace novelta::tools
