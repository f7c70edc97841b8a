// `novelta train-evidence --labels FILE --dataset FILE --index DIR --out DIR`:
// joins an expert judge's labels of (claim, prior passage) pairs with the
// features the pipeline computes for them (OUT/examples.jsonl), fits the
// evidence model, scores it by cross-fitting over papers, and writes
// OUT/evidence.json and OUT/manifest.json. The same labels, data and index
// give the same model file.
#include <cstdio>

#include "base/env.h"
#include "base/hash.h"
#include "evaluation/evidence_examples.h"
#include "pipeline/compare/evidence_model.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct TrainEvidenceFlags {
  std::string labels, dataset, index, out_dir;
  EvidenceTrainingOptions options;
};

void RunTrainEvidence(const TrainEvidenceFlags& f) {
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "novelta train-evidence: %s\n", s.message().c_str());
    ExitCode() = 1;
  };
  auto index = PaperIndex::Open(f.index);
  if (!index.ok()) return fail(index.status());
  auto labels_sha = Sha256File(f.labels);
  if (!labels_sha.ok()) return fail(labels_sha.status());
  const Json provenance = {{"labels", f.labels},
                           {"labels_sha256", *labels_sha},
                           {"dataset", f.dataset},
                           {"index_id", (*index)->index_id()}};
  Status dirs = Env::Default()->CreateDirs(f.out_dir);
  if (!dirs.ok()) return fail(dirs);
  const std::string examples = f.out_dir + "/examples.jsonl";
  auto counts = ExportEvidenceExamples(f.labels, f.dataset, std::shared_ptr<const PaperIndex>(std::move(*index)),
                                       AssessorOptionsFromEnv(), examples);
  if (!counts.ok()) return fail(counts.status());
  auto manifest = TrainEvidenceModel(examples, f.out_dir, f.options, provenance);
  if (!manifest.ok()) return fail(manifest.status());
  std::fprintf(stdout, "%s\n", Json{{"join", counts->ToJson()}, {"scores", (*manifest)["scores"]}}.dump(2).c_str());
  std::fprintf(stderr, "novelta train-evidence: %s/evidence.json and %s/manifest.json\n", f.out_dir.c_str(),
               f.out_dir.c_str());
}

void AddTrainEvidenceCommand(CLI::App& app) {
  auto f = std::make_shared<TrainEvidenceFlags>();
  auto* cmd = app.add_subcommand(
      "train-evidence",
      "Train the evidence model on judged (claim, passage) pairs: writes OUT/examples.jsonl, "
      "OUT/evidence.json and OUT/manifest.json (data checksum, settings, cross-fitted scores)");
  cmd->add_option("--labels", f->labels, "Judged pairs, JSON Lines (scripts/audit_labels.py)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--dataset", f->dataset, "The labelled papers' dataset (shared eval format)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--index", f->index, "Index directory")->required();
  cmd->add_option("--out", f->out_dir, "Output folder (e.g. models/evidence)")->required();
  AddFitOptions(cmd, &f->options);
  cmd->callback([f] { RunTrainEvidence(*f); });
}

NOVELTA_REGISTER_COMMAND("train-evidence", AddTrainEvidenceCommand);

}  // namespace
}  // namespace novelta::tools
