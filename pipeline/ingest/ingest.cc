#include "pipeline/ingest/ingest.h"

#include <string>
#include <utility>

#include "base/json.h"
#include "base/line_reader.h"
#include "base/text.h"
#include "pipeline/ingest/paper_text.h"
#include "pipeline/ingest/text_input.h"

namespace novelta {

using ingest_internal::AnalyzePaper;
using ingest_internal::PaperLayout;
using ingest_internal::TextStyle;

namespace ingest_internal {

std::string NormalizeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

StatusOr<std::string> PrepareText(std::string_view bytes, std::string_view what) {
  if (Trim(bytes).empty()) return Status::InvalidArgument(std::string(what) + ": empty input");
  // Sampling the start is enough to tell text from binary and keeps this cheap on large inputs.
  std::string_view sample = bytes.substr(0, 1 << 16);
  double garbage = BinaryGarbageRatio(sample);
  if (garbage > kMaxGarbageRatio) {
    return Status::InvalidArgument(std::string(what) + ": binary data, not text (" +
                                   std::to_string(static_cast<int>(garbage * 100 + 0.5)) +
                                   "% of the first bytes are control characters or invalid UTF-8)");
  }
  if (StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);  // a UTF-8 byte order mark is not text
  std::string text = NormalizeNewlines(bytes);
  if (!IsValidUtf8(text) || text.find('\0') != std::string::npos) text = SanitizeUtf8(text);
  return text;
}

StatusOr<Submission> SubmissionFromText(std::string text, std::string_view what, const char* format,
                                        const IngestLimits& limits, std::string_view title_override,
                                        TextStyle style) {
  PaperLayout layout = AnalyzePaper(text, style);
  Submission s;
  s.title = std::move(layout.title);
  if (!title_override.empty()) s.title = std::string(title_override);
  s.abstract = std::string(layout.abstract.Of(text));
  s.introduction = std::string(layout.introduction.Of(text));
  s.references = std::move(layout.references);
  s.sections = std::move(layout.sections);
  s.fulltext = std::move(text);
  s.source = std::string(what);
  s.format = format;
  NOVELTA_RETURN_IF_ERROR(ValidateSubmission(s, what, limits));
  return s;
}

std::string FormatBytes(uint64_t n) {
  if (n >= (1ull << 20) && n % (1ull << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= (1ull << 10) && n % (1ull << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

Status OverLimit(std::string_view what, std::string_view thing, uint64_t size, const char* limit_name,
                 uint64_t limit) {
  return Status::InvalidArgument(std::string(what) + ": " + std::string(thing) + " is " +
                                 std::to_string(size) + " bytes, over the limit " + limit_name + " = " +
                                 FormatBytes(limit));
}

}  // namespace ingest_internal

using ingest_internal::FormatBytes;
using ingest_internal::OverLimit;
using ingest_internal::PrepareText;
using ingest_internal::SubmissionFromText;

namespace {

// "dir/batch.jsonl.gz" -> "batch".
std::string FileStem(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view ext : {".gz", ".jsonl", ".ndjson", ".json", ".markdown", ".md", ".txt", ".pdf"}) {
    if (base.size() > ext.size() && EndsWith(ToLowerAscii(base), ext)) base.remove_suffix(ext.size());
  }
  return std::string(base);
}

// ParseJson checks the depth too; checking first lets the error name the
// limit users can change.
StatusOr<Json> ParseJsonWithinLimits(std::string_view text, std::string_view what, const IngestLimits& limits) {
  if (JsonDeeperThan(text, limits.max_json_depth))
    return Status::InvalidArgument(std::string(what) + ": JSON nested deeper than the limit max_json_depth = " +
                                   std::to_string(limits.max_json_depth) + " levels");
  return ParseJson(text, what, limits.max_json_depth);
}

bool IsGzip(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
         static_cast<unsigned char>(head[1]) == 0x8b;
}

}  // namespace

const char* InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kAuto: return "auto";
    case InputFormat::kJson: return "json";
    case InputFormat::kJsonLines: return "jsonl";
    case InputFormat::kMarkdown: return "markdown";
    case InputFormat::kText: return "text";
    case InputFormat::kPdf: return "pdf";
  }
  return "auto";
}

namespace ingest_internal {

InputFormat FormatFromName(std::string_view path) {
  std::string name = ToLowerAscii(path);
  size_t slash = name.find_last_of('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  for (const char* ext : {".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"})
    if (EndsWith(name, ext)) return InputFormat::kJsonLines;
  if (EndsWith(name, ".json")) return InputFormat::kJson;
  if (EndsWith(name, ".md") || EndsWith(name, ".markdown")) return InputFormat::kMarkdown;
  if (EndsWith(name, ".txt")) return InputFormat::kText;
  if (EndsWith(name, ".pdf")) return InputFormat::kPdf;
  return InputFormat::kAuto;
}

}  // namespace ingest_internal

InputFormat DetectFormat(std::string_view path, std::string_view head) {
  InputFormat by_name = ingest_internal::FormatFromName(path);
  if (by_name != InputFormat::kAuto) return by_name;

  if (StartsWith(head, "%PDF-")) return InputFormat::kPdf;
  if (IsGzip(head)) return InputFormat::kJsonLines;
  std::string_view body = head;
  if (StartsWith(body, "\xEF\xBB\xBF")) body.remove_prefix(3);  // UTF-8 byte order mark
  std::string_view trimmed = Trim(body);
  if (StartsWith(trimmed, "{")) {
    size_t nl = trimmed.find('\n');
    if (nl != std::string_view::npos) {
      std::string_view first = Trim(trimmed.substr(0, nl));
      std::string_view rest = Trim(trimmed.substr(nl));
      if (EndsWith(first, "}") && StartsWith(rest, "{")) return InputFormat::kJsonLines;
    }
    return InputFormat::kJson;
  }
  // A Markdown heading at the start of a line ("# Title", "## 1 Introduction").
  size_t pos = 0;
  while (pos < trimmed.size()) {
    size_t nl = trimmed.find('\n', pos);
    std::string_view line = trimmed.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    size_t hashes = 0;
    while (hashes < line.size() && hashes < 7 && line[hashes] == '#') ++hashes;
    if (hashes >= 1 && hashes <= 6 && hashes < line.size() && line[hashes] == ' ') return InputFormat::kMarkdown;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return InputFormat::kText;
}

Status ValidateSubmission(const Submission& s, std::string_view what, const IngestLimits& limits) {
  if (Trim(s.abstract).empty()) {
    return Status::InvalidArgument(
        std::string(what) +
        ": no abstract (give an \"abstract\" field, or a text with an \"Abstract\" heading or paragraph)");
  }
  if (s.abstract.size() > limits.max_abstract_bytes)
    return OverLimit(what, "abstract", s.abstract.size(), "max_abstract_bytes", limits.max_abstract_bytes);
  size_t total = s.title.size() + s.abstract.size() +
                 (s.fulltext.empty() ? s.introduction.size() : s.fulltext.size());
  if (total > limits.max_text_bytes)
    return OverLimit(what, "submission text", total, "max_text_bytes", limits.max_text_bytes);
  return Status::OK();
}

StatusOr<Submission> ParseSubmissionJsonValue(const Json& j, std::string_view what,
                                              const IngestLimits& limits) {
  if (!j.is_object())
    return Status::InvalidArgument(std::string(what) + ": expected a JSON object, got " + j.type_name());
  NOVELTA_ASSIGN_OR_RETURN(Submission s, SubmissionFromJson(j, what));
  for (std::string* field : {&s.title, &s.abstract, &s.introduction, &s.fulltext}) {
    if (field->find('\r') != std::string::npos) *field = ingest_internal::NormalizeNewlines(*field);
  }
  // Check the size before analysing the full text, so an oversized record costs little.
  size_t total = s.title.size() + s.abstract.size() + s.fulltext.size();
  if (total > limits.max_text_bytes)
    return OverLimit(what, "submission text", total, "max_text_bytes", limits.max_text_bytes);
  if (!s.fulltext.empty()) {
    MarkdownPaper paper = ParseMarkdownPaper(s.fulltext);
    if (Trim(s.title).empty()) s.title = paper.title;
    if (Trim(s.abstract).empty()) s.abstract = paper.abstract;
    if (s.introduction.empty()) s.introduction = paper.introduction;
    if (s.references.empty()) s.references = std::move(paper.references);
    s.sections = std::move(paper.sections);
  }
  s.source = std::string(what);
  s.format = "json";
  NOVELTA_RETURN_IF_ERROR(ValidateSubmission(s, what, limits));
  return s;
}

StatusOr<Submission> ParseSubmissionJson(std::string_view text, std::string_view what,
                                         const IngestLimits& limits) {
  NOVELTA_ASSIGN_OR_RETURN(std::string clean, PrepareText(text, what));
  NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJsonWithinLimits(clean, what, limits));
  return ParseSubmissionJsonValue(j, what, limits);
}

StatusOr<Submission> ParseMarkdownSubmission(std::string_view text, std::string_view what,
                                             const IngestLimits& limits) {
  NOVELTA_ASSIGN_OR_RETURN(std::string clean, PrepareText(text, what));
  return SubmissionFromText(std::move(clean), what, "markdown", limits, {}, TextStyle::kMarkdown);
}

StatusOr<Submission> ParsePlainTextSubmission(std::string_view text, std::string_view what,
                                              const IngestLimits& limits) {
  NOVELTA_ASSIGN_OR_RETURN(std::string clean, PrepareText(text, what));
  return SubmissionFromText(std::move(clean), what, "text", limits, {}, TextStyle::kPlainText);
}

namespace {

Status ReadJsonLines(const std::string& path, const IngestLimits& limits,
                     const std::function<void(IngestRecord&&)>& sink) {
  // A line may carry much more than the submission's text (reviews, metadata):
  // bound it by the file limit; the text limit is checked per record.
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, limits.max_file_bytes));
  std::string stem = FileStem(path);
  std::string line;
  bool too_long = false;
  bool seen_record = false;
  while (reader->Next(&line, &too_long)) {
    std::string where = path + ":" + std::to_string(reader->line_number());
    IngestRecord record;
    record.where = where;
    if (too_long) {
      record.status = Status::InvalidArgument(where + ": line is over the limit max_file_bytes = " +
                                              FormatBytes(limits.max_file_bytes));
      sink(std::move(record));
      seen_record = true;
      continue;
    }
    if (Trim(line).empty()) continue;
    // Binary garbage on the first record means this is no JSON Lines file at all.
    if (!seen_record && BinaryGarbageRatio(line.substr(0, 1 << 16)) > ingest_internal::kMaxGarbageRatio)
      return Status::InvalidArgument(path + ": binary data, not JSON Lines text");
    if (!seen_record && StartsWith(line, "%PDF-"))
      return Status::InvalidArgument(path + ": a PDF file, not JSON Lines (read it as PDF)");
    seen_record = true;
    auto parsed = ParseSubmissionJson(line, where, limits);
    if (parsed.ok()) {
      record.submission = std::move(parsed).value();
      if (record.submission.id.empty()) record.submission.id = stem + "-" + std::to_string(reader->line_number());
    } else {
      record.status = parsed.status();
    }
    sink(std::move(record));
  }
  if (!reader->status().ok()) return reader->status();
  if (!seen_record) return Status::InvalidArgument(path + ": empty file (no JSON Lines records)");
  return Status::OK();
}

}  // namespace

Status ReadSubmissions(const std::string& path, InputFormat format, const IngestLimits& limits,
                       const std::function<void(IngestRecord&&)>& sink, Env* env) {
  if (!env->FileExists(path)) return Status::NotFound(path + ": no such file");
  if (env->IsDirectory(path)) return Status::InvalidArgument(path + ": is a directory, not a file");
  uint64_t size = 0;
  NOVELTA_RETURN_IF_ERROR(env->FileSize(path, &size));
  if (size == 0) return Status::InvalidArgument(path + ": empty file");

  if (format == InputFormat::kAuto) format = ingest_internal::FormatFromName(path);
  if (format == InputFormat::kJsonLines) return ReadJsonLines(path, limits, sink);
  if (size > limits.max_file_bytes)
    return OverLimit(path, "file", size, "max_file_bytes", limits.max_file_bytes);
  std::string contents;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(path, &contents, limits.max_file_bytes));
  if (format == InputFormat::kAuto) {
    format = DetectFormat(path, std::string_view(contents).substr(0, 1 << 16));
    if (format == InputFormat::kJsonLines) {
      contents.clear();
      return ReadJsonLines(path, limits, sink);
    }
  }

  // Problems with the file as a whole are returned; problems with the
  // submission in it travel as a record, like a bad JSON Lines line.
  StatusOr<Submission> parsed = Status::Internal(path + ": no parser for this format");
  if (format == InputFormat::kPdf) {
    NOVELTA_ASSIGN_OR_RETURN(PdfText pdf, ReadPdfText(contents, path, limits));
    parsed = ingest_internal::SubmissionFromPdfText(std::move(pdf), path, limits);
  } else {
    NOVELTA_ASSIGN_OR_RETURN(std::string text, PrepareText(contents, path));
    contents.clear();
    if (format == InputFormat::kJson) {
      auto j = ParseJsonWithinLimits(text, path, limits);
      parsed = j.ok() ? ParseSubmissionJsonValue(*j, path, limits) : StatusOr<Submission>(j.status());
    } else {
      const bool markdown = format == InputFormat::kMarkdown;
      parsed = SubmissionFromText(std::move(text), path, markdown ? "markdown" : "text", limits, {},
                                  markdown ? TextStyle::kMarkdown : TextStyle::kPlainText);
    }
  }
  IngestRecord record;
  record.where = path;
  if (parsed.ok()) {
    record.submission = std::move(parsed).value();
    if (record.submission.id.empty()) record.submission.id = FileStem(path);
  } else {
    record.status = parsed.status();
  }
  sink(std::move(record));
  return Status::OK();
}

}  // namespace novelta
