// Reading the inputs of alignment; see alignment_inputs.h.
#include "alignment/alignment_inputs.h"

#include <algorithm>
#include <cmath>

#include "alignment/prose_assessment.h"
#include "base/line_reader.h"
#include "base/sentence_splitter.h"
#include "base/text.h"
#include "novelta/model.h"

namespace novelta::alignment {
namespace {

std::string Where(std::string_view path, uint64_t line) {
  return std::string(path) + ":" + std::to_string(line);
}

// The paper's references list: the record's "references" array when it has
// one ("[3] ..." labels kept as numbers, else the list position), else the
// references section of its "fulltext".
std::vector<ReferenceEntry> PaperReferences(const Json& j) {
  std::vector<ReferenceEntry> references;
  if (j.contains("references") && j["references"].is_array()) {
    int n = 0;
    for (const auto& r : j["references"]) {
      ++n;
      if (!r.is_string()) continue;
      ReferenceEntry e;
      // "[3] ..." labels are kept as numbers; otherwise the list position is the number.
      auto parsed = ParseReferenceEntries(r.get<std::string>());
      if (!parsed.empty()) {
        e = parsed.front();
        if (e.number == 0) e.number = n;
      } else {
        continue;
      }
      references.push_back(std::move(e));
    }
  } else if (j.contains("fulltext") && j["fulltext"].is_string()) {
    references = ReferencesFromFulltext(j["fulltext"].get_ref<const std::string&>());
  }
  return references;
}

// {"paper_id", "text"}: read with no paper context (ReadProseAssessments
// reads it again with its paper's references list).
StatusOr<Assessment> ProseFromJson(const Json& j, std::string_view what) {
  Assessment a;
  a.origin = std::string(what);
  NOVELTA_RETURN_IF_ERROR(GetString(j, "paper_id", what, &a.paper_id, /*required=*/true));
  if (a.paper_id.empty()) return Status::InvalidArgument(std::string(what) + ": 'paper_id' is empty");
  NOVELTA_RETURN_IF_ERROR(GetString(j, "text", what, &a.text, /*required=*/true));
  if (Trim(a.text).empty())
    return Status::InvalidArgument(std::string(what) + ": 'text' is empty (paper '" + a.paper_id + "')");
  ReadProse(PaperContext{}, /*resolver=*/nullptr, &a);
  return a;
}

// {"paper_id", "conclusion", "reasoning"?, "cited_prior_ids"?}.
StatusOr<Assessment> SimpleFromJson(const Json& j, std::string_view what) {
  Assessment a;
  a.origin = std::string(what);
  a.kind = AssessmentKind::kSimple;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "paper_id", what, &a.paper_id, /*required=*/true));
  if (a.paper_id.empty()) return Status::InvalidArgument(std::string(what) + ": 'paper_id' is empty");
  std::string conclusion;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "conclusion", what, &conclusion, /*required=*/true));
  if (!ParseReviewConclusion(conclusion, &a.conclusion) || !HasOpinion(a.conclusion))
    return Status::InvalidArgument(std::string(what) + ": 'conclusion' must be novel, incremental or "
                                   "not_novel, got '" + conclusion + "'");
  NOVELTA_RETURN_IF_ERROR(GetString(j, "reasoning", what, &a.reasoning, /*required=*/false));
  if (j.contains("cited_prior_ids") && !j["cited_prior_ids"].is_null()) {
    if (!j["cited_prior_ids"].is_array())
      return Status::InvalidArgument(std::string(what) + ": 'cited_prior_ids' must be an array of strings");
    for (const auto& v : j["cited_prior_ids"]) {
      if (!v.is_string())
        return Status::InvalidArgument(std::string(what) + ": 'cited_prior_ids' must be an array of strings");
      a.cited_prior_ids.push_back(v.get<std::string>());
    }
  }
  return a;
}

}  // namespace

const char* AssessmentKindName(AssessmentKind k) {
  switch (k) {
    case AssessmentKind::kReport: return "report";
    case AssessmentKind::kSimple: return "simple";
    case AssessmentKind::kProse: return "prose";
  }
  return "simple";
}

const char* AssessmentInputName(const std::vector<Assessment>& assessments) {
  size_t prose = 0;
  for (const auto& a : assessments) prose += a.kind == AssessmentKind::kProse;
  if (prose == 0) return "reports";
  return prose == assessments.size() ? "prose" : "mixed";
}

ReviewConclusion MajorityConclusion(const std::vector<ReviewConclusion>& labels) {
  int counts[kNumConclusions] = {0, 0, 0};
  int n = 0;
  double sum = 0;
  for (auto c : labels)
    if (HasOpinion(c)) {
      const int label = static_cast<int>(c);  // also its place on novel(0)..not_novel(2)
      ++counts[label];
      ++n;
      sum += static_cast<double>(label);
    }
  if (n == 0) return ReviewConclusion::kNoOpinion;
  int best = *std::max_element(counts, counts + kNumConclusions);
  double mean = sum / n;
  int choice = -1;
  for (int c = 0; c < kNumConclusions; ++c) {
    if (counts[c] != best) continue;
    if (choice < 0 || std::fabs(c - mean) < std::fabs(choice - mean) - 1e-9) choice = c;
  }
  return static_cast<ReviewConclusion>(choice);
}

StatusOr<Assessment> AssessmentFromJson(const Json& j, std::string_view what) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": expected a JSON object");
  if (j.contains("submission")) {
    Assessment a;
    a.origin = std::string(what);
    a.kind = AssessmentKind::kReport;
    auto report = ReportFromJson(j);
    if (!report.ok()) return report.status().WithPrefix(what);
    if (report->submission.id.empty())
      return Status::InvalidArgument(std::string(what) + ": report has no submission.id");
    a.paper_id = report->submission.id;
    a.conclusion = static_cast<ReviewConclusion>(static_cast<int>(report->conclusion));
    a.reasoning = report->reasoning;
    for (const auto& p : report->related_work)
      if (!p.id.empty()) a.cited_prior_ids.push_back(p.id);
    std::set<Aspect> seen;
    for (const auto& c : report->claims) {
      Aspect aspect = Aspect::kMethod;
      switch (c.claim.type) {
        case ClaimType::kMethod: aspect = Aspect::kMethod; break;
        case ClaimType::kTask: aspect = Aspect::kProblem; break;
        case ClaimType::kDataset: aspect = Aspect::kData; break;
        case ClaimType::kResult: aspect = Aspect::kResults; break;
        case ClaimType::kTheory: aspect = Aspect::kTheory; break;
        case ClaimType::kAnalysis: aspect = Aspect::kResults; break;
      }
      if (seen.insert(aspect).second) a.claim_aspects.push_back(aspect);
    }
    return a;
  }
  const bool has_text = j.contains("text"), has_conclusion = j.contains("conclusion");
  if (has_text && has_conclusion)
    return Status::InvalidArgument(std::string(what) + ": has both 'text' (a prose assessment) and "
                                   "'conclusion' (the simple form); give one of them");
  if (has_conclusion) return SimpleFromJson(j, what);
  if (has_text) return ProseFromJson(j, what);
  return Status::InvalidArgument(std::string(what) +
                                 ": not an assessment: expected a novelta report (with 'submission'), "
                                 "{\"paper_id\", \"conclusion\", ...} or {\"paper_id\", \"text\"}");
}

StatusOr<std::vector<Assessment>> LoadAssessments(const std::string& path) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<Assessment> out;
  std::set<std::string> ids;
  auto add = [&](Assessment a) -> Status {
    if (!ids.insert(a.paper_id).second)
      return Status::InvalidArgument(a.origin + ": paper '" + a.paper_id + "' is assessed twice");
    const bool prose = a.kind == AssessmentKind::kProse;
    if (!out.empty() && prose != (out.front().kind == AssessmentKind::kProse)) {
      const char* prose_record = "a prose record {paper_id, text}";
      const char* report_record = "a report or {paper_id, conclusion} record";
      return Status::InvalidArgument(a.origin + ": " + (prose ? prose_record : report_record) +
                                     " in a file whose first record (" + out.front().origin + ") is " +
                                     (prose ? report_record : prose_record) +
                                     "; prose assessments and reports cannot be mixed in one file");
    }
    out.push_back(std::move(a));
    return Status::OK();
  };
  std::string line;
  bool too_long = false;
  // A file whose first non-blank character is '[' is one JSON array, possibly
  // spread over many lines.
  std::string array_text;
  bool is_array = false;
  bool first = true;
  while (reader->Next(&line, &too_long)) {
    if (too_long)
      return Status::InvalidArgument(Where(path, reader->line_number()) + ": line too long");
    std::string_view t = Trim(line);
    if (first) {
      if (t.empty()) continue;
      first = false;
      is_array = t[0] == '[';
    }
    if (is_array) {
      array_text += line;
      array_text += '\n';
      continue;
    }
    if (t.empty()) continue;
    std::string what = Where(path, reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(t, what));
    NOVELTA_ASSIGN_OR_RETURN(Assessment a, AssessmentFromJson(j, what));
    NOVELTA_RETURN_IF_ERROR(add(std::move(a)));
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  if (is_array) {
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(array_text, path));
    if (!j.is_array()) return Status::InvalidArgument(path + ": expected a JSON array");
    for (size_t i = 0; i < j.size(); ++i) {
      NOVELTA_ASSIGN_OR_RETURN(Assessment a,
                               AssessmentFromJson(j[i], path + "[" + std::to_string(i) + "]"));
      NOVELTA_RETURN_IF_ERROR(add(std::move(a)));
    }
  }
  return out;
}

std::vector<Aspect> AssessmentAspects(const Assessment& a) {
  std::vector<Aspect> out = a.claim_aspects;
  // A prose assessment's aspects are those of its reading, as a review's are.
  if (a.kind == AssessmentKind::kProse) return out;
  std::set<Aspect> seen(out.begin(), out.end());
  for (const SentenceSpan& span : SplitSentences(a.reasoning)) {
    if (span.end <= span.start || span.end > a.reasoning.size()) continue;
    auto aspect = AspectOfText(std::string_view(a.reasoning).substr(span.start, span.end - span.start));
    if (aspect && seen.insert(*aspect).second) out.push_back(*aspect);
  }
  return out;
}

StatusOr<HumanPaper> HumanPaperFromJson(const Json& j, std::string_view what,
                                        const PriorWorkResolver* resolver) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": expected a JSON object");
  HumanPaper p;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "id", what, &p.paper_id, /*required=*/true));
  if (p.paper_id.empty()) return Status::InvalidArgument(std::string(what) + ": 'id' is empty");
  NOVELTA_RETURN_IF_ERROR(GetString(j, "title", what, &p.title, /*required=*/false));
  if (!j.contains("reviews") || !j["reviews"].is_array())
    return Status::InvalidArgument(std::string(what) + ": paper '" + p.paper_id +
                                   "' needs a 'reviews' array");
  PaperContext context;
  context.references = PaperReferences(j);
  p.n_references = context.references.size();
  p.references = context.references;
  ReviewReaderOptions options;
  options.resolver = resolver;
  std::set<std::string> named;
  std::set<Aspect> aspects;
  std::vector<ReviewConclusion> conclusions;
  for (size_t i = 0; i < j["reviews"].size(); ++i) {
    const Json& rj = j["reviews"][i];
    std::string rwhat = std::string(what) + ": review " + std::to_string(i);
    if (!rj.is_object()) return Status::InvalidArgument(rwhat + ": expected a JSON object");
    std::string text;
    NOVELTA_RETURN_IF_ERROR(GetString(rj, "text", rwhat, &text, /*required=*/false));
    int64_t originality = 0;
    if (rj.contains("originality") && rj["originality"].is_null()) {
      originality = 0;
    } else {
      NOVELTA_RETURN_IF_ERROR(GetInt(rj, "originality", rwhat, &originality, /*required=*/false));
      if (originality < 0 || originality > 4)
        return Status::InvalidArgument(rwhat + ": 'originality' must be 1-4, got " +
                                       std::to_string(originality));
    }
    ReviewReading reading = ReadReview(text, static_cast<int>(originality), context, options);
    for (const auto& id : reading.resolved_prior_ids)
      if (named.insert(id).second) p.named_prior_ids.push_back(id);
    for (Aspect a : reading.aspects)
      if (aspects.insert(a).second) p.aspects.push_back(a);
    conclusions.push_back(reading.conclusion);
    p.reviews.push_back(std::move(reading));
  }
  p.majority = MajorityConclusion(conclusions);
  return p;
}

StatusOr<std::vector<HumanPaper>> LoadHumanPapers(const std::string& path,
                                                  const HumanLoadOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<HumanPaper> out;
  std::set<std::string> ids;
  std::string line;
  bool too_long = false;
  while (reader->Next(&line, &too_long)) {
    std::string what = Where(path, reader->line_number());
    if (too_long) return Status::InvalidArgument(what + ": line too long");
    if (Trim(line).empty()) continue;
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, what));
    if (options.only_ids) {
      if (!j.is_object() || !j.contains("id") || !j["id"].is_string() ||
          !options.only_ids->count(j["id"].get<std::string>()))
        continue;
    }
    NOVELTA_ASSIGN_OR_RETURN(HumanPaper p, HumanPaperFromJson(j, what, options.resolver));
    if (!ids.insert(p.paper_id).second)
      return Status::InvalidArgument(what + ": paper '" + p.paper_id + "' appears twice");
    out.push_back(std::move(p));
    if (options.max_papers && out.size() >= options.max_papers) break;
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  return out;
}

Json ToJson(const HumanPaper& p, bool with_statements) {
  Json reviews = Json::array();
  for (const auto& r : p.reviews) {
    if (with_statements) {
      reviews.push_back(ToJson(r));
    } else {
      reviews.push_back({{"originality", r.originality == 0 ? Json(nullptr) : Json(r.originality)},
                         {"text_conclusion", ReviewConclusionName(r.text_conclusion)},
                         {"conclusion", ReviewConclusionName(r.conclusion)},
                         {"n_statements", r.statements.size()},
                         {"resolved_prior_ids", r.resolved_prior_ids},
                         {"aspects", AspectNames(r.aspects)}});
    }
  }
  return {{"paper_id", p.paper_id},
          {"majority", ReviewConclusionName(p.majority)},
          {"named_prior_ids", p.named_prior_ids},
          {"aspects", AspectNames(p.aspects)},
          {"n_references", p.n_references},
          {"reviews", reviews}};
}

}  // namespace novelta::alignment
