// SemanticScholarImporter: Semantic Scholar's "papers" and "abstracts"
// datasets (JSON Lines shards, plain or gzip) joined on `corpusid` into the
// corpus format.
//
//   papers:    {"corpusid": 215416146, "title": "...", "year": 2020, "venue": "ACL",
//               "publicationdate": "2020-04-01",
//               "s2fieldsofstudy": [{"category": "Computer Science", "source": "s2-fos-model"}]}
//   abstracts: {"corpusid": 215416146, "abstract": "...", "openaccessinfo": {...}}
//
// The Graph API's camelCase spellings (corpusId, publicationDate,
// fieldsOfStudy, an inline "abstract") are accepted too. id ->
// "s2:<corpusid>"; date from `publicationdate`, else `year`.
// ImportOptions::categories match fields of study ("Computer Science").
//
// Memory: the papers' metadata (not abstracts) is held while the abstracts
// stream past — a few hundred bytes per kept paper, so filter by category
// for the full dataset. Papers are written in abstracts-file order as their
// abstract arrives, then the papers that have none, by corpus id.
//
// Thread-safety: see importer.h.
#ifndef NOVELTA_CORPORA_SEMANTIC_SCHOLAR_IMPORTER_H_
#define NOVELTA_CORPORA_SEMANTIC_SCHOLAR_IMPORTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "corpora/importer.h"

namespace novelta {

// One "papers" record (its inline abstract, if any, included); sets *corpus_id.
StatusOr<CorpusRecord> SemanticScholarPaperToCorpus(const Json& j, std::string_view what,
                                                    int64_t* corpus_id);
bool SemanticScholarInFields(const Json& j, const std::vector<std::string>& fields);

// `abstracts` may be empty (titles only, or abstracts inline in the papers).
// The corpus file `out_path` is written through `env` (see CorpusWriter;
// default Env::Default()).
Status ImportSemanticScholar(const std::vector<std::string>& papers,
                             const std::vector<std::string>& abstracts,
                             const std::string& out_path, const ImportOptions& options,
                             ImportStats* stats, Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_CORPORA_SEMANTIC_SCHOLAR_IMPORTER_H_
