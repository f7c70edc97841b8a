// Internal to ingest: turns the words of a PDF, with their positions and
// fonts, into the paper's text in reading order, written as Markdown so that
// a PDF gives the same Submission as the paper's Markdown would.
//
// Two steps, each a pure function so that they can be tested and fuzzed
// without a PDF:
//   1. OrderLines: words -> lines in reading order. Glyph runs with no gap
//      between them are one word again (small capitals, "R EFERENCES"; a
//      font change inside a word); margin line numbers, running headers and
//      footers and page numbers are dropped; one- and two-column pages are
//      read column by column; rotated text (arXiv stamps) is dropped.
//   2. LinesToMarkdown: lines -> blocks -> Markdown. The title is the
//      largest text in the upper part of page one that is not a date, a
//      venue line or a running header; the lines between it and the
//      abstract are the authors, set aside; headings are short lines set
//      larger or bold, numbered or with a section's usual name, written as
//      "##" (sections) or "###" (subsections); paragraphs are joined across
//      lines, columns and pages, end-of-line hyphens removed; footnotes,
//      figure and table text are kept out of the paragraphs; the
//      references are split into one "- " item per entry.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_INGEST_PDF_LAYOUT_H_
#define NOVELTA_PIPELINE_INGEST_PDF_LAYOUT_H_

#include <string>
#include <vector>

namespace novelta {
namespace ingest_internal {

// One word as the PDF library reports it. Coordinates in points, origin at
// the page's top left, y growing downwards.
struct PdfWord {
  std::string text;  // UTF-8
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double size = 0;   // font size in points
  bool bold = false;
  int rotation = 0;  // 0, 90, 180 or 270 degrees
};

struct PdfPageWords {
  double width = 0, height = 0;
  std::vector<PdfWord> words;  // in the library's order
};

// A line of text in reading order.
struct PdfLine {
  std::string text;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double size = 0;      // the size most of its characters have
  double max_size = 0;  // the largest size in it (a small-caps heading's capitals)
  bool bold = false;    // every word bold
  int page = 0;         // 0-based
  int column = 0;       // 0: the page's only or left column (or spanning both); 1: the right column
  double column_left = 0, column_right = 0;  // the extent of the column's text
};

// Step 1. Lines of every page, pages in order.
std::vector<PdfLine> OrderLines(const std::vector<PdfPageWords>& pages);

// Whether the lines set some text apart by size or weight: then
// LinesToMarkdown can find the title and headings; else LinesToPlainText.
bool HasTypography(const std::vector<PdfLine>& lines);

// The lines as plain text: one line each, a blank line between paragraphs
// (a vertical gap, a new column or page), for the plain-text analysis.
std::string LinesToPlainText(const std::vector<PdfLine>& lines);

// Step 2. The paper as Markdown: "# Title", the abstract under "## Abstract",
// headings, paragraphs, references as "- " items. `title` gets the title
// found ("" when none).
std::string LinesToMarkdown(const std::vector<PdfLine>& lines, std::string* title);

}  // namespace ingest_internal
}  // namespace novelta

#endif  // NOVELTA_PIPELINE_INGEST_PDF_LAYOUT_H_
