// Fuzzes the review reader: ReadReview over hostile review text (with the
// paper's own references list taken from the same bytes), and the references
// parsers.
#include "fuzz/fuzz_util.h"
#include "alignment/review_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  using namespace novelta::alignment;
  if (size == 0) return 0;
  // First byte: the originality score (0-5, so out-of-range values are
  // exercised); the rest is split in two at the first NUL: review, full text.
  int originality = data[0] % 6;
  std::string_view rest = fuzz::AsText(data + 1, size - 1);
  size_t nul = rest.find('\0');
  std::string_view review = rest.substr(0, nul);
  std::string_view fulltext = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  PaperContext paper;
  paper.references = ReferencesFromFulltext(fulltext);
  for (const ReferenceEntry& e : ParseReferenceEntries(fulltext)) {
    fuzz::Check(e.text.size() <= fulltext.size(), "a reference entry longer than its text");
  }
  ReviewReading reading = ReadReview(review, originality, paper);
  for (const NoveltyStatement& st : reading.statements) {
    fuzz::Check(st.start <= st.end && st.end <= review.size(), "a statement span outside the review");
  }
  if (originality >= 1 && originality <= 4) {
    fuzz::Check(reading.originality == originality, "the originality score was not kept");
  }
  return 0;
}
