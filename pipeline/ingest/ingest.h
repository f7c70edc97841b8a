// Ingest: reads submissions from the formats users have — JSON (the shared eval
// format or {"title","abstract","fulltext"?,"submitted"?}), JSON Lines (.jsonl,
// .jsonl.gz; many submissions), Markdown full text, plain text and PDF — into
// Submission values, with clear errors that name the input and the problem.
//
// Text is normalised minimally (CRLF -> LF; invalid UTF-8 replaced by U+FFFD)
// and otherwise kept byte for byte, because later stages address claims by
// byte offsets into the title, abstract, introduction and full text. The
// abstract and introduction found in a full text are substrings of it.
//
// Thread-safety: all functions are reentrant and may be called concurrently
// (PDF parsing is serialised internally: poppler's global state is not).
#ifndef NOVELTA_PIPELINE_INGEST_INGEST_H_
#define NOVELTA_PIPELINE_INGEST_INGEST_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "novelta/status.h"
#include "base/json.h"
#include "novelta/model.h"
#include "novelta/options.h"

namespace novelta {

enum class InputFormat { kAuto, kJson, kJsonLines, kMarkdown, kText, kPdf };
// Picks the format from the file name (.json; .jsonl, .ndjson, optionally .gz;
// .md, .markdown; .txt; .pdf), then from `head` (the first bytes of the
// content) when the name says nothing: "%PDF-" is PDF, gzip is JSON Lines, a
// first line holding a whole object followed by another object is JSON Lines,
// '{' is JSON, a Markdown heading is Markdown, anything else is text.
// Never returns kAuto.
InputFormat DetectFormat(std::string_view path, std::string_view head);
// "json", "jsonl", "markdown", "text", "pdf" or "auto".
const char* InputFormatName(InputFormat format);

// Parsers for one submission held in memory. `what` names the input in errors
// and becomes the submission's `source`. Every parser fills title, abstract
// and (where the input has them) introduction, fulltext and references, and
// sets `format`. A submission with no abstract that cannot be recovered from
// the text is an error (InvalidArgument), as is text that is mostly binary.
//
// JSON: the eval format or {"title","abstract","fulltext"?,"submitted"?,"id"?};
// unknown fields are ignored. A Markdown `fulltext` supplies the introduction,
// the references and, when the JSON lacks them, the title and abstract.
// Plain text: the title is the first non-empty line; the abstract the
// paragraph after an "Abstract" line (or starting with "Abstract"), else the
// first paragraph of 40 words or more; `fulltext` is the whole text.
// PDF: the words of every page with their positions and fonts, read in
// reading order (columns, running headers, line numbers, small capitals,
// hyphens: see pipeline/ingest/pdf_layout.h) and analysed as Markdown when
// the layout marks headings by size or weight, else as plain text.
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

// The text of a PDF, before it is analysed as a paper.
struct PdfText {
  // Every page's text in reading order, without page furniture (running
  // headers, page and line numbers). Markdown when the PDF sets its title
  // and headings apart by size or weight (then headings, paragraphs and
  // references are marked up); plain lines otherwise.
  std::string text;
  bool markdown = false;
  // The largest text of page one when it is set apart, else the metadata
  // title when that looks like one, else empty.
  std::string title;
};
// Reads a PDF's text, in this process or in limits.pdf_reader's child.
// Errors (InvalidArgument): "<what>: not a readable PDF (<reason>)" (damaged,
// encrypted, over max_pdf_seconds or max_pdf_memory_bytes, or the reader
// failed on it), or no text to extract.
StatusOr<PdfText> ReadPdfText(std::string_view bytes, std::string_view what, const IngestLimits& limits);

// Checks a parsed submission against the limits and for the minimum content
// (a non-empty abstract). Parsers call it; so does the REST service for JSON bodies.
Status ValidateSubmission(const Submission& s, std::string_view what, const IngestLimits& limits);

// The sections of a Markdown paper (as in the eval set's `fulltext`). Headings
// are "#" lines or wholly bold lines, numbered or not ("## 1 Introduction",
// "## I. INTRODUCTION", "**Abstract**"). Parts that cannot be found are empty.
struct MarkdownPaper {
  std::string title;         // the first heading, else the first non-empty line
  std::string abstract;      // under an "Abstract" heading, else an "Abstract." paragraph
  // The section whose heading names the introduction, up to the next
  // top-level section (subsections stay in); when no heading names one, the
  // first top-level numbered section after the abstract.
  std::string introduction;
  // The main text: after the abstract, up to the references (or, without
  // references, the checklist or appendices).
  std::string body;
  // One entry per item under "References"/"Bibliography", with list markers
  // ("- ") removed, lines joined by a space.
  std::vector<std::string> references;
  // Every section of the text, in order (Submission::sections).
  std::vector<Section> sections;
};
MarkdownPaper ParseMarkdownPaper(std::string_view markdown);

// The sections of a full text (Submission::sections): headings as
// ParseMarkdownPaper finds them when `markdown`, else as in plain text and
// PDF (short numbered lines, known section names). Every heading but a
// figure's or table's caption opens a section; together they cover the text.
std::vector<Section> FindSections(std::string_view fulltext, bool markdown);

// One record read from a file: a submission, or the error that stopped it.
struct IngestRecord {
  std::string where;  // "paper.pdf", "batch.jsonl:12"
  Status status;      // OK when `submission` is valid
  Submission submission;
};

// Reads every submission in `path` (one for JSON/Markdown/text/PDF, many for
// JSON Lines) and hands each to `sink` in order. A record's `source` is
// `where`; a submission without an id gets one from the file name ("paper"
// for paper.pdf, "batch-12" for line 12 of batch.jsonl).
// A bad JSON Lines record (invalid JSON, not an object, no abstract, over a
// limit) is handed over with a non-OK status naming "path:LINE"; blank lines
// are skipped and reading continues. A single-submission file that parses
// but is not a usable submission is also handed over as a non-OK record.
// Returns non-OK only when the file itself cannot be used (missing, empty,
// unreadable, too large, binary garbage for a text format, a compressed
// stream that breaks off); the message names the file. Records already
// handed over before such an error stand.
// `format` kAuto detects it with DetectFormat.
Status ReadSubmissions(const std::string& path, InputFormat format, const IngestLimits& limits,
                       const std::function<void(IngestRecord&&)>& sink, Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_INGEST_INGEST_H_
