// Fuzzes one line of the prior-work corpus: ParseJson then ParseCorpusRecord.
#include "corpora/corpus_reader.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  auto j = ParseJson(fuzz::AsText(data, size), "corpus line 1");
  fuzz::CheckError(j.status());
  if (!j.ok()) return 0;
  auto r = ParseCorpusRecord(*j, "corpus line 1");
  fuzz::CheckError(r.status());
  if (r.ok()) fuzz::Check(!r->id.empty() && !r->title.empty(), "a corpus record without id or title");
  return 0;
}
