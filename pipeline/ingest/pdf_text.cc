// PDF input through poppler: the words of every page with their positions
// and fonts (poppler's TextOutputDev, the layout analysis pdftotext uses),
// then the layout reader (pdf_layout.h) and the paper analysis.
//
// Why poppler's own API (libpoppler-private-dev) rather than poppler-cpp:
// poppler-cpp's text boxes carry the same words, but with fonts it looks
// each glyph's font up in a per-page font scan, which doubled the time of a
// 29-page paper (bench/README.md). The API is poppler's internal one and
// changes between poppler versions; CMakeLists.txt pins the version the
// code is built against.
#include <ErrorCodes.h>
#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <TextOutputDev.h>
#include <UTF.h>
#include <goo/GooString.h>

#include <chrono>
#include <cstdlib>
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
void DiscardPopplerMessage(ErrorCategory, Goffset, const char*) {}

std::mutex& PopplerMutex() {
  static std::mutex mu;
  return mu;
}

// A PDF text string (metadata): UTF-16BE after a byte-order mark, else
// PDFDocEncoding, read as Latin-1 (they differ in a few punctuation marks).
std::string TextStringToUtf8(const GooString* s) {
  if (s == nullptr) return "";
  const std::string& bytes = s->toStr();
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
      static_cast<unsigned char>(bytes[1]) == 0xFF) {
    std::vector<uint16_t> utf16;
    for (size_t i = 2; i + 1 < bytes.size(); i += 2)
      utf16.push_back(static_cast<uint16_t>((static_cast<unsigned char>(bytes[i]) << 8) |
                                            static_cast<unsigned char>(bytes[i + 1])));
    utf16.push_back(0);
    char* utf8 = utf16ToUtf8(utf16.data());  // allocated by poppler with malloc
    std::string out = utf8 != nullptr ? std::string(utf8) : std::string();
    std::free(utf8);
    return out;
  }
  std::string out;
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
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

// The words of page `number` (1-based) as poppler's text layout reads them.
PdfPageWords PageWords(PDFDoc* doc, int number) {
  PdfPageWords out;
  out.width = doc->getPageCropWidth(number);
  out.height = doc->getPageCropHeight(number);
  TextOutputDev dev(nullptr, /*physLayoutA=*/false, /*fixedPitchA=*/0, /*rawOrderA=*/false, /*append=*/false);
  if (!dev.isOk()) return out;
  doc->displayPage(&dev, number, 72, 72, 0, /*useMediaBox=*/false, /*crop=*/false, /*printing=*/false);
  std::unique_ptr<TextWordList> words(dev.makeWordList());
  if (words == nullptr) return out;
  out.words.reserve(static_cast<size_t>(words->getLength()));
  for (int i = 0; i < words->getLength(); ++i) {
    const TextWord* t = words->get(i);
    std::unique_ptr<GooString> text(t->getText());
    PdfWord w;
    w.text = ExpandLigatures(SanitizeUtf8(text ? text->toStr() : std::string()));
    t->getBBox(&w.x0, &w.y0, &w.x1, &w.y1);
    w.rotation = 90 * t->getRotation();
    w.size = t->getFontSize();
    const GooString* font = t->getLength() > 0 ? t->getFontName(0) : nullptr;
    w.bold = font != nullptr && BoldFont(font->toStr());
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
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    if (globalParams == nullptr) globalParams = std::make_unique<GlobalParams>();
    setErrorCallback(DiscardPopplerMessage);
  });

  PdfText out;
  std::vector<PdfPageWords> page_words;
  try {
    // The stream reads `bytes` in place; the document owns the stream.
    auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
    PDFDoc doc(stream);
    if (!doc.isOk()) {
      return NotReadable(what, doc.getErrorCode() == errEncrypted ? "encrypted; it needs a password"
                                                                   : "damaged or truncated file");
    }
    const int pages = doc.getNumPages();
    if (pages <= 0) return NotReadable(what, "no pages; the file may be truncated");
    for (int i = 0; i < pages; ++i) {
      const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (max_seconds > 0 && spent > max_seconds)
        return NotReadable(what, "reading it took over " + FormatSeconds(max_seconds) + " s, at page " +
                                     std::to_string(i + 1) + " of " + std::to_string(pages));
      page_words.push_back(PageWords(&doc, i + 1));
    }
    std::unique_ptr<GooString> info_title = doc.getDocInfoTitle();
    std::string title = CollapseWhitespace(SanitizeUtf8(TextStringToUtf8(info_title.get())));
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
