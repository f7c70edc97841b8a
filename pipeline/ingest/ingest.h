// Ingest: reads submissions from the formats users have — JSON (the shared eval
// format or {"title","abstract","fulltext"?,"submitted"?}), JSON Lines (.jsonl,
// .jsonl.gz; many submissions), Markdown full text, plain text and PDF — into
// Submission values, with clear errors that name the input and the problem.
//
// Thread-safety: all functions are reentrant.
#ifndef NOVELTA_PIPELINE_INGEST_INGEST_H_
#define NOVELTA_PIPELINE_INGEST_INGEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/status.h"
#include "pipeline/model.h"

namespace novelta {

// Bounds on what one submission may cost. Inputs past a bound are rejected
// with InvalidArgument naming the bound.
struct IngestLimits {
  // Largest single input file read (JSON, Markdown, text, PDF). Default: 64 MiB.
  uint64_t max_file_bytes = 64ull << 20;
  // Largest text of one submission (title + abstract + full text), in bytes. Default: 2 MiB.
  size_t max_text_bytes = 2u << 20;
  // Largest abstract, in bytes. Default: 20 KiB.
  size_t max_abstract_bytes = 20u << 10;
  // Deepest JSON nesting accepted. Default: 64.
  int max_json_depth = 64;
};

enum class InputFormat { kAuto, kJson, kJsonLines, kMarkdown, kText, kPdf };
// Picks the format from the file name, then from the content when the name says nothing.
InputFormat DetectFormat(std::string_view path, std::string_view head);

// Parsers for one submission held in memory. `what` names the input in errors.
// Every parser fills title, abstract and (where the input has them)
// introduction, fulltext and references; `format` and `source` are set.
// A submission with no abstract that cannot be recovered from the text is an error.
StatusOr<Submission> ParseSubmissionJson(std::string_view text, std::string_view what,
                                         const IngestLimits& limits = {});
StatusOr<Submission> ParseSubmissionJsonValue(const Json& j, std::string_view what,
                                              const IngestLimits& limits = {});
StatusOr<Submission> ParseMarkdownSubmission(std::string_view text, std::string_view what,
                                             const IngestLimits& limits = {});
StatusOr<Submission> ParsePlainTextSubmission(std::string_view text, std::string_view what,
                                              const IngestLimits& limits = {});
StatusOr<Submission> ParsePdfSubmission(std::string_view bytes, std::string_view what,
                                        const IngestLimits& limits = {});

// Checks a parsed submission against the limits and for the minimum content
// (a non-empty abstract). Parsers call it; so does the REST service for JSON bodies.
Status ValidateSubmission(const Submission& s, std::string_view what, const IngestLimits& limits);

// The sections of a Markdown paper (as in the eval set's `fulltext`).
struct MarkdownPaper {
  std::string title;
  std::string abstract;
  std::string introduction;
  std::string body;                     // everything but the references and checklist
  std::vector<std::string> references;  // one entry per reference
};
MarkdownPaper ParseMarkdownPaper(std::string_view markdown);

// One record read from a file: a submission, or the error that stopped it.
struct IngestRecord {
  std::string where;  // "paper.pdf", "batch.jsonl:12"
  Status status;      // OK when `submission` is valid
  Submission submission;
};

// Reads every submission in `path` (one for JSON/Markdown/text/PDF, many for
// JSON Lines) and hands each to `sink` in order. A bad JSON Lines record is
// handed over with its line number and a non-OK status; reading continues.
// Returns non-OK only when the file itself cannot be read (missing, empty,
// unreadable, binary garbage for a text format); the message names the file.
Status ReadSubmissions(const std::string& path, InputFormat format, const IngestLimits& limits,
                       const std::function<void(IngestRecord&&)>& sink, Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_INGEST_INGEST_H_
