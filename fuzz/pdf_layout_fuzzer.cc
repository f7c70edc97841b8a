// Fuzzes the PDF layout reader (pipeline/ingest/pdf_layout.h) directly with
// words, positions and fonts of any shape — overlapping, out of the page,
// huge or tiny, rotated — which poppler would take far longer to produce
// from PDF bytes. Each word is 10 bytes (page, x, y, width, height, size,
// flags, text length) followed by its text.
// Invariants: the Markdown and plain text are bounded by the words' text,
// and the Markdown is then read by the Markdown parser without error beyond
// a missing abstract.
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/ingest/pdf_layout.h"

namespace {

uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  using namespace novelta::ingest_internal;
  std::vector<PdfPageWords> pages(4);
  for (auto& p : pages) p.width = 612, p.height = 792;
  size_t text_bytes = 0;
  size_t i = 0;
  while (i + 10 <= size) {
    const uint8_t* r = data + i;
    PdfWord w;
    const size_t page = r[0] % pages.size();
    w.x0 = U16(r + 1) / 64.0 - 100;
    w.y0 = U16(r + 3) / 64.0 - 100;
    w.x1 = w.x0 + r[5] / 2.0;
    w.y1 = w.y0 + r[6] / 8.0;
    w.size = r[7] / 4.0;
    w.bold = (r[8] & 1) != 0;
    w.rotation = (r[8] & 6) == 6 ? 90 : 0;
    const size_t len = r[9] % 24;
    i += 10;
    w.text.assign(reinterpret_cast<const char*>(data + i), std::min(len, size - i));
    i += w.text.size();
    text_bytes += w.text.size() + 1;
    pages[page].words.push_back(std::move(w));
  }
  const std::vector<PdfLine> lines = OrderLines(pages);
  std::string title;
  const std::string md = LinesToMarkdown(lines, &title);
  const std::string plain = LinesToPlainText(lines);
  (void)HasTypography(lines);
  // Markup adds a few bytes per line and per paragraph, never text of its own.
  fuzz::Check(md.size() <= 8 * text_bytes + 64, "Markdown out of proportion to the words");
  fuzz::Check(plain.size() <= 3 * text_bytes + 8, "plain text out of proportion to the words");
  fuzz::Check(title.size() <= text_bytes, "a title longer than all the words");
  auto s = ParseMarkdownSubmission(md, "fuzz.pdf");
  fuzz::CheckError(s.status());
  return 0;
}
