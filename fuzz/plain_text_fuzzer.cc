// Fuzzes ParsePlainTextSubmission: title, abstract and sections of plain text
// (the same analysis PDF text goes through).
#include "fuzz/fuzz_util.h"
#include "pipeline/ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  IngestLimits limits;
  limits.max_text_bytes = 64 << 10;
  auto s = ParsePlainTextSubmission(fuzz::AsText(data, size), "fuzz.txt", limits);
  fuzz::CheckError(s.status());
  if (s.ok()) {
    fuzz::Check(!s->abstract.empty(), "an accepted text submission without an abstract");
    fuzz::Check(s->fulltext.find(s->abstract) != std::string::npos,
                "the abstract is not a substring of the full text");
  }
  return 0;
}
