// Internal to the review reader: finding the prior works a review names in
// one sentence — quoted or italic titles, "Author et al. (2020)",
// "(Author, 2020)", "[Author 2020]", arXiv ids and numbered citations "[12]".
// Finding is purely lexical; whether a mention is kept and which corpus paper
// it means is decided later, against the references lists
// (reference_resolution.h). Kept apart from the sentence analysis because the
// two look at different things: characters and brackets here, word tokens
// and cue phrases there.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_ALIGNMENT_NAMED_WORKS_H_
#define NOVELTA_ALIGNMENT_NAMED_WORKS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "alignment/review_reader.h"

namespace novelta::alignment::review_internal {

// A mention found in a sentence, before resolution.
struct FoundWork {
  NamedWork work;  // kind, text and what the mention itself says (surname, year, title, ...)
  size_t pos;      // byte offset of the mention in the sentence
  // For kTitle: whether the quoted text looks like a title (capitalised
  // words) without resolving it; always true for the other kinds.
  bool title_case = true;
};

// Every mention in `sentence`, in order of position (mentions at the same
// position in the order: author mentions, numbered, arXiv, quoted titles).
std::vector<FoundWork> FindNamedWorks(std::string_view sentence);

}  // namespace novelta::alignment::review_internal

#endif  // NOVELTA_ALIGNMENT_NAMED_WORKS_H_
