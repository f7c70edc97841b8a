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
  return options;
}
}  // namespace novelta::tools

int main(int argc, char** argv) {
  using novelta::tools::CommandRegistry;
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
