// Fuzzes ReadSubmissions on a JSON Lines file (plain, or gzip when the input
// starts with the gzip magic), the path a batch file takes through the CLI.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "fuzz/fuzz_util.h"
#include "pipeline/ingest/ingest.h"

namespace {

std::string ScratchPath(bool gz) {
  static const std::string base = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/novelta_fuzz_jsonl_" + std::to_string(::getpid());
  }();
  return base + (gz ? ".jsonl.gz" : ".jsonl");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  const std::string path = ScratchPath(gz);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
  IngestLimits limits;
  limits.max_file_bytes = 64 << 10;
  limits.max_text_bytes = 64 << 10;
  size_t records = 0;
  Status s = ReadSubmissions(path, InputFormat::kJsonLines, limits, [&](IngestRecord&& r) {
    ++records;
    fuzz::Check(!r.where.empty(), "a record that does not say where it came from");
    fuzz::CheckError(r.status);
    if (r.status.ok()) fuzz::Check(!r.submission.abstract.empty(), "an accepted record without an abstract");
  });
  fuzz::CheckError(s);
  // Every record is at least one byte of its own line (gzip may expand, so only plain text is bounded).
  if (!gz) fuzz::Check(records <= size, "more records than bytes");
  std::remove(path.c_str());
  return 0;
}
