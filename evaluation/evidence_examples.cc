#include "evaluation/evidence_examples.h"

#include <map>
#include <tuple>
#include <vector>

#include "base/env.h"
#include "base/line_reader.h"
#include "base/text.h"
#include "pipeline/assessor_impl.h"
#include "pipeline/compare/comparer.h"
#include "pipeline/extract/claim_extractor.h"
#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

struct Label {
  Span claim;
  std::string prior_id;
  size_t quote_start = 0;
  bool relevant = false;
};

StatusOr<std::map<std::string, std::vector<Label>>> ReadLabels(const std::string& path, size_t* count) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::map<std::string, std::vector<Label>> out;
  std::string line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = path + ":" + std::to_string(reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, where));
    if (!j.is_object() || !j.contains("claim") || !j["claim"].is_object() || !j.contains("relevant") ||
        !j["relevant"].is_boolean() || !j.contains("quote_start") || !j["quote_start"].is_number_unsigned())
      return Status::InvalidArgument(where + ": expected {\"paper_id\", \"claim\": {\"field\", \"start\", "
                                     "\"end\"}, \"prior_id\", \"quote_start\", \"quote_end\", \"relevant\"}");
    Label l;
    l.claim.field = j["claim"].value("field", "");
    l.claim.start = j["claim"].value("start", size_t{0});
    l.claim.end = j["claim"].value("end", size_t{0});
    l.prior_id = j.value("prior_id", "");
    l.quote_start = j["quote_start"].get<size_t>();
    l.relevant = j["relevant"].get<bool>();
    out[j.value("paper_id", "")].push_back(std::move(l));
    ++*count;
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  return out;
}

const std::string* FieldOf(const Submission& s, const std::string& field) {
  if (field == "title") return &s.title;
  if (field == "abstract") return &s.abstract;
  if (field == "introduction") return &s.introduction;
  if (field == "fulltext") return &s.fulltext;
  return nullptr;
}

// The labelled claims of one paper as claims of its report, one per span.
std::vector<AssessedClaim> LabelledClaims(const Submission& s, const std::vector<Label>& labels) {
  std::vector<AssessedClaim> claims;
  std::map<std::tuple<std::string, size_t, size_t>, bool> seen;
  for (const Label& l : labels) {
    const std::string* text = FieldOf(s, l.claim.field);
    if (text == nullptr || l.claim.end > text->size() || l.claim.start >= l.claim.end) continue;
    if (!seen.emplace(std::make_tuple(l.claim.field, l.claim.start, l.claim.end), true).second) continue;
    AssessedClaim ac;
    ac.claim.id = "c" + std::to_string(claims.size() + 1);
    ac.claim.span = l.claim;
    ac.claim.text = text->substr(l.claim.start, l.claim.end - l.claim.start);
    ac.claim.type = ClassifyClaimType(ac.claim.text);
    ac.claim.facets = ExtractFacets(ac.claim.text);
    claims.push_back(std::move(ac));
  }
  return claims;
}

}  // namespace

Json EvidenceExportCounts::ToJson() const {
  return {{"labels", labels},
          {"papers", papers},
          {"examples", examples},
          {"missing_paper", missing_paper},
          {"missing_work", missing_work},
          {"missing_passage", missing_passage}};
}

StatusOr<EvidenceExportCounts> ExportEvidenceExamples(const std::string& labels_path,
                                                      const std::string& dataset_path,
                                                      std::shared_ptr<const PaperIndex> index,
                                                      const AssessorOptions& options,
                                                      const std::string& out_path) {
  EvidenceExportCounts counts;
  NOVELTA_ASSIGN_OR_RETURN(auto by_paper, ReadLabels(labels_path, &counts.labels));
  NOVELTA_ASSIGN_OR_RETURN(auto assessor, NewAssessor(index, options));
  CompareOptions co = options.compare;
  co.evidence_model = "none";
  Comparer comparer(index.get(), co);
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(dataset_path));
  std::string line, out;
  size_t found = 0;
  while (reader->Next(&line)) {
    const std::string where = dataset_path + ":" + std::to_string(reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, where));
    const std::string id = j.is_object() ? j.value("id", "") : "";
    auto labelled = by_paper.find(id);
    if (labelled == by_paper.end()) continue;
    NOVELTA_ASSIGN_OR_RETURN(Submission sub, ParseSubmissionJsonValue(j, where));
    sub.id = id;
    NOVELTA_ASSIGN_OR_RETURN(NoveltyReport report, assessor->Assess(sub, {}));
    ++counts.papers;
    found += labelled->second.size();
    report.claims = LabelledClaims(report.submission, labelled->second);
    const auto scored = comparer.ScorePassages(report);
    for (const Label& l : labelled->second) {
      size_t c = 0;
      while (c < report.claims.size() &&
             !(report.claims[c].claim.span.field == l.claim.field &&
               report.claims[c].claim.span.start == l.claim.start && report.claims[c].claim.span.end == l.claim.end))
        ++c;
      const ScoredPassage* hit = nullptr;
      bool work_compared = false;
      if (c < report.claims.size())
        for (const auto& p : scored[c]) {
          if (report.related_work[p.work].id != l.prior_id) continue;
          work_compared = true;
          if (p.start == l.quote_start) hit = &p;
        }
      if (hit == nullptr) {
        ++(work_compared ? counts.missing_passage : counts.missing_work);
        continue;
      }
      out += DumpJson(Json{{"paper_id", id}, {"relevant", l.relevant}, {"features", EvidenceFeatures(hit->signals)}});
      out += "\n";
      ++counts.examples;
    }
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  counts.missing_paper = counts.labels - found;
  NOVELTA_RETURN_IF_ERROR(Env::Default()->WriteFileAtomic(out_path, out));
  return counts;
}

}  // namespace novelta
