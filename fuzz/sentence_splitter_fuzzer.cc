// Fuzzes SplitSentences and checks the contract of its spans: inside the
// text, non-empty, in order and not overlapping.
#include "base/sentence_splitter.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  std::string_view text = fuzz::AsText(data, size);
  size_t previous_end = 0;
  for (const SentenceSpan& s : SplitSentences(text)) {
    fuzz::Check(s.start < s.end, "an empty or inverted sentence span");
    fuzz::Check(s.end <= size, "a sentence span past the end of the text");
    fuzz::Check(s.start >= previous_end, "sentence spans out of order or overlapping");
    previous_end = s.end;
  }
  return 0;
}
