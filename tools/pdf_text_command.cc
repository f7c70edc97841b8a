// `novelta pdf-text`: reads one PDF on stdin and writes its text as JSON on
// stdout. It is the child process `novelta serve` reads PDF uploads in
// (IngestLimits::pdf_reader), so that a PDF made to loop, exhaust memory or
// crash the reader ends this process, not the server; it limits its own
// address space and CPU time before it reads a byte.
//
//   novelta pdf-text [--name paper.pdf] [--max-seconds 20] [--max-memory-bytes N] < paper.pdf
//
// Output: {"title": "...", "text": "...", "markdown": true|false} and exit 0, or {"error": "..."} and
// exit 2 for a PDF that cannot be read. The text is what ReadPdfText gives
// (pipeline/ingest/ingest.h): Markdown when the layout sets headings apart.
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "base/json.h"
#include "pipeline/ingest/ingest.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct PdfTextFlags {
  std::string name = "the PDF";
  double max_seconds = 0;
  uint64_t max_memory_bytes = 0;
};

// AddressSanitizer reserves terabytes of address space for its shadow memory,
// so a sanitizer build cannot run under an address-space limit.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSpaceLimitPossible = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSpaceLimitPossible = false;
#else
constexpr bool kAddressSpaceLimitPossible = true;
#endif
#else
constexpr bool kAddressSpaceLimitPossible = true;
#endif

void LimitSelf(const PdfTextFlags& f) {
  if (f.max_memory_bytes > 0 && kAddressSpaceLimitPossible) {
    rlimit as{f.max_memory_bytes, f.max_memory_bytes};
    ::setrlimit(RLIMIT_AS, &as);
  }
  if (f.max_seconds > 0) {
    // A backstop only: the parent kills it on wall-clock time well before.
    rlim_t cpu = static_cast<rlim_t>(std::ceil(2 * f.max_seconds)) + 5;
    rlimit limit{cpu, cpu + 1};
    ::setrlimit(RLIMIT_CPU, &limit);
  }
}

int RunPdfText(const PdfTextFlags& f) {
  LimitSelf(f);
  IngestLimits limits;
  limits.max_pdf_seconds = f.max_seconds;
  std::string bytes;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0) {
    bytes.append(buf, n);
    if (bytes.size() > limits.max_file_bytes) break;
  }
  Json out = Json::object();
  int code = 0;
  if (bytes.size() > limits.max_file_bytes) {
    out["error"] = f.name + ": the file is over max_file_bytes";
    code = 2;
  } else {
    auto pdf = ReadPdfText(bytes, f.name, limits);
    if (pdf.ok()) {
      out["title"] = pdf->title;
      out["markdown"] = pdf->markdown;
      out["text"] = pdf->text;
    } else {
      out["error"] = pdf.status().message();
      code = 2;
    }
  }
  std::string text = DumpJson(out);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return code;
}

void AddPdfTextCommand(CLI::App& app) {
  auto flags = std::make_shared<PdfTextFlags>();
  CLI::App* cmd = app.add_subcommand(
      "pdf-text",
      "Read one PDF on stdin; its text as JSON on stdout: {\"title\", \"text\", \"markdown\"}, the text "
      "written as Markdown (title, headings, paragraphs, references) when the layout sets headings apart");
  cmd->add_option("--name", flags->name, "Name of the input in errors");
  cmd->add_option("--max-seconds", flags->max_seconds, "Time limit, 0 for none")->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--max-memory-bytes", flags->max_memory_bytes, "Address-space limit, 0 for none");
  cmd->callback([flags] { ExitCode() = RunPdfText(*flags); });
}

}  // namespace

NOVELTA_REGISTER_COMMAND("pdf-text", AddPdfTextCommand);

}  // namespace novelta::tools
