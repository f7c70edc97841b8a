// Claim typing: what kind of contribution a claim sentence states — a method,
// a task, a dataset, a result, a theory or an analysis — read from its
// wording ("we prove" -> theory, "we introduce a dataset" -> dataset,
// "outperforms" -> result). Stage 1 types every claim it extracts; the
// assessor also types a whole abstract when it has no claim sentence.
// Separate from the extractor because it looks only at one sentence's words,
// never at where the sentence sits.
//
// Thread-safety: a pure function.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_TYPING_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_TYPING_H_

#include <string_view>

#include "novelta/model.h"

namespace novelta {

// Types a claim sentence from its wording ("we prove" -> theory, "we introduce
// a dataset" -> dataset, "outperforms" -> result, ...). Theory wins over the
// rest, then a dataset the paper builds, then a task it defines; otherwise
// the earliest of a method, result or analysis cue decides, and a sentence
// with none is a method.
ClaimType ClassifyClaimType(std::string_view sentence);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_TYPING_H_
