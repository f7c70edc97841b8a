// `novelta assess FILE... --index DIR`: the three stages on each submission in
// the files given (JSON, JSON Lines, Markdown, text, PDF), one report each,
// as JSON, Markdown or the HTML page the service serves; on stdout, or one
// file per submission with --out-dir.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "base/env.h"
#include "base/progress.h"
#include "novelta/assessor.h"
#include "pipeline/ingest/ingest.h"
#include "services/report_pages.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct AssessFlags {
  std::vector<std::string> files;
  std::string index;
  std::string format = "json";
  std::string out_dir;
  std::string cutoff;
  int top_k = 20;
  double pdf_seconds = 60;
  EngineOptions engine = AssessorOptionsFromEnv().engine;
};

// PDFs are read by `novelta pdf-text` in a child process (this binary), so
// that a damaged or hostile PDF ends in an error within the time limit
// instead of hanging or crashing assess. Read here when the binary cannot
// be found.
IngestLimits AssessIngestLimits(const AssessFlags& f) {
  IngestLimits limits;
  limits.max_pdf_seconds = f.pdf_seconds;
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (!ec && !self.empty()) limits.pdf_reader = {self, "pdf-text"};
  return limits;
}

// A file name for the n-th report: "0003-<id>.<ext>", the id reduced to
// letters, digits, '-', '_' and '.'.
std::string ReportFileName(size_t n, const std::string& id, const std::string& format) {
  char prefix[16];
  std::snprintf(prefix, sizeof(prefix), "%04zu", n);
  std::string safe;
  for (char c : id) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (safe.size() < 80) safe += keep ? c : '_';
  }
  const char* ext = format == "html" ? "html" : format == "markdown" ? "md" : "json";
  return std::string(prefix) + (safe.empty() ? "" : "-" + safe) + "." + ext;
}

std::string RenderReport(const NoveltyReport& report, const std::string& format, bool one_line) {
  if (format == "html") return RenderReportHtml(report);
  if (format == "markdown") return RenderReportMarkdown(report);
  return DumpJson(ToJson(report), one_line ? -1 : 2) + "\n";
}

void RunAssess(const AssessFlags& f) {
  AssessParams params;
  params.top_k = f.top_k;
  if (!f.cutoff.empty()) {
    auto d = Date::Parse(f.cutoff);
    if (!d.ok()) {
      std::fprintf(stderr, "novelta assess: --cutoff: %s\n", d.status().message().c_str());
      ExitCode() = 2;
      return;
    }
    params.cutoff = *d;
  }
  AssessorOptions options = AssessorOptionsFromEnv();
  options.engine = f.engine;
  auto assessor = OpenAssessor(f.index, options);
  if (!assessor.ok()) {
    std::fprintf(stderr, "novelta assess: %s\n", assessor.status().message().c_str());
    ExitCode() = 1;
    return;
  }

  // Read everything first, so the output mode (one report or JSON Lines) is known.
  std::vector<IngestRecord> records;
  size_t failed = 0;
  const IngestLimits limits = AssessIngestLimits(f);
  for (const auto& file : f.files) {
    Status s = ReadSubmissions(file, InputFormat::kAuto, limits,
                               [&](IngestRecord&& r) { records.push_back(std::move(r)); });
    if (!s.ok()) {
      std::fprintf(stderr, "novelta assess: %s\n", s.message().c_str());
      ++failed;
    }
  }
  const bool several = records.size() > 1;
  if (several && f.format == "html" && f.out_dir.empty()) {
    std::fprintf(stderr, "novelta assess: --format html writes one page per submission; %zu submissions need "
                         "--out-dir DIR\n", records.size());
    ExitCode() = 2;
    return;
  }
  if (!f.out_dir.empty()) {
    Status made = Env::Default()->CreateDirs(f.out_dir);
    if (!made.ok()) {
      std::fprintf(stderr, "novelta assess: --out-dir: %s\n", made.message().c_str());
      ExitCode() = 1;
      return;
    }
  }
  size_t done = 0;
  Progress bar("assessing", records.size(), "papers",
               several && Progress::StderrIsTerminal());
  for (auto& rec : records) {
    bar.Add();
    if (!rec.status.ok()) {
      std::fprintf(stderr, "novelta assess: %s\n", rec.status.message().c_str());
      ++failed;
      continue;
    }
    auto report = (*assessor)->Assess(rec.submission, params);
    if (!report.ok()) {
      std::fprintf(stderr, "novelta assess: %s: %s\n", rec.where.c_str(),
                   report.status().message().c_str());
      ++failed;
      continue;
    }
    ++done;
    if (!f.out_dir.empty()) {
      std::string path = f.out_dir + "/" + ReportFileName(done, rec.submission.id, f.format);
      Status written = Env::Default()->WriteFileAtomic(path, RenderReport(*report, f.format, false));
      if (!written.ok()) {
        std::fprintf(stderr, "novelta assess: %s\n", written.message().c_str());
        ++failed;
        --done;
      }
      continue;
    }
    if (f.format == "markdown" && several && done > 1) std::cout << "\n---\n\n";
    std::cout << RenderReport(*report, f.format, several);
  }
  bar.Finish();
  std::cout.flush();
  if (failed > 0) {
    std::fprintf(stderr, "novelta assess: %zu of %zu submissions failed\n", failed,
                 failed + done);
    ExitCode() = done > 0 ? 3 : 1;
  }
}

void AddAssessCommand(CLI::App& app) {
  auto flags = std::make_shared<AssessFlags>();
  auto* cmd = app.add_subcommand(
      "assess",
      "Assess the novelty of submissions: one JSON report per submission (JSON Lines when there "
      "are several), Markdown, or the HTML page the service serves.\nExit status: 0 all assessed, 1 none (or a fatal error), 2 bad "
      "usage, 3 some submissions failed (each reported on stderr).");
  cmd->add_option("FILE", flags->files,
                  "Submissions: .json, .jsonl, .jsonl.gz, .md, .txt or .pdf")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--index", flags->index, "Index directory built by 'novelta index build'")
      ->required();
  cmd->add_option("--format", flags->format,
                  "Output format: json, markdown, or html (the self-contained page the service serves)")
      ->check(CLI::IsMember({"json", "markdown", "html"}))
      ->capture_default_str();
  cmd->add_option("--out-dir", flags->out_dir,
                  "Write one file per submission here (NNNN-<id>.json|md|html) instead of to stdout");
  cmd->add_option("--cutoff", flags->cutoff,
                  "Only prior work before this date (YYYY-MM-DD); default: each submission's own "
                  "'submitted' date");
  cmd->add_option("--top-k", flags->top_k, "Prior works retrieved per query (paper and each claim)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--pdf-seconds", flags->pdf_seconds,
                  "Time limit for reading one PDF (read in a child process, so a damaged or hostile PDF "
                  "gives an error rather than a hang or a crash); 0: no limit")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  AddEngineOptions(cmd, &flags->engine);
  cmd->callback([flags] { RunAssess(*flags); });
}

}  // namespace
NOVELTA_REGISTER_COMMAND("assess", AddAssessCommand);
}  // namespace novelta::tools
