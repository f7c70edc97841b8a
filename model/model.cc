#include "novelta/model.h"

#include "base/json.h"

#include <cstdio>
#include <cstdlib>

namespace novelta {
namespace {

template <typename E, size_t N>
StatusOr<E> ParseEnum(std::string_view name, const char* const (&names)[N], std::string_view what) {
  for (size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<E>(i);
  std::string allowed;
  for (size_t i = 0; i < N; ++i) allowed += (i ? ", " : "") + std::string(names[i]);
  return Status::InvalidArgument("unknown " + std::string(what) + " '" + std::string(name) +
                                 "' (expected one of: " + allowed + ")");
}

const char* const kClaimTypeNames[] = {"method", "task", "dataset", "result", "theory", "analysis"};
const char* const kVerdictNames[] = {"novel", "partially_anticipated", "anticipated"};
const char* const kConclusionNames[] = {"novel", "incremental", "not_novel"};
const char* const kSectionKindNames[] = {"front",     "abstract",   "introduction", "related_work",
                                         "body",      "references", "checklist",    "appendix"};

Status RequireObject(const Json& j, std::string_view what) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": expected a JSON object");
  return Status::OK();
}

Status GetStringList(const Json& j, const char* field, std::string_view what,
                     std::vector<std::string>* out) {
  out->clear();
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return Status::OK();
  if (!it->is_array())
    return Status::InvalidArgument(std::string(what) + ": field '" + field + "' must be a list");
  for (const auto& v : *it) {
    if (v.is_string()) out->push_back(v.get<std::string>());
    else if (v.is_object() && v.contains("name") && v["name"].is_string())  // {"name": "..."} authors
      out->push_back(v["name"].get<std::string>());
    else
      return Status::InvalidArgument(std::string(what) + ": field '" + field +
                                     "' must be a list of strings");
  }
  return Status::OK();
}

double GetDouble(const Json& j, const char* field, double def = 0) {
  auto it = j.find(field);
  return it != j.end() && it->is_number() ? it->get<double>() : def;
}

size_t GetSize(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_number_unsigned() ? it->get<size_t>() : 0;
}

std::string GetStr(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int GetIntOr0(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

}  // namespace

// ---- enums ----

const char* SectionKindName(SectionKind k) { return kSectionKindNames[static_cast<int>(k)]; }
const char* ClaimTypeName(ClaimType t) { return kClaimTypeNames[static_cast<int>(t)]; }
StatusOr<ClaimType> ParseClaimType(std::string_view n) {
  return ParseEnum<ClaimType>(n, kClaimTypeNames, "claim type");
}
const char* VerdictName(Verdict v) { return kVerdictNames[static_cast<int>(v)]; }
StatusOr<Verdict> ParseVerdict(std::string_view n) {
  return ParseEnum<Verdict>(n, kVerdictNames, "verdict");
}
const char* ConclusionName(Conclusion c) { return kConclusionNames[static_cast<int>(c)]; }
StatusOr<Conclusion> ParseConclusion(std::string_view n) {
  return ParseEnum<Conclusion>(n, kConclusionNames, "conclusion");
}

// ---- Submission ----

Json ToJson(const Submission& s) {
  Json j = {{"id", s.id},           {"title", s.title},     {"abstract", s.abstract},
            {"authors", s.authors}, {"keywords", s.keywords}, {"source", s.source},
            {"format", s.format}};
  if (s.submitted.known()) j["submitted"] = s.submitted.ToString();
  if (!s.introduction.empty()) j["introduction"] = s.introduction;
  if (!s.fulltext.empty()) j["fulltext"] = s.fulltext;
  if (!s.references.empty()) j["references"] = s.references;
  return j;
}

StatusOr<Submission> SubmissionFromJson(const Json& j, std::string_view what) {
  NOVELTA_RETURN_IF_ERROR(RequireObject(j, what));
  Submission s;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "id", what, &s.id, false));
  if (s.id.empty()) {  // numeric ids are common in exported datasets
    auto it = j.find("id");
    if (it != j.end() && it->is_number_integer()) s.id = std::to_string(it->get<int64_t>());
  }
  NOVELTA_RETURN_IF_ERROR(GetString(j, "title", what, &s.title, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "abstract", what, &s.abstract, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "introduction", what, &s.introduction, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "fulltext", what, &s.fulltext, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "source", what, &s.source, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "format", what, &s.format, false));
  NOVELTA_RETURN_IF_ERROR(GetStringList(j, "authors", what, &s.authors));
  NOVELTA_RETURN_IF_ERROR(GetStringList(j, "keywords", what, &s.keywords));
  NOVELTA_RETURN_IF_ERROR(GetStringList(j, "references", what, &s.references));
  std::string submitted;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "submitted", what, &submitted, false));
  if (!submitted.empty()) {
    auto d = Date::Parse(submitted);
    if (!d.ok()) return d.status().WithPrefix(std::string(what) + ": field 'submitted'");
    s.submitted = *d;
  } else {
    int64_t year = 0;
    NOVELTA_RETURN_IF_ERROR(GetInt(j, "year", what, &year, false));
    if (year > 0) s.submitted = Date::Year(static_cast<int>(year));
  }
  return s;
}

// ---- Claim, PriorWork ----

namespace {

Json SpanToJson(const Span& s) { return {{"field", s.field}, {"start", s.start}, {"end", s.end}}; }

Span SpanFromJson(const Json& j) {
  return {GetStr(j, "field"), GetSize(j, "start"), GetSize(j, "end")};
}

}  // namespace

Json ToJson(const Claim& c) {
  Json also = Json::array();
  for (const auto& s : c.also_at) also.push_back(SpanToJson(s));
  return {{"id", c.id},
          {"text", c.text},
          {"type", ClaimTypeName(c.type)},
          {"facets", c.facets},
          {"span", SpanToJson(c.span)},
          {"also_at", std::move(also)},
          {"cue", c.cue},
          {"extraction_score", c.score}};
}

Json ToJson(const PriorWork& p) {
  return {{"id", p.id},       {"title", p.title}, {"year", p.year},   {"venue", p.venue},
          {"score", p.score}, {"cited", p.cited}, {"matched_by", p.matched_by}, {"abstract", p.abstract}};
}

// ---- Report ----

namespace {

Json EvidenceToJson(const Evidence& e) {
  return {{"prior_id", e.prior_id},   {"title", e.title},
          {"year", e.year},           {"venue", e.venue},
          {"quote", e.quote},         {"quote_start", e.quote_start},
          {"quote_end", e.quote_end}, {"similarity", e.similarity},
          {"relevance", e.relevance}, {"shared_terms", e.shared_terms}};
}

Evidence EvidenceFromJson(const Json& j) {
  Evidence e;
  e.prior_id = GetStr(j, "prior_id");
  e.title = GetStr(j, "title");
  e.year = GetIntOr0(j, "year");
  e.venue = GetStr(j, "venue");
  e.quote = GetStr(j, "quote");
  e.quote_start = GetSize(j, "quote_start");
  e.quote_end = GetSize(j, "quote_end");
  e.similarity = GetDouble(j, "similarity");
  e.relevance = GetDouble(j, "relevance");
  if (j.contains("shared_terms") && j["shared_terms"].is_array())
    for (const auto& t : j["shared_terms"])
      if (t.is_string()) e.shared_terms.push_back(t.get<std::string>());
  return e;
}

}  // namespace

Json ToJson(const NoveltyReport& r) {
  Json claims = Json::array();
  for (const auto& ac : r.claims) {
    Json ev = Json::array();
    for (const auto& e : ac.verdict.evidence) ev.push_back(EvidenceToJson(e));
    Json cj = ToJson(ac.claim);
    cj["verdict"] = VerdictName(ac.verdict.verdict);
    cj["confidence"] = ac.verdict.confidence;
    cj["max_similarity"] = ac.verdict.max_similarity;
    cj["compared_works"] = ac.verdict.compared_works;
    cj["nearest_prior_id"] = ac.verdict.nearest_prior_id;
    if (!ac.verdict.rationale.empty()) cj["rationale"] = ac.verdict.rationale;
    cj["evidence"] = std::move(ev);
    claims.push_back(std::move(cj));
  }
  Json related = Json::array();
  for (const auto& p : r.related_work) related.push_back(ToJson(p));
  Json reasons = Json::array();
  for (const auto& s : r.reasoning_sentences)
    reasons.push_back({{"text", s.text}, {"claim_ids", s.claim_ids}, {"prior_ids", s.prior_ids}});
  Json sub = {{"id", r.submission.id},
              {"title", r.submission.title},
              {"source", r.submission.source},
              {"format", r.submission.format}};
  if (r.submission.submitted.known()) sub["submitted"] = r.submission.submitted.ToString();
  Json j = {{"schema_version", NoveltyReport::kSchemaVersion},
            {"submission", sub},
            {"claims", claims},
            {"related_work", related},
            {"conclusion", ConclusionName(r.conclusion)},
            {"novelty_score", r.novelty_score},
            {"reasoning", r.reasoning},
            {"reasoning_sentences", reasons},
            {"warnings", r.warnings},
            {"timing_ms", r.timing_ms},
            {"index_id", r.index_id}};
  if (r.cutoff.known()) j["cutoff"] = r.cutoff.ToString();
  j["engine"] = ToJson(r.engine);
  return j;
}

Json ToJson(const EngineReport& e) {
  Json j = {{"name", e.name}, {"claims_by", e.claims_by}, {"comparison_by", e.comparison_by}};
  if (e.name == "offline") return j;
  j["model"] = e.model;
  j["prompts"] = e.prompts;
  j["calls"] = e.calls;
  j["cache_hits"] = e.cache_hits;
  j["prompt_tokens"] = e.prompt_tokens;
  j["completion_tokens"] = e.completion_tokens;
  j["claims_dropped"] = e.claims_dropped;
  j["quotes_dropped"] = e.quotes_dropped;
  j["verdicts_without_evidence"] = e.verdicts_without_evidence;
  j["sentences_dropped"] = e.sentences_dropped;
  return j;
}

EngineReport EngineFromJson(const Json& j) {
  EngineReport e;
  if (!j.is_object()) return e;
  e.name = j.value("name", "offline");
  e.model = GetStr(j, "model");
  e.claims_by = j.value("claims_by", "offline");
  e.comparison_by = j.value("comparison_by", "offline");
  if (j.contains("prompts") && j["prompts"].is_object())
    for (auto it = j["prompts"].begin(); it != j["prompts"].end(); ++it)
      if (it.value().is_string()) e.prompts[it.key()] = it.value().get<std::string>();
  auto count = [&](const char* field) -> int64_t {
    return j.contains(field) && j[field].is_number_integer() ? j[field].get<int64_t>() : 0;
  };
  e.calls = count("calls");
  e.cache_hits = count("cache_hits");
  e.prompt_tokens = count("prompt_tokens");
  e.completion_tokens = count("completion_tokens");
  e.claims_dropped = static_cast<int>(count("claims_dropped"));
  e.quotes_dropped = static_cast<int>(count("quotes_dropped"));
  e.verdicts_without_evidence = static_cast<int>(count("verdicts_without_evidence"));
  e.sentences_dropped = static_cast<int>(count("sentences_dropped"));
  return e;
}

StatusOr<NoveltyReport> ReportFromJson(const Json& j) {
  const char* what = "report";
  NOVELTA_RETURN_IF_ERROR(RequireObject(j, what));
  NoveltyReport r;
  if (j.contains("submission")) {
    const Json& s = j["submission"];
    NOVELTA_RETURN_IF_ERROR(RequireObject(s, "report.submission"));
    r.submission.id = GetStr(s, "id");
    r.submission.title = GetStr(s, "title");
    r.submission.source = GetStr(s, "source");
    r.submission.format = GetStr(s, "format");
    auto d = Date::Parse(GetStr(s, "submitted"));
    if (!d.ok()) return d.status().WithPrefix("report.submission.submitted");
    r.submission.submitted = *d;
  }
  auto cutoff = Date::Parse(GetStr(j, "cutoff"));
  if (!cutoff.ok()) return cutoff.status().WithPrefix("report.cutoff");
  r.cutoff = *cutoff;
  if (j.contains("claims") && j["claims"].is_array()) {
    for (const auto& cj : j["claims"]) {
      NOVELTA_RETURN_IF_ERROR(RequireObject(cj, "report.claims[]"));
      AssessedClaim ac;
      ac.claim.id = GetStr(cj, "id");
      ac.claim.text = GetStr(cj, "text");
      auto type = ParseClaimType(GetStr(cj, "type"));
      if (!type.ok()) return type.status().WithPrefix("report.claims[" + ac.claim.id + "]");
      ac.claim.type = *type;
      if (cj.contains("facets") && cj["facets"].is_object()) {
        for (auto it = cj["facets"].begin(); it != cj["facets"].end(); ++it) {
          if (!it.value().is_array()) continue;
          for (const auto& v : it.value())
            if (v.is_string()) ac.claim.facets[it.key()].push_back(v.get<std::string>());
        }
      }
      if (cj.contains("span") && cj["span"].is_object()) ac.claim.span = SpanFromJson(cj["span"]);
      if (cj.contains("also_at") && cj["also_at"].is_array())
        for (const auto& sj : cj["also_at"])
          if (sj.is_object()) ac.claim.also_at.push_back(SpanFromJson(sj));
      ac.claim.cue = GetStr(cj, "cue");
      ac.claim.score = GetDouble(cj, "extraction_score");
      auto verdict = ParseVerdict(GetStr(cj, "verdict"));
      if (!verdict.ok()) return verdict.status().WithPrefix("report.claims[" + ac.claim.id + "]");
      ac.verdict.verdict = *verdict;
      ac.verdict.confidence = GetDouble(cj, "confidence");
      ac.verdict.max_similarity = GetDouble(cj, "max_similarity");
      ac.verdict.compared_works = GetIntOr0(cj, "compared_works");
      ac.verdict.nearest_prior_id = GetStr(cj, "nearest_prior_id");
      ac.verdict.rationale = GetStr(cj, "rationale");
      if (cj.contains("evidence") && cj["evidence"].is_array())
        for (const auto& ej : cj["evidence"]) ac.verdict.evidence.push_back(EvidenceFromJson(ej));
      r.claims.push_back(std::move(ac));
    }
  }
  if (j.contains("related_work") && j["related_work"].is_array()) {
    for (const auto& pj : j["related_work"]) {
      PriorWork p;
      p.id = GetStr(pj, "id");
      p.title = GetStr(pj, "title");
      p.abstract = GetStr(pj, "abstract");
      p.year = GetIntOr0(pj, "year");
      p.venue = GetStr(pj, "venue");
      p.score = GetDouble(pj, "score");
      p.cited = pj.contains("cited") && pj["cited"].is_boolean() && pj["cited"].get<bool>();
      if (pj.contains("matched_by") && pj["matched_by"].is_array())
        for (const auto& m : pj["matched_by"])
          if (m.is_string()) p.matched_by.push_back(m.get<std::string>());
      r.related_work.push_back(std::move(p));
    }
  }
  auto conclusion = ParseConclusion(GetStr(j, "conclusion"));
  if (!conclusion.ok()) return conclusion.status().WithPrefix("report");
  r.conclusion = *conclusion;
  r.novelty_score = GetDouble(j, "novelty_score");
  r.reasoning = GetStr(j, "reasoning");
  if (j.contains("reasoning_sentences") && j["reasoning_sentences"].is_array()) {
    for (const auto& sj : j["reasoning_sentences"]) {
      ReasoningSentence s;
      s.text = GetStr(sj, "text");
      for (const char* f : {"claim_ids", "prior_ids"}) {
        auto& dst = f[0] == 'c' ? s.claim_ids : s.prior_ids;
        if (sj.contains(f) && sj[f].is_array())
          for (const auto& v : sj[f])
            if (v.is_string()) dst.push_back(v.get<std::string>());
      }
      r.reasoning_sentences.push_back(std::move(s));
    }
  }
  if (j.contains("warnings") && j["warnings"].is_array())
    for (const auto& w : j["warnings"])
      if (w.is_string()) r.warnings.push_back(w.get<std::string>());
  if (j.contains("timing_ms") && j["timing_ms"].is_object())
    for (auto it = j["timing_ms"].begin(); it != j["timing_ms"].end(); ++it)
      if (it.value().is_number()) r.timing_ms[it.key()] = it.value().get<double>();
  r.index_id = GetStr(j, "index_id");
  if (j.contains("engine")) r.engine = EngineFromJson(j["engine"]);
  return r;
}

}  // namespace novelta
