#include "evaluation/withheld.h"

#include <unordered_map>

#include "base/line_reader.h"
#include "base/text.h"
#include "evaluation/trust.h"
#include "pipeline/ingest/ingest.h"

namespace novelta {

Submission WithheldSubmission(const Submission& submission) {
  Submission withheld = submission;
  withheld.references.clear();
  withheld.fulltext =
      submission.fulltext.empty() ? std::string() : ParseMarkdownPaper(submission.fulltext).body;
  withheld.sections = FindSections(withheld.fulltext, /*markdown=*/true);
  return withheld;
}

std::unordered_set<std::string> CitedPriorWork(const Submission& submission, const PaperIndex& index) {
  std::unordered_set<std::string> cited;
  for (const auto& ref : submission.references) {
    auto m = index.resolver().Resolve(ref);
    if (!m.found()) continue;
    if (!IsPrior(index.date(m.row), submission.submitted)) continue;
    if (TitleSimilarity(index.title(m.row), submission.title) >= 0.8) continue;
    cited.insert(index.id(m.row));
  }
  return cited;
}

namespace {

// Calls `fn(submission)` for every record of `dataset` that
// parses as a submission; records that do not are skipped, as eval skips them.
template <typename Fn>
Status ForEachSubmission(const std::string& dataset, Fn fn) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(dataset));
  std::string line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = dataset + ":" + std::to_string(reader->line_number());
    auto j = ParseJson(line, where);
    if (!j.ok()) continue;
    auto sub = ParseSubmissionJsonValue(*j, where);
    if (!sub.ok()) continue;
    fn(*sub);
  }
  return reader->status();
}

}  // namespace

StatusOr<size_t> WriteWithheldSubmissions(const std::string& dataset, const std::string& out, Env* env) {
  std::string lines;
  size_t n = 0;
  NOVELTA_RETURN_IF_ERROR(ForEachSubmission(dataset, [&](const Submission& sub) {
    const Submission w = WithheldSubmission(sub);
    Json j = {{"id", w.id}, {"title", w.title}, {"abstract", w.abstract}};
    if (w.submitted.known()) j["submitted"] = w.submitted.ToString();
    if (!w.fulltext.empty()) j["fulltext"] = w.fulltext;
    lines += j.dump() + "\n";
    ++n;
  }));
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(out, lines));
  return n;
}

StatusOr<Json> TrustOfReports(const std::string& dataset, const PaperIndex& index, const std::string& reports) {
  std::unordered_map<std::string, std::unordered_set<std::string>> cited;
  NOVELTA_RETURN_IF_ERROR(ForEachSubmission(
      dataset, [&](const Submission& sub) { cited[sub.id] = CitedPriorWork(sub, index); }));
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(reports));
  static const std::unordered_set<std::string> kNone;
  TrustCounts total;
  std::string line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = reports + ":" + std::to_string(reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, where));
    auto report = ReportFromJson(j);
    if (!report.ok()) return Status::InvalidArgument(where + ": " + report.status().message());
    auto it = cited.find(report->submission.id);
    total.Add(CountTrust(*report, it == cited.end() ? kNone : it->second));
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  return total.ToJson();
}

}  // namespace novelta
