// OpenAlexImporter: OpenAlex works (the snapshot's JSON Lines, one work per
// line) to the corpus format.
//
//   {"id": "https://openalex.org/W2741809807", "title": "...", "publication_date": "2017-07-01",
//    "publication_year": 2017, "abstract_inverted_index": {"We": [0], "study": [1, 9], ...},
//    "primary_location": {"source": {"display_name": "Nature"}}, "primary_topic": {...}}
//
// OpenAlex ships abstracts as an inverted index (word -> positions); the
// abstract is rebuilt by placing each word at its positions. id ->
// "openalex:W...", title from `title` (else `display_name`), date from
// `publication_date` (else `publication_year`), venue from the primary
// location's source. ImportOptions::categories match the primary topic's
// field, subfield or domain name. Retracted works are filtered out.
//
// Thread-safety: see importer.h.
#ifndef NOVELTA_CORPORA_OPENALEX_IMPORTER_H_
#define NOVELTA_CORPORA_OPENALEX_IMPORTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "corpora/importer.h"

namespace novelta {

// Positions beyond this in an inverted index are rejected (no real abstract
// is that long, and a hostile one must not allocate gigabytes).
constexpr int64_t kMaxInvertedIndexPosition = 20000;

// Rebuilds the text of an `abstract_inverted_index` (null gives "").
StatusOr<std::string> AbstractFromInvertedIndex(const Json& inverted, std::string_view what);
StatusOr<CorpusRecord> OpenAlexWorkToCorpus(const Json& j, std::string_view what);
bool OpenAlexInCategories(const Json& j, const std::vector<std::string>& names);

// Imports works files (plain or gzip) into the corpus file `out_path`,
// written through `env` (see CorpusWriter; default Env::Default()).
Status ImportOpenAlex(const std::vector<std::string>& inputs, const std::string& out_path,
                      const ImportOptions& options, ImportStats* stats, Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_CORPORA_OPENALEX_IMPORTER_H_
