// Subcommands of the `novelta` binary register themselves here, one file each
// (tools/*_command.cc), so adding a command touches no shared file.
#ifndef NOVELTA_TOOLS_COMMAND_H_
#define NOVELTA_TOOLS_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "novelta/options.h"

namespace novelta::tools {

// Adds a subcommand (with its options and callback) to the app.
using CommandAdder = std::function<void(CLI::App& app)>;

struct CommandRegistry {
  struct Entry {
    std::string name;
    CommandAdder add;
  };
  static std::vector<Entry>& Entries() {
    static std::vector<Entry> entries;
    return entries;
  }
};

struct CommandRegistration {
  CommandRegistration(std::string name, CommandAdder add) {
    CommandRegistry::Entries().push_back({std::move(name), std::move(add)});
  }
};

// A command's callback sets this to the process exit status (0 ok, 1 failed,
// 2 bad usage, 3 partial failure such as some records of a batch rejected).
int& ExitCode();

// The assessor's options as the commands set them: defaults, with the model
// files the environment names — NOVELTA_CLAIMS_MODEL (the claim classifier,
// "none" for the cue rules alone), NOVELTA_RERANK_MODEL (the reranker,
// "none" for retrieval order) and NOVELTA_EVIDENCE_MODEL (the evidence model,
// "none" for similarity alone) — when set and not empty.
// Also the LLM engine's key (NOVELTA_LLM_API_KEY) and answer cache
// (NOVELTA_LLM_CACHE, else $XDG_CACHE_HOME or ~/.cache: novelta/llm-cache.db).
AssessorOptions AssessorOptionsFromEnv();

// --engine, --llm-url, --llm-model, --llm-cache, --llm-token-budget, bound to `engine`.
void AddEngineOptions(CLI::App* cmd, EngineOptions* engine);

// The fitting options the trained models share (RerankTrainingOptions,
// EvidenceTrainingOptions): --l2, --folds, --seed.
template <typename FitOptions>
void AddFitOptions(CLI::App* cmd, FitOptions* o) {
  cmd->add_option("--l2", o->l2, "L2 penalty on the standardised weights")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  cmd->add_option("--folds", o->folds, "Folds of the cross-fitted scores")
      ->check(CLI::Range(2, 20))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the fold split")->capture_default_str();
}

}  // namespace novelta::tools

#define NOVELTA_REGISTER_COMMAND(name, fn) \
  static ::novelta::tools::CommandRegistration novelta_command_registration_##fn(name, fn)

#endif  // NOVELTA_TOOLS_COMMAND_H_
