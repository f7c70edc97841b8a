// Fuzzes the corpus importers' record converters (arXiv snapshot, OpenAlex
// works, Semantic Scholar papers) and the arXiv RFC 2822 date parser, then
// the check every converted record passes before it is written
// (WriteImported: the corpus reader's own rules).
//
// Input layout: byte 0 picks the importer; the rest is one JSON record.
#include "corpora/arxiv_importer.h"
#include "corpora/corpus_reader.h"
#include "corpora/openalex_importer.h"
#include "corpora/semantic_scholar_importer.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  if (size == 0) return 0;
  std::string_view text = fuzz::AsText(data + 1, size - 1);
  fuzz::CheckError(ParseRfc2822Date(text).status());
  auto j = ParseJson(text, "import line 1");
  fuzz::CheckError(j.status());
  if (!j.ok()) return 0;
  StatusOr<CorpusRecord> r = Status::Internal("no importer");
  switch (data[0] % 3) {
    case 0: r = ArxivRecordToCorpus(*j, "import line 1"); break;
    case 1: r = OpenAlexWorkToCorpus(*j, "import line 1"); break;
    default: {
      int64_t corpus_id = 0;
      r = SemanticScholarPaperToCorpus(*j, "import line 1", &corpus_id);
    }
  }
  fuzz::CheckError(r.status());
  if (!r.ok()) return 0;
  auto checked = ParseCorpusRecord(CorpusRecordToJson(*r), "corpus line 1");
  fuzz::CheckError(checked.status());
  if (checked.ok()) fuzz::Check(!checked->id.empty() && !checked->title.empty(), "a written record without id or title");
  return 0;
}
