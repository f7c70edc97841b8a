// Internal to the review reader: resolving the works a review names against
// references lists — the review's own list ("[3] Smith et al. Title. 2020."
// lines at its end) first, then the reviewed paper's — and, through a
// PriorWorkResolver, to corpus papers. A reviewer's "Steinke et al. [1]"
// usually means the paper's [1], and an author-year mention can only be
// turned into a title through some list's entry, so resolution is its own
// step between finding mentions (named_works.h) and analysing sentences.
// The public parts (ParseReferenceEntries, ReferencesFromFulltext) are
// declared in review_reader.h.
//
// Thread-safety: pure functions; the resolver must be safe for concurrent const calls.
#ifndef NOVELTA_ALIGNMENT_REFERENCE_RESOLUTION_H_
#define NOVELTA_ALIGNMENT_REFERENCE_RESOLUTION_H_

#include <string_view>
#include <vector>

#include "alignment/review_reader.h"

namespace novelta::alignment::review_internal {

// A line of the review's own references list: "[3] Smith et al. Title. 2020."
// (optionally after "- " or "* "), at least 20 characters, with a year or a
// quote after the label (a sentence citing "[3]" is not an entry). Fills
// *entry and returns true when it is one.
bool ReferenceListLine(std::string_view line, ReferenceEntry* entry);

// Fills in w->reference (the entry of `own`, else of paper.references, that
// the mention points to) and w->corpus_id (through `resolver`, may be null).
// Returns false for a quoted phrase that neither resolves nor looks like a
// title (`title_case`): it is then not a named work.
bool Resolve(NamedWork* w, bool title_case, const std::vector<ReferenceEntry>& own,
             const PaperContext& paper, const PriorWorkResolver* resolver);

}  // namespace novelta::alignment::review_internal

#endif  // NOVELTA_ALIGNMENT_REFERENCE_RESOLUTION_H_
