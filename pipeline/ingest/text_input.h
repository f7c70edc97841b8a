// Internal to ingest: the steps the public parsers share, split so that
// ReadSubmissions can tell a file it cannot use (empty, binary, not a PDF)
// from a usable file whose submission is bad (no abstract, over a limit).
//
// Thread-safety: reentrant; ExtractPdfText serialises calls into poppler.
#ifndef NOVELTA_PIPELINE_INGEST_TEXT_INPUT_H_
#define NOVELTA_PIPELINE_INGEST_TEXT_INPUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "novelta/status.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/ingest/paper_text.h"
#include "novelta/model.h"

namespace novelta {
namespace ingest_internal {

// Text whose sampled share of control bytes and invalid UTF-8 exceeds this is
// binary data. Text in a legacy 8-bit encoding stays well below it.
constexpr double kMaxGarbageRatio = 0.10;

// The format a file name implies, or kAuto when it implies none.
InputFormat FormatFromName(std::string_view path);

std::string NormalizeNewlines(std::string_view text);

// "64 MiB", "20 KiB", "100 bytes".
std::string FormatBytes(uint64_t n);
// "<what>: <thing> is N bytes, over the limit <limit_name> = <limit>".
Status OverLimit(std::string_view what, std::string_view thing, uint64_t size, const char* limit_name,
                 uint64_t limit);

// Rejects empty and binary input; converts CRLF to LF and replaces invalid
// UTF-8 (and NUL) with U+FFFD.
StatusOr<std::string> PrepareText(std::string_view bytes, std::string_view what);

// Analyses prepared text as a paper in `style` and validates the result;
// `format` names the input's format ("markdown", "text", "pdf"). A non-empty
// `title_override` replaces the title found.
StatusOr<Submission> SubmissionFromText(std::string text, std::string_view what, const char* format,
                                        const IngestLimits& limits, std::string_view title_override,
                                        TextStyle style);

// A PDF's text analysed as a paper (Markdown or plain, as the reader wrote it).
StatusOr<Submission> SubmissionFromPdfText(PdfText pdf, std::string_view what, const IngestLimits& limits);

// ReadPdfText in this process. Errors as ReadPdfText's; the time limit is
// checked between pages.
StatusOr<PdfText> ExtractPdfText(std::string_view bytes, std::string_view what, double max_seconds = 0);

}  // namespace ingest_internal
}  // namespace novelta

#endif  // NOVELTA_PIPELINE_INGEST_TEXT_INPUT_H_
