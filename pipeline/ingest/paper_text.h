// Internal to ingest: finds the parts of a paper (title, abstract,
// introduction, main text, references) in Markdown or plain text. Markdown
// and plain text differ only in how a heading is recognised; the section logic
// is shared so that Markdown, plain-text and PDF inputs behave alike.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_INGEST_PAPER_TEXT_H_
#define NOVELTA_PIPELINE_INGEST_PAPER_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/model.h"

namespace novelta {
namespace ingest_internal {

enum class TextStyle {
  kMarkdown,   // headings are "#..." lines or lines that are wholly bold
  kPlainText,  // headings are short numbered lines ("2 Related Work", "II. METHOD") or known names
};

// A byte range [begin, end) of the analysed text.
struct TextRange {
  size_t begin = 0;
  size_t end = 0;
  bool empty() const { return end <= begin; }
  std::string_view Of(std::string_view text) const { return text.substr(begin, end - begin); }
};

// Where each part of a paper sits in its text. Every range is a
// whitespace-trimmed substring of the text, so offsets into an extracted part
// map back to the original by adding `begin`.
struct PaperLayout {
  std::string title;  // may join two lines, so it is a copy rather than a range
  TextRange abstract;
  TextRange introduction;
  // True when `introduction` came from a heading naming it; false when it is
  // the first numbered section standing in for a missing one (or empty).
  bool introduction_named = false;
  TextRange body;                         // from after the abstract to the references/appendix
  std::vector<std::string> references;    // one entry per reference, list markers removed
  std::vector<Section> sections;          // every section, in order, covering the whole text
};

PaperLayout AnalyzePaper(std::string_view text, TextStyle style);

}  // namespace ingest_internal
}  // namespace novelta

#endif  // NOVELTA_PIPELINE_INGEST_PAPER_TEXT_H_
