// ArxivImporter: arXiv's metadata snapshot (the JSON Lines file published as
// "arxiv-metadata-oai-snapshot.json") to the corpus format.
//
//   {"id": "0704.0001", "title": "...", "abstract": "...", "categories": "hep-ph cs.LG",
//    "journal-ref": "...", "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
//    "update_date": "2008-11-13", ...}
//
// id -> "arxiv:<id>"; date: the first version's date, else the month encoded
// in the id ("0704.0001" is April 2007, "hep-th/9901001" January 1999), else
// `update_date`; venue "arxiv"; source "arxiv". ImportOptions::categories are
// matched as prefixes of the space-separated `categories` ("cs." = all of CS).
//
// Thread-safety: see importer.h.
#ifndef NOVELTA_CORPORA_ARXIV_IMPORTER_H_
#define NOVELTA_CORPORA_ARXIV_IMPORTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "corpora/importer.h"

namespace novelta {

// One snapshot record to a corpus record. Errors name `what` and the field.
StatusOr<CorpusRecord> ArxivRecordToCorpus(const Json& j, std::string_view what);
// The date of an RFC 2822 timestamp ("Mon, 2 Apr 2007 19:18:42 GMT").
StatusOr<Date> ParseRfc2822Date(std::string_view text);
// Whether any of the record's categories starts with one of `prefixes` (true when empty).
bool ArxivInCategories(const Json& j, const std::vector<std::string>& prefixes);

// Imports snapshot files (plain or gzip) into the corpus file `out_path`,
// written through `env` (see CorpusWriter; default Env::Default()).
Status ImportArxiv(const std::vector<std::string>& inputs, const std::string& out_path,
                   const ImportOptions& options, ImportStats* stats, Env* env = Env::Default());

}  // namespace novelta

#endif  // NOVELTA_CORPORA_ARXIV_IMPORTER_H_
