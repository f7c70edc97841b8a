// The route table of NoveltyService: every route of the API in one place, how
// a request finds its route, and the OpenAPI document (GET /openapi.json)
// written from the table, so that the API and its description cannot part.
#include <cstdlib>

#include "base/text.h"
#include "services/service_context.h"

namespace novelta {

using service_internal::Access;
using service_internal::Route;
using service_internal::Routes;

// A friend of NoveltyService: the table points at its private handlers.
struct ServiceRoutes {
  static const std::vector<Route>& Get();
};

const std::vector<Route>& ServiceRoutes::Get() {
  using S = NoveltyService;
  static const std::vector<Route> routes = {
      {"GET", "/healthz", Access::kPublic, &S::Healthz, "healthz", "Liveness: the process answers", "", "200",
       "application/json"},
      {"GET", "/readyz", Access::kPublic, &S::Readyz, "readyz",
       "Readiness: the index is loaded and the service is not shutting down", "", "200", "application/json"},
      {"GET", "/metrics", Access::kRead, &S::Metrics, "metrics", "Prometheus metrics", "", "200",
       "text/plain"},
      {"GET", "/openapi.json", Access::kPublic, &S::OpenApi, "openapi", "This OpenAPI document", "", "200",
       "application/json"},
      {"POST", "/v1/assessments", Access::kWrite, &S::CreateAssessment, "createAssessment",
       "Queue a novelty assessment of one submission (JSON, PDF or Markdown); ?wait=SECONDS answers 200 "
       "with the report when it finishes in time",
       "application/json,application/pdf,text/markdown", "202,200", "application/json"},
      {"POST", "/v1/assessments:batch", Access::kWrite, &S::CreateBatch, "createAssessmentBatch",
       "Queue one assessment per submission of {\"submissions\": [...]}", "application/json", "202",
       "application/json"},
      {"GET", "/v1/assessments", Access::kRead, &S::ListAssessments, "listAssessments",
       "List assessments, newest first (?status=&limit=&cursor=)", "", "200", "application/json"},
      {"GET", "/v1/assessments/{id}", Access::kRead, &S::GetAssessment, "getAssessment",
       "An assessment's status, and its report when done", "", "200", "application/json"},
      {"DELETE", "/v1/assessments/{id}", Access::kWrite, &S::DeleteAssessment, "deleteAssessment",
       "Delete an assessment (a queued one will not run)", "", "204", ""},
      {"GET", "/v1/assessments/{id}/report.html", Access::kRead, &S::GetReportHtml, "getReportHtml",
       "The finished report as a self-contained HTML page", "", "200", "text/html"},
      {"GET", "/v1/assessments/{id}/report.md", Access::kRead, &S::GetReportMarkdown, "getReportMarkdown",
       "The finished report as Markdown", "", "200", "text/markdown"},
      {"POST", "/v1/claims", Access::kWrite, &S::ExtractClaims, "extractClaims",
       "Stage 1 alone: the claims of a submission, synchronously", "application/json,application/pdf,text/markdown",
       "200", "application/json"},
      {"POST", "/v1/related", Access::kWrite, &S::FindRelated, "findRelated",
       "Stage 2 alone: related prior work of a submission, synchronously (?top_k=)",
       "application/json,application/pdf,text/markdown", "200", "application/json"},
  };
  return routes;
}

namespace service_internal {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool MatchPattern(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                  std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> p;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& seg = pattern[i];
    // "{id}" or "{id}/report.html"-style segments: a parameter then a fixed suffix.
    if (!seg.empty() && seg.front() == '{') {
      size_t close = seg.find('}');
      std::string suffix = seg.substr(close + 1);
      if (path[i].size() <= suffix.size() || !EndsWith(path[i], suffix)) return false;
      p[seg.substr(1, close - 1)] = path[i].substr(0, path[i].size() - suffix.size());
    } else if (seg != path[i]) {
      return false;
    }
  }
  *params = std::move(p);
  return true;
}

}  // namespace

const std::vector<Route>& Routes() { return ServiceRoutes::Get(); }

const Route* FindRoute(const std::string& method, std::string_view path,
                       std::map<std::string, std::string>* params, std::string* allowed) {
  std::vector<std::string> segments = SplitPath(path);
  allowed->clear();
  for (const Route& route : Routes()) {
    std::map<std::string, std::string> p;
    if (!MatchPattern(SplitPath(route.pattern), segments, &p)) continue;
    if (method == route.method) {
      *params = std::move(p);
      return &route;
    }
    *allowed += allowed->empty() ? route.method : std::string(", ") + route.method;
  }
  return nullptr;
}

}  // namespace service_internal

// ---------------------------------------------------------------------------
// OpenAPI

namespace {

// "a,b,c" -> {"a", "b", "c"}: the lists of a route's media types and codes.
std::vector<std::string> SplitCommas(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The schemas and security schemes the operations refer to.
Json OpenApiComponents() {
  Json problem = {{"type", "object"},
                  {"required", {"type", "title", "status", "detail", "request_id"}},
                  {"properties",
                   {{"type", {{"type", "string"}}},
                    {"title", {{"type", "string"}}},
                    {"status", {{"type", "integer"}}},
                    {"detail", {{"type", "string"}}},
                    {"request_id", {{"type", "string"}}}}}};
  Json submission = {{"type", "object"},
                     {"required", {"title", "abstract"}},
                     {"properties",
                      {{"title", {{"type", "string"}}},
                       {"abstract", {{"type", "string"}}},
                       {"fulltext", {{"type", "string"}, {"description", "Markdown full text"}}},
                       {"submitted", {{"type", "string"}, {"description", "YYYY, YYYY-MM or YYYY-MM-DD"}}},
                       {"external_id", {{"type", "string"}}}}}};
  Json job = {{"type", "object"},
              {"required", {"id", "status"}},
              {"properties",
               {{"id", {{"type", "string"}}},
                {"status", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed"}}}},
                {"progress", {{"type", "object"}}},
                {"error", {{"type", "string"}}},
                {"report", {{"type", "object"}, {"description", "NoveltyReport (docs/report.schema.json)"}}}}}};
  return {
      {"schemas", {{"Problem", problem}, {"Submission", submission}, {"Assessment", job}}},
      {"securitySchemes",
       {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
        {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}}};
}

// The OpenAPI operation of one route.
Json OpenApiOperation(const Route& r) {
  std::string path = r.pattern;
  Json op = {{"operationId", r.operation_id}, {"summary", r.summary}};
  if (path.find("{id}") != std::string::npos) {
    op["parameters"] = Json::array({{{"name", "id"}, {"in", "path"}, {"required", true},
                                     {"schema", {{"type", "string"}}}}});
  }
  if (r.access == Access::kPublic) {
    op["security"] = Json::array();
  } else {
    op["security"] = Json::array({{{"bearer", Json::array()}}, {{"apiKey", Json::array()}}});
  }
  std::vector<std::string> types = SplitCommas(r.request_types);
  if (!types.empty()) {
    Json content = Json::object();
    for (const std::string& t : types) {
      if (t == "application/json") {
        content[t] = {{"schema", {{"$ref", "#/components/schemas/Submission"}}}};
      } else {
        content[t] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
      }
    }
    op["requestBody"] = {{"required", true}, {"content", content}};
  }
  Json responses = Json::object();
  for (const std::string& code : SplitCommas(r.success)) {
    Json resp = {{"description", HttpReasonPhrase(std::atoi(code.c_str()))}};
    if (*r.produces) {
      Json schema = std::string(r.produces) == "application/json" && path.rfind("/v1/assessments", 0) == 0
                        ? Json{{"$ref", "#/components/schemas/Assessment"}}
                        : Json{{"type", std::string(r.produces) == "application/json" ? "object" : "string"}};
      resp["content"] = {{r.produces, {{"schema", schema}}}};
    }
    responses[code] = resp;
  }
  responses["default"] = {{"description", "A problem (400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 429, 431, 501, 503, 505)"},
                          {"content", {{"application/problem+json",
                                        {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  op["responses"] = responses;
  return op;
}

}  // namespace

Json NoveltyService::OpenApiDocument() {
  Json paths = Json::object();
  for (const Route& r : Routes()) paths[std::string(r.pattern)][ToLowerAscii(r.method)] = OpenApiOperation(r);
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "novelta"},
            {"version", "0.1.0"},
            {"description", "Evidence-backed novelty assessment of paper submissions"}}},
          {"paths", paths},
          {"components", OpenApiComponents()}};
}

}  // namespace novelta
