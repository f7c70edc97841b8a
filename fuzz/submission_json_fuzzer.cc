// Fuzzes ParseSubmissionJson: the JSON submission format (eval-set records and
// {"title","abstract","fulltext"?,...}), including Markdown full texts inside.
#include "fuzz/fuzz_util.h"
#include "pipeline/ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  IngestLimits limits;
  limits.max_text_bytes = 64 << 10;  // keeps each run short; the bound itself is exercised too
  auto s = ParseSubmissionJson(fuzz::AsText(data, size), "fuzz.json", limits);
  fuzz::CheckError(s.status());
  if (s.ok()) {
    fuzz::Check(!s->abstract.empty(), "an accepted submission without an abstract");
    fuzz::Check(s->abstract.size() <= limits.max_abstract_bytes, "an accepted abstract over max_abstract_bytes");
  }
  return 0;
}
