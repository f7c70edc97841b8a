// Sentence segmentation for scientific prose: survives abbreviations ("e.g.",
// "et al.", "Fig. 3", "i.e."), numbers and decimals ("0.5"), citations
// ("[12]", "(Smith et al., 2020)"), inline and display math ($...$, \(...\)),
// URLs and Markdown line structure.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_BASE_SENTENCE_SPLITTER_H_
#define NOVELTA_BASE_SENTENCE_SPLITTER_H_

#include <string_view>
#include <vector>

namespace novelta {

// A sentence as byte offsets [start, end) into the text it was split from,
// trimmed of surrounding white space.
struct SentenceSpan {
  size_t start = 0;
  size_t end = 0;
};

std::vector<SentenceSpan> SplitSentences(std::string_view text);

}  // namespace novelta

#endif  // NOVELTA_BASE_SENTENCE_SPLITTER_H_
