// Claim facets: the parts of a claim sentence that later stages and a reader
// look for — what the paper contributes ("object": the noun phrase after "we
// propose"), the task it addresses ("task"), the datasets and benchmarks it
// names ("dataset"), the metrics it reports ("metric") and the method names it
// mentions ("method": acronyms and CamelCase names that are neither datasets
// nor metrics). Read from the wording of one sentence, with lists of
// well-known datasets and metric phrases; apart from the extractor because
// they need nothing but the sentence.
//
// Thread-safety: a pure function; its tables are built once, thread-safely,
// on first use.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_FACETS_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_FACETS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace novelta {

// Facets of a claim sentence: "object", "task", "dataset", "metric",
// "method", each a list of distinct values (case-insensitively) in the
// order found; a facet with no value is absent.
std::map<std::string, std::vector<std::string>> ExtractFacets(std::string_view sentence);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_FACETS_H_
