// Fuzzes the Markdown paper reader: ParseMarkdownPaper (sections of a full
// text) and ParseMarkdownSubmission (the same, validated as a submission).
#include "fuzz/fuzz_util.h"
#include "pipeline/ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  std::string_view text = fuzz::AsText(data, size);
  MarkdownPaper paper = ParseMarkdownPaper(text);
  // Every part is taken from the text, so none can be longer than it.
  fuzz::Check(paper.abstract.size() <= size && paper.introduction.size() <= size && paper.body.size() <= size,
              "a Markdown section longer than the whole text");
  IngestLimits limits;
  limits.max_text_bytes = 64 << 10;
  auto s = ParseMarkdownSubmission(text, "fuzz.md", limits);
  fuzz::CheckError(s.status());
  if (s.ok()) {
    fuzz::Check(!s->abstract.empty(), "an accepted Markdown submission without an abstract");
    // Later stages address claims by offsets into the full text; the
    // abstract and introduction must be substrings of it.
    if (!s->fulltext.empty() && !s->introduction.empty()) {
      fuzz::Check(s->fulltext.find(s->introduction) != std::string::npos,
                  "the introduction is not a substring of the full text");
    }
  }
  return 0;
}
