// novelta: assess the novelty of paper submissions (see README.md).
// Every subcommand lives in its own tools/*_command.cc.
//
// BLAS: OpenBLAS picks its kernels for the CPU it detects when the library
// loads, before main() runs, and on some virtual machines it detects an old
// core (SSE3 kernels on an AVX-512 CPU). novelta does not set
// OPENBLAS_CORETYPE and re-execute itself to work around that: a re-exec
// depends on /proc/self/exe and the environment surviving, and would
// override a user's own choice. Instead the query path does not use BLAS:
// flat vector indexes are searched by VectorIndex's own 8-bit scan, which
// picks AVX-512 VNNI or portable code at run time from the CPU itself. BLAS
// remains in building IVF-PQ indexes (FAISS k-means, 200,000 papers up), where
// OPENBLAS_CORETYPE (e.g. SkylakeX) may be set by hand if the detection is wrong.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

#include "tools/command.h"

namespace novelta::tools {
int& ExitCode() {
  static int code = 0;
  return code;
}

AssessorOptions AssessorOptionsFromEnv() {
  AssessorOptions options;
  auto set = [](const char* name, std::string* field) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') *field = value;
  };
  set("NOVELTA_CLAIMS_MODEL", &options.extract.claims_model);
  set("NOVELTA_RERANK_MODEL", &options.retrieve.rerank_model);
  set("NOVELTA_EVIDENCE_MODEL", &options.compare.evidence_model);
  set("NOVELTA_LLM_API_KEY", &options.engine.llm_api_key);
  // The LLM engine's answers are cached per user unless told otherwise.
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    options.engine.llm_cache = std::string(xdg) + "/novelta/llm-cache.db";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    options.engine.llm_cache = std::string(home) + "/.cache/novelta/llm-cache.db";
  }
  set("NOVELTA_LLM_CACHE", &options.engine.llm_cache);
  return options;
}

void AddEngineOptions(CLI::App* cmd, EngineOptions* engine) {
  cmd->add_option("--engine", engine->name,
                  "Who extracts and compares claims: offline (no network, no model) or llm (an "
                  "OpenAI-compatible server; docs/llm.md)")
      ->check(CLI::IsMember({"offline", "llm"}))
      ->capture_default_str();
  cmd->add_option("--llm-url", engine->llm_url,
                  "The model server's base URL, e.g. http://127.0.0.1:8000/v1 (the key, if any, from "
                  "NOVELTA_LLM_API_KEY)");
  cmd->add_option("--llm-model", engine->llm_model, "The model's name");
  cmd->add_option("--llm-cache", engine->llm_cache,
                  "SQLite file of the model's answers, so re-runs make no calls ('none': no cache; default "
                  "from NOVELTA_LLM_CACHE, else ~/.cache/novelta/llm-cache.db)");
  cmd->add_option("--llm-token-budget", engine->llm_token_budget,
                  "Most tokens the run may spend (0: no limit); past it the offline engine answers")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}
}  // namespace novelta::tools

int main(int argc, char** argv) {
  using novelta::tools::CommandRegistry;
  // Commands print their results on stdout; their log lines (an LLM call
  // retried, say) go to stderr. The service logs to stdout, as before.
  if (argc < 2 || std::string(argv[1]) != "serve") spdlog::set_default_logger(spdlog::stderr_color_mt("novelta"));
  CLI::App app{"novelta: evidence-backed novelty assessment of paper submissions"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "novelta 0.1.0");
  auto entries = CommandRegistry::Entries();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (auto& e : entries) e.add(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return novelta::tools::ExitCode();
}
