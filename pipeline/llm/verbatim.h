// Finding a model's quote in the text it was shown. A quote counts only when
// it is that text's own bytes: exactly, or equal once runs of whitespace are
// read as one space (models re-flow line breaks). The span returned is always
// in the original text, so what a report shows is what the paper says.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_LLM_VERBATIM_H_
#define NOVELTA_PIPELINE_LLM_VERBATIM_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace novelta {

// [start, end) of `quote` in `text`, or nullopt. Quotes shorter than
// `min_bytes` (after trimming) never match: a word or two proves nothing.
std::optional<std::pair<size_t, size_t>> FindVerbatim(std::string_view text, std::string_view quote,
                                                      size_t min_bytes = 12);

// The first at most `max` bytes of `text`, cut after the last sentence end
// (". ") in them when that keeps at least half; a prefix, so offsets found in
// it are offsets in `text`.
std::string PrefixAtSentence(const std::string& text, size_t max);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_LLM_VERBATIM_H_
