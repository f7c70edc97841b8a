// The queries a submission is searched with in stage 2, read from its parts
// the way a reviewer looks for related work: the title and abstract, each
// claim, the paragraphs of its related-work sections and introduction (where
// it discusses the work it builds on), the sentences of its other sections
// that cite ("[12]", "et al.": where a method or experiment names the work it
// uses or compares with), and the method names it mentions that a corpus
// title coins ("LoRA" -> "LoRA: Low-Rank Adaptation ...").
//
// Sections come from Submission::sections (found once, in ingest).
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_RETRIEVE_QUERY_BUILDER_H_
#define NOVELTA_PIPELINE_RETRIEVE_QUERY_BUILDER_H_

#include <string>
#include <vector>

#include "index/name_index.h"
#include "novelta/model.h"
#include "novelta/options.h"
#include "pipeline/retrieve/retriever.h"

namespace novelta {

// The submission's own words: title, abstract, introduction and the full
// text up to its references (names in the references list are not mentions).
std::string OwnText(const Submission& submission);

// Paragraphs of the related-work sections' opening text (before their
// subsections), then of the introduction, of at least 200 bytes (headings,
// captions and one-liners carry too little to search with); at most `most`.
std::vector<std::string> ContextParagraphs(const Submission& submission, int most);

// Sentences that cite, from the body sections and the subsections of the
// introduction and related work (each on one line of work; their opening
// text is searched as paragraphs), up to the references; 60 to 600 bytes
// (shorter: fragments; longer: tables run together); at most `most`.
std::vector<std::string> CitationSentences(const Submission& submission, int most);

// Every query: title + abstract (weight 1), each claim, the context
// paragraphs, the citing sentences and the named methods of `own_text`
// (OwnText) found in `names`, each at its weight in `options`.
std::vector<RetrievalQuery> BuildQueries(const Submission& submission, const std::vector<Claim>& claims,
                                         const std::string& own_text, const NameIndex& names,
                                         const RetrievalOptions& options);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_RETRIEVE_QUERY_BUILDER_H_
