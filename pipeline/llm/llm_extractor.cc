#include "pipeline/llm/llm_extractor.h"

#include <algorithm>
#include <set>

#include "pipeline/llm/prompts.h"
#include "pipeline/llm/verbatim.h"

namespace novelta {
namespace {

Json StringList(int max_items) {
  return {{"type", "array"}, {"maxItems", max_items}, {"items", {{"type", "string"}, {"maxLength", 300}}}};
}

Json ExtractSchema(size_t max_claims) {
  Json claim = {{"type", "object"},
                {"additionalProperties", false},
                {"required", {"quote", "type", "summary"}},
                {"properties",
                 {{"quote", {{"type", "string"}, {"maxLength", 1500}}},
                  {"type", {{"enum", {"method", "task", "dataset", "result", "theory", "analysis"}}}},
                  {"summary", {{"type", "string"}, {"maxLength", 300}}}}}};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", {"methods", "problems", "datasets", "metrics", "results", "claims"}},
          {"properties",
           {{"methods", StringList(20)},
            {"problems", StringList(20)},
            {"datasets", StringList(20)},
            {"metrics", StringList(20)},
            {"results", StringList(20)},
            {"claims", {{"type", "array"}, {"maxItems", static_cast<int>(max_claims)}, {"items", claim}}}}}};
}

std::vector<std::string> Strings(const Json& list) {
  std::vector<std::string> out;
  for (const Json& s : list) out.push_back(s.get<std::string>());
  return out;
}

}  // namespace

LlmRequest LlmExtractor::Request(const Submission& submission) const {
  LlmRequest r;
  r.system = ExtractPrompt().text;
  Json input = {{"title", submission.title},
                {"abstract", submission.abstract},
                {"introduction", PrefixAtSentence(submission.introduction, options_.max_introduction_bytes)}};
  r.user = DumpJson(input, 1);
  r.schema_name = "novelta_claims";
  r.schema = ExtractSchema(options_.max_claims);
  r.max_tokens = options_.max_tokens;
  return r;
}

StatusOr<LlmExtraction> LlmExtractor::Extract(const Submission& submission) const {
  LlmExtraction out;
  NOVELTA_ASSIGN_OR_RETURN(out.answer, client_->Complete(Request(submission)));
  const Json& a = out.answer.content;
  out.representation = {{"methods", a["methods"]},   {"problems", a["problems"]}, {"datasets", a["datasets"]},
                        {"metrics", a["metrics"]},   {"results", a["results"]}};
  const std::string introduction = PrefixAtSentence(submission.introduction, options_.max_introduction_bytes);
  // Fields in the order a reader meets them; a quote is looked up in each.
  const std::vector<std::pair<const char*, const std::string*>> fields = {
      {"title", &submission.title}, {"abstract", &submission.abstract}, {"introduction", &introduction}};
  std::set<std::pair<int, size_t>> seen;
  std::vector<std::pair<std::pair<int, size_t>, Claim>> found;
  for (const Json& c : a["claims"]) {
    std::optional<std::pair<size_t, size_t>> at;
    int field = 0;
    for (; field < static_cast<int>(fields.size()) && !at; ++field) {
      at = FindVerbatim(*fields[field].second, c["quote"].get<std::string>());
      if (at) break;
    }
    if (!at) {
      ++out.dropped;
      continue;
    }
    if (!seen.insert({field, at->first}).second) continue;  // the same sentence quoted twice
    Claim claim;
    claim.span = {fields[field].first, at->first, at->second};
    claim.text = fields[field].second->substr(at->first, at->second - at->first);
    auto type = ParseClaimType(c["type"].get<std::string>());
    claim.type = type.ok() ? *type : ClaimType::kMethod;
    claim.cue = "llm";
    claim.score = 1.0;
    claim.facets["object"] = {c["summary"].get<std::string>()};
    claim.facets["method"] = Strings(a["methods"]);
    claim.facets["task"] = Strings(a["problems"]);
    claim.facets["dataset"] = Strings(a["datasets"]);
    claim.facets["metric"] = Strings(a["metrics"]);
    found.push_back({{field, at->first}, std::move(claim)});
  }
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [where, claim] : found) {
    claim.id = "c" + std::to_string(out.claims.size() + 1);
    out.claims.push_back(std::move(claim));
  }
  return out;
}

}  // namespace novelta
