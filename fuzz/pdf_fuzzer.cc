// Fuzzes ParsePdfSubmission: poppler reading untrusted bytes, then the text
// analysis. Poppler is not instrumented, so coverage guidance comes from our
// side only; the target still catches crashes, hangs and leaks in both.
#include "fuzz/fuzz_util.h"
#include "pipeline/ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  IngestLimits limits;
  limits.max_text_bytes = 64 << 10;
  auto s = ParsePdfSubmission(fuzz::AsText(data, size), "fuzz.pdf", limits);
  fuzz::CheckError(s.status());
  if (s.ok()) fuzz::Check(!s->abstract.empty(), "an accepted PDF without an abstract");
  return 0;
}
