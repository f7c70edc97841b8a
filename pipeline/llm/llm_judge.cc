#include "pipeline/llm/llm_judge.h"

#include <algorithm>
#include <map>
#include <set>

#include "pipeline/llm/prompts.h"
#include "pipeline/llm/verbatim.h"

namespace novelta {
namespace {

const char* const kVerdicts[] = {"novel", "partially_anticipated", "anticipated"};

Json JudgeSchema(size_t max_claims) {
  Json quote = {{"type", "object"},
                {"additionalProperties", false},
                {"required", {"passage_id", "quote"}},
                {"properties", {{"passage_id", {{"type", "string"}}}, {"quote", {{"type", "string"}, {"maxLength", 1500}}}}}};
  Json claim = {{"type", "object"},
                {"additionalProperties", false},
                {"required", {"claim_id", "verdict", "confidence", "rationale", "quotes"}},
                {"properties",
                 {{"claim_id", {{"type", "string"}}},
                  {"verdict", {{"enum", kVerdicts}}},
                  {"confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
                  {"rationale", {{"type", "string"}, {"maxLength", 600}}},
                  {"quotes", {{"type", "array"}, {"maxItems", 3}, {"items", quote}}}}}};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", {"claims"}},
          {"properties", {{"claims", {{"type", "array"}, {"maxItems", static_cast<int>(max_claims)}, {"items", claim}}}}}};
}

Json ReasoningSchema() {
  Json ids = {{"type", "array"}, {"maxItems", 12}, {"items", {{"type", "string"}}}};
  Json sentence = {{"type", "object"},
                   {"additionalProperties", false},
                   {"required", {"text", "claim_ids", "passage_ids"}},
                   {"properties", {{"text", {{"type", "string"}, {"maxLength", 800}}}, {"claim_ids", ids}, {"passage_ids", ids}}}};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", {"conclusion", "sentences"}},
          {"properties",
           {{"conclusion", {{"enum", {"novel", "incremental", "not_novel"}}}},
            {"sentences", {{"type", "array"}, {"minItems", 1}, {"maxItems", 8}, {"items", sentence}}}}}};
}

std::string PassageId(size_t i) { return "p" + std::to_string(i + 1); }

}  // namespace

std::vector<std::string> LlmJudge::Passages(const NoveltyReport& report) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < report.related_work.size() && out.size() < options_.max_passages; ++i)
    out.push_back(PrefixAtSentence(report.related_work[i].abstract, options_.max_passage_bytes));
  return out;
}

LlmRequest LlmJudge::JudgeRequest(const NoveltyReport& report) const {
  Json claims = Json::array();
  for (const auto& c : report.claims) claims.push_back({{"id", c.claim.id}, {"text", c.claim.text}});
  Json passages = Json::array();
  std::vector<std::string> texts = Passages(report);
  for (size_t i = 0; i < texts.size(); ++i) {
    const PriorWork& p = report.related_work[i];
    passages.push_back({{"id", PassageId(i)}, {"title", p.title}, {"year", p.year}, {"text", texts[i]}});
  }
  LlmRequest r;
  r.system = JudgePrompt().text;
  r.user = DumpJson(Json{{"paper_title", report.submission.title}, {"claims", claims}, {"passages", passages}}, 1);
  r.schema_name = "novelta_verdicts";
  // A bound, not the exact count: an answer naming a claim it was not given is read for the
  // claims it was given.
  r.schema = JudgeSchema(std::max<size_t>(24, report.claims.size()));
  r.max_tokens = options_.max_tokens;
  return r;
}

StatusOr<JudgeOutcome> LlmJudge::JudgeClaims(NoveltyReport* report) const {
  JudgeOutcome out;
  NOVELTA_ASSIGN_OR_RETURN(out.answer, client_->Complete(JudgeRequest(*report)));
  const std::vector<std::string> texts = Passages(*report);
  std::map<std::string, size_t> passage_of;
  for (size_t i = 0; i < texts.size(); ++i) passage_of[PassageId(i)] = i;
  std::map<std::string, const Json*> answer_of;
  for (const Json& c : out.answer.content["claims"]) answer_of.emplace(c["claim_id"].get<std::string>(), &c);
  for (auto& ac : report->claims) {
    auto it = answer_of.find(ac.claim.id);
    if (it == answer_of.end()) {
      ++out.claims_unjudged;
      continue;
    }
    const Json& a = *it->second;
    ClaimVerdict v;
    v.verdict = *ParseVerdict(a["verdict"].get<std::string>());
    v.confidence = a["confidence"].get<double>();
    v.rationale = a["rationale"].get<std::string>();
    v.max_similarity = ac.verdict.max_similarity;
    v.compared_works = static_cast<int>(texts.size());
    std::set<std::string> quoted;
    for (const Json& q : a["quotes"]) {
      auto p = passage_of.find(q["passage_id"].get<std::string>());
      std::optional<std::pair<size_t, size_t>> at;
      if (p != passage_of.end()) at = FindVerbatim(texts[p->second], q["quote"].get<std::string>());
      if (!at || !quoted.insert(q["passage_id"].get<std::string>() + ":" + std::to_string(at->first)).second) {
        if (!at) ++out.quotes_dropped;
        continue;
      }
      const PriorWork& w = report->related_work[p->second];
      Evidence e;
      e.prior_id = w.id;
      e.title = w.title;
      e.year = w.year;
      e.venue = w.venue;
      e.quote = w.abstract.substr(at->first, at->second - at->first);
      e.quote_start = at->first;
      e.quote_end = at->second;
      v.evidence.push_back(std::move(e));
    }
    if (v.verdict != Verdict::kNovel && v.evidence.empty()) {
      ++out.verdicts_without_evidence;
      v.verdict = Verdict::kNovel;
    }
    v.nearest_prior_id = v.evidence.empty() ? ac.verdict.nearest_prior_id : v.evidence.front().prior_id;
    ac.verdict = std::move(v);
  }
  return out;
}

LlmRequest LlmJudge::ReasoningRequest(const NoveltyReport& report) const {
  Json claims = Json::array();
  std::map<std::string, size_t> shown;  // prior id -> index among related works
  for (size_t i = 0; i < report.related_work.size(); ++i) shown.emplace(report.related_work[i].id, i);
  Json priors = Json::object();
  for (const auto& c : report.claims) {
    Json evidence = Json::array();
    for (const Evidence& e : c.verdict.evidence) {
      auto at = shown.find(e.prior_id);
      if (at == shown.end()) continue;  // evidence always quotes a related work; nothing else has an id
      std::string pid = PassageId(at->second);
      priors[pid] = {{"title", e.title}, {"year", e.year}};
      evidence.push_back({{"passage_id", pid}, {"quote", e.quote}});
    }
    claims.push_back({{"id", c.claim.id},
                      {"text", c.claim.text},
                      {"verdict", VerdictName(c.verdict.verdict)},
                      {"rationale", c.verdict.rationale},
                      {"evidence", evidence}});
  }
  LlmRequest r;
  r.system = ReasoningPrompt().text;
  r.user = DumpJson(Json{{"paper_title", report.submission.title}, {"claims", claims}, {"prior_papers", priors}}, 1);
  r.schema_name = "novelta_reasoning";
  r.schema = ReasoningSchema();
  r.max_tokens = options_.max_tokens;
  return r;
}

StatusOr<JudgeOutcome> LlmJudge::WriteReasoning(NoveltyReport* report) const {
  JudgeOutcome out;
  NOVELTA_ASSIGN_OR_RETURN(out.answer, client_->Complete(ReasoningRequest(*report)));
  // What the model was given: the claims, and the prior works of verified evidence.
  std::set<std::string> claim_ids;
  std::map<std::string, std::string> prior_of;  // passage id -> prior id
  for (size_t i = 0; i < report->related_work.size(); ++i) {
    for (const auto& c : report->claims)
      for (const Evidence& e : c.verdict.evidence)
        if (e.prior_id == report->related_work[i].id) prior_of[PassageId(i)] = e.prior_id;
  }
  for (const auto& c : report->claims) claim_ids.insert(c.claim.id);
  std::vector<ReasoningSentence> sentences;
  for (const Json& s : out.answer.content["sentences"]) {
    ReasoningSentence rs;
    rs.text = s["text"].get<std::string>();
    bool ok = !rs.text.empty();
    for (const Json& id : s["claim_ids"]) {
      ok = ok && claim_ids.count(id.get<std::string>());
      rs.claim_ids.push_back(id.get<std::string>());
    }
    for (const Json& id : s["passage_ids"]) {
      auto p = prior_of.find(id.get<std::string>());
      ok = ok && p != prior_of.end();
      if (p != prior_of.end()) rs.prior_ids.push_back(p->second);
    }
    if (!ok) {
      ++out.sentences_dropped;
      continue;
    }
    sentences.push_back(std::move(rs));
  }
  if (sentences.empty()) return Status::Corruption("reasoning: every sentence cited what was not given");
  const bool any_evidence = std::any_of(report->claims.begin(), report->claims.end(),
                                        [](const AssessedClaim& c) { return !c.verdict.evidence.empty(); });
  // A paper none of whose claims has verified prior evidence is novel, whatever the paragraph says.
  report->conclusion = any_evidence ? *ParseConclusion(out.answer.content["conclusion"].get<std::string>())
                                    : Conclusion::kNovel;
  report->reasoning_sentences = std::move(sentences);
  report->reasoning.clear();
  for (const auto& s : report->reasoning_sentences) {
    if (!report->reasoning.empty()) report->reasoning += ' ';
    report->reasoning += s.text;
  }
  return out;
}

}  // namespace novelta
