// PDF input through poppler-cpp: the text of every page in reading order,
// then the same analysis as plain text.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <memory>
#include <mutex>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <string>

#include "base/json.h"
#include "base/subprocess.h"
#include "base/text.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/ingest/pdf_layout.h"
#include "pipeline/ingest/text_input.h"

namespace novelta {
namespace {

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", s);
  return buf;
}

Status NotReadable(std::string_view what, std::string_view reason) {
  return Status::InvalidArgument(std::string(what) + ": not a readable PDF (" + std::string(reason) + ")");
}

// What is checked before any reader, in this process or a child, sees the bytes.
Status CheckPdfBytes(std::string_view bytes, std::string_view what) {
  if (bytes.empty()) return Status::InvalidArgument(std::string(what) + ": empty input");
  // The header may follow a little junk (some mailers prepend bytes); poppler accepts that.
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos)
    return NotReadable(what, "no %PDF- header; the file is not a PDF");
  return Status::OK();
}

}  // namespace

namespace ingest_internal {
namespace {

// Poppler reports damaged files on stderr by default; the caller gets a
// Status instead, so its chatter must not reach users.
void DiscardPopplerMessage(const std::string&, void*) {}

std::mutex& PopplerMutex() {
  static std::mutex mu;
  return mu;
}

std::string ToUtf8(const poppler::ustring& s) {
  poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// Metadata titles are often file names or tool defaults rather than the title.
bool LooksLikeTitle(std::string_view title) {
  std::string lower = ToLowerAscii(title);
  if (lower.size() < 8 || lower.size() > 300) return false;
  if (WordTokens(lower).size() < 2) return false;
  for (const char* ext : {".pdf", ".dvi", ".tex", ".doc", ".docx", ".ps"})
    if (EndsWith(lower, ext)) return false;
  for (const char* junk : {"untitled", "microsoft word", "title", "paper", "manuscript", "arxiv"})
    if (lower == junk || StartsWith(lower, std::string(junk) + " -")) return false;
  return true;
}

// Font names carry the weight: "ABCDEF+NimbusRomNo9L-Medi", "CMBX12", "Arial-BoldMT".
bool BoldFont(std::string_view name) {
  size_t plus = name.find('+');
  std::string lower = ToLowerAscii(plus == std::string_view::npos ? name : name.substr(plus + 1));
  for (const char* mark : {"bold", "medi", "demi", "semib", "black", "heavy", "-bd", "sfbx"})
    if (lower.find(mark) != std::string::npos) return true;
  return StartsWith(lower, "cmbx") || StartsWith(lower, "cmb1");
}

// Typographic ligatures some fonts map to one code point.
std::string ExpandLigatures(std::string text) {
  static const std::pair<const char*, const char*> kLigatures[] = {
      {"\xEF\xAC\x80", "ff"}, {"\xEF\xAC\x81", "fi"},  {"\xEF\xAC\x82", "fl"}, {"\xEF\xAC\x83", "ffi"},
      {"\xEF\xAC\x84", "ffl"}, {"\xEF\xAC\x85", "st"}, {"\xEF\xAC\x86", "st"}};
  if (text.find("\xEF\xAC") == std::string::npos) return text;
  for (const auto& [from, to] : kLigatures) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      text.replace(at, 3, to);
      at += std::string_view(to).size();
    }
  }
  return text;
}

PdfPageWords PageWords(const poppler::page& page) {
  PdfPageWords out;
  const poppler::rectf box = page.page_rect();
  out.width = box.width();
  out.height = box.height();
  for (const poppler::text_box& b : page.text_list(poppler::page::text_list_include_font)) {
    PdfWord w;
    w.text = ExpandLigatures(SanitizeUtf8(ToUtf8(b.text())));
    const poppler::rectf r = b.bbox();
    w.x0 = r.left(), w.y0 = r.top(), w.x1 = r.right(), w.y1 = r.bottom();
    w.rotation = b.rotation();
    if (b.has_font_info()) {
      w.size = b.get_font_size();
      w.bold = BoldFont(b.get_font_name());
    } else {
      w.size = r.height();
    }
    out.words.push_back(std::move(w));
  }
  return out;
}

}  // namespace

StatusOr<PdfText> ExtractPdfText(std::string_view bytes, std::string_view what, double max_seconds) {
  NOVELTA_RETURN_IF_ERROR(CheckPdfBytes(bytes, what));
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return NotReadable(what, "file too large for the PDF reader");

  std::lock_guard<std::mutex> lock(PopplerMutex());
  const auto start = std::chrono::steady_clock::now();
  static std::once_flag silenced;
  std::call_once(silenced, [] { poppler::set_debug_error_function(DiscardPopplerMessage, nullptr); });

  PdfText out;
  std::vector<PdfPageWords> page_words;
  try {
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (doc == nullptr) return NotReadable(what, "damaged or truncated file");
    if (doc->is_locked()) return NotReadable(what, "encrypted; it needs a password");
    int pages = doc->pages();
    if (pages <= 0) return NotReadable(what, "no pages; the file may be truncated");
    for (int i = 0; i < pages; ++i) {
      const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (max_seconds > 0 && spent > max_seconds)
        return NotReadable(what, "reading it took over " + FormatSeconds(max_seconds) + " s, at page " +
                                     std::to_string(i + 1) + " of " + std::to_string(pages));
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (page == nullptr) continue;
      page_words.push_back(PageWords(*page));
    }
    std::string title = CollapseWhitespace(SanitizeUtf8(ToUtf8(doc->get_title())));
    if (LooksLikeTitle(title)) out.title = std::move(title);
  } catch (const std::exception& e) {
    return NotReadable(what, e.what());
  }
  const std::vector<PdfLine> lines = OrderLines(page_words);
  out.markdown = HasTypography(lines);
  if (out.markdown) {
    std::string layout_title;
    out.text = LinesToMarkdown(lines, &layout_title);
    // The title set on page one wins over metadata, which is often a file name or stale.
    if (!layout_title.empty()) out.title = std::move(layout_title);
  } else {
    out.text = LinesToPlainText(lines);
  }
  out.text = SanitizeUtf8(NormalizeNewlines(out.text));
  if (Trim(out.text).empty())
    return Status::InvalidArgument(std::string(what) +
                                   ": the PDF has no extractable text (scanned pages need OCR first)");
  return out;
}

StatusOr<Submission> SubmissionFromPdfText(PdfText pdf, std::string_view what, const IngestLimits& limits) {
  const TextStyle style = pdf.markdown ? TextStyle::kMarkdown : TextStyle::kPlainText;
  return SubmissionFromText(std::move(pdf.text), what, "pdf", limits, pdf.title, style);
}

}  // namespace ingest_internal

namespace {

// The PDF read by limits.pdf_reader in a child process (see IngestLimits).
StatusOr<PdfText> ReadPdfInChild(std::string_view bytes, std::string_view what, const IngestLimits& limits) {
  std::vector<std::string> argv = limits.pdf_reader;
  argv.insert(argv.end(), {"--name", std::string(what), "--max-seconds", FormatSeconds(limits.max_pdf_seconds),
                           "--max-memory-bytes", std::to_string(limits.max_pdf_memory_bytes)});
  ProcessLimits process;
  // The child checks its own time between pages; the kill is for a page that never ends.
  process.max_seconds = limits.max_pdf_seconds > 0 ? limits.max_pdf_seconds + 1 : 24 * 3600;
  process.max_output_bytes = 4 * limits.max_text_bytes + (1u << 20);
  NOVELTA_ASSIGN_OR_RETURN(ProcessResult run, RunProcess(argv, bytes, process));
  if (run.timed_out || run.signal == SIGXCPU) {
    return NotReadable(what, "reading it took over " + FormatSeconds(limits.max_pdf_seconds) + " s");
  }
  if (run.output_cut) return NotReadable(what, "its text is larger than the limit");
  auto j = ParseJson(run.out, "the PDF reader's output");
  if (run.exit_code != 0 || !j.ok() || !j->is_object()) {
    if (j.ok() && j->is_object() && j->contains("error") && (*j)["error"].is_string()) {
      return Status::InvalidArgument((*j)["error"].get<std::string>());
    }
    spdlog::warn("PDF reader failed on {}: exit {}, signal {}: {}", LogSafe(what), run.exit_code, run.signal,
                 LogSafe(run.err.substr(0, 300)));
    return NotReadable(what, run.signal == SIGKILL || run.signal == 0
                                 ? "the reader stopped on it (over max_pdf_memory_bytes, or damaged)"
                                 : "the reader failed on it");
  }
  PdfText out;
  out.text = j->value("text", "");
  out.title = j->value("title", "");
  out.markdown = j->value("markdown", false);
  return out;
}

}  // namespace

StatusOr<PdfText> ReadPdfText(std::string_view bytes, std::string_view what, const IngestLimits& limits) {
  if (limits.pdf_reader.empty()) return ingest_internal::ExtractPdfText(bytes, what, limits.max_pdf_seconds);
  NOVELTA_RETURN_IF_ERROR(CheckPdfBytes(bytes, what));
  return ReadPdfInChild(bytes, what, limits);
}

StatusOr<Submission> ParsePdfSubmission(std::string_view bytes, std::string_view what,
                                        const IngestLimits& limits) {
  if (bytes.size() > limits.max_file_bytes)
    return ingest_internal::OverLimit(what, "file", bytes.size(), "max_file_bytes", limits.max_file_bytes);
  NOVELTA_ASSIGN_OR_RETURN(PdfText pdf, ReadPdfText(bytes, what, limits));
  return ingest_internal::SubmissionFromPdfText(std::move(pdf), what, limits);
}

}  // namespace novelta
