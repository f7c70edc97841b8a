// `novelta train-claims --train-dir DIR --out DIR`: trains the claim-sentence
// classifier on CSAbstruct and NLPContributionGraph, fits how it is combined
// with the cue rules, scores it on the test sets and writes OUT/claims.ftz and
// OUT/manifest.json. One thread and fixed seeds: the same data gives the same
// model file.
#include <cstdio>

#include "pipeline/extract/claim_training.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

void RunTrainClaims(const ClaimTrainingOptions& o) {
  auto manifest = TrainClaimModel(o);
  if (!manifest.ok()) {
    std::fprintf(stderr, "novelta train-claims: %s\n", manifest.status().message().c_str());
    ExitCode() = 1;
    return;
  }
  const Json& m = *manifest;
  std::fprintf(stdout, "%s\n", m["scores"].dump(2).c_str());
  std::fprintf(stderr, "novelta train-claims: %s/%s (%s bytes, trained in %s s) and %s/manifest.json\n",
               o.out_dir.c_str(), m["model"]["file"].get<std::string>().c_str(),
               m["model"]["bytes"].dump().c_str(), m["train_seconds"].dump().c_str(), o.out_dir.c_str());
}

void AddTrainClaimsCommand(CLI::App& app) {
  auto o = std::make_shared<ClaimTrainingOptions>();
  auto* cmd = app.add_subcommand(
      "train-claims",
      "Train the claim-sentence classifier (fastText) on CSAbstruct and NLPContributionGraph; writes "
      "OUT/claims.ftz and OUT/manifest.json (data checksums, settings, scores)");
  cmd->add_option("--train-dir", o->train_dir,
                  "Folder with csabstruct/{train,dev,test}.jsonl and ncg/{train,test}.jsonl.gz "
                  "(e.g. ../shared/data/train)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", o->out_dir, "Output folder (e.g. models/claims)")->required();
  auto& c = o->classifier;
  cmd->add_option("--dim", c.dim, "Vector size")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--epoch", c.epoch, "Passes over the examples")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--lr", c.lr, "Learning rate")->check(CLI::Range(0.0001, 10.0))->capture_default_str();
  cmd->add_option("--word-ngrams", c.word_ngrams, "Longest word n-gram")
      ->check(CLI::Range(1, 5))
      ->capture_default_str();
  cmd->add_option("--bucket", c.bucket, "Hash buckets for word n-grams")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  cmd->add_option("--min-count", c.min_count, "Rarest word kept")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--seed", c.seed, "Seed of the shuffle and of fastText")->capture_default_str();
  cmd->add_flag("!--no-quantize", c.quantize, "Write the full model (claims.bin) instead of a quantized one");
  cmd->add_option("--dsub", c.dsub, "Quantization sub-vector size")->check(CLI::Range(1, 64))->capture_default_str();
  cmd->add_option("--cutoff", c.cutoff, "Quantization: keep only this many rows, then retrain (0: all)")
      ->capture_default_str();
  cmd->add_option("--ncg-holdout", o->ncg_holdout, "Share of NCG train tasks (with their papers) held out for tuning")
      ->check(CLI::Range(0.01, 0.99))
      ->capture_default_str();
  cmd->add_option("--split-seed", o->split_seed, "Seed of the held-out choice")->capture_default_str();
  cmd->add_option("--body-foreign-cap", o->body_foreign_cap,
                  "Highest score of an introduction sentence without an own-work cue")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("!--no-fit", o->fit_combination, "Keep the default combination weights");
  cmd->add_flag("!--no-test", o->evaluate_test, "Do not score the test sets (while tuning)");
  cmd->add_flag("-v,--verbose", o->verbose, "Progress on stderr");
  cmd->callback([o] { RunTrainClaims(*o); });
}

}  // namespace
NOVELTA_REGISTER_COMMAND("train-claims", AddTrainClaimsCommand);
}  // namespace novelta::tools
