// Fuzzes the readers of `novelta align`'s inputs: one line of an assessments
// file (a novelta report or another system's {"paper_id", "conclusion", ...},
// AssessmentFromJson), one eval-set record with its reviews
// (HumanPaperFromJson), and a stored report (ReportFromJson).
#include "fuzz/fuzz_util.h"
#include "alignment/alignment.h"
#include "novelta/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  using namespace novelta::alignment;
  auto j = ParseJson(fuzz::AsText(data, size), "assessments.jsonl:1");
  fuzz::CheckError(j.status());
  if (!j.ok()) return 0;
  auto a = AssessmentFromJson(*j, "assessments.jsonl:1");
  fuzz::CheckError(a.status());
  if (a.ok()) fuzz::Check(!a->paper_id.empty(), "an assessment without a paper id");
  auto h = HumanPaperFromJson(*j, "dev.jsonl:1", nullptr);
  fuzz::CheckError(h.status());
  if (h.ok()) {
    fuzz::Check(!h->paper_id.empty(), "a human paper without an id");
    for (const ReviewReading& r : h->reviews) {
      for (const NoveltyStatement& st : r.statements) {
        fuzz::Check(st.start <= st.end, "an inverted statement span");
      }
    }
  }
  auto r = ReportFromJson(*j);
  fuzz::CheckError(r.status());
  return 0;
}
