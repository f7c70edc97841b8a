// `novelta trust`: the trust block of `novelta eval` (docs/quality.md) for
// reports made by any build or system, so that an older build or another
// assessor is measured on the same inputs with the same code.
//
//   novelta trust --dataset neurips2025-dev.jsonl.gz --write-withheld withheld.jsonl
//   other-build assess withheld.jsonl --index data/index --format json > reports.jsonl
//   novelta trust --dataset neurips2025-dev.jsonl.gz --index data/index --reports reports.jsonl
//
// Prints the block as JSON. Exit status: 0 ok, 1 bad input or failure, 2 bad usage.
#include <cstdio>
#include <memory>
#include <string>

#include "evaluation/withheld.h"
#include "index/paper_index.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct TrustFlags {
  std::string dataset;
  std::string index;
  std::string reports;
  std::string write_withheld;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "novelta trust: %s\n", s.ToString().c_str());
  return 1;
}

int RunTrust(const TrustFlags& f) {
  if (!f.write_withheld.empty()) {
    auto n = WriteWithheldSubmissions(f.dataset, f.write_withheld);
    if (!n.ok()) return Fail(n.status());
    std::fprintf(stderr, "novelta trust: %zu submissions, references withheld -> %s\n", *n,
                 f.write_withheld.c_str());
    return 0;
  }
  if (f.reports.empty() || f.index.empty()) {
    std::fprintf(stderr, "novelta trust: give --reports and --index, or --write-withheld\n");
    return 2;
  }
  auto index = PaperIndex::Open(f.index);
  if (!index.ok()) return Fail(index.status());
  auto trust = TrustOfReports(f.dataset, **index, f.reports);
  if (!trust.ok()) return Fail(trust.status());
  std::printf("%s\n", trust->dump(1).c_str());
  return 0;
}

void AddTrustCommand(CLI::App& app) {
  auto f = std::make_shared<TrustFlags>();
  auto* cmd = app.add_subcommand(
      "trust",
      "The trust block of `novelta eval` for reports made elsewhere: --write-withheld writes the dataset's "
      "submissions as the evaluation gives them to the pipeline (references withheld); --reports scores "
      "reports assessed from them");
  cmd->add_option("--dataset", f->dataset, "Dataset, JSON Lines (shared eval format)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--index", f->index, "Index directory (resolves the references)");
  cmd->add_option("--reports", f->reports, "Reports, JSON Lines (`novelta assess --format json`)")
      ->check(CLI::ExistingFile);
  auto* w = cmd->add_option("--write-withheld", f->write_withheld,
                            "Write the withheld submissions here (JSON Lines) and stop");
  w->excludes(cmd->get_option("--reports"));
  cmd->callback([f] { ExitCode() = RunTrust(*f); });
}

NOVELTA_REGISTER_COMMAND("trust", AddTrustCommand);

}  // namespace
}  // namespace novelta::tools
