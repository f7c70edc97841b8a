// The route table of NoveltyService: every route of the API in one place, and
// how a request finds its route. The OpenAPI document (GET /openapi.json) is
// written from the table (openapi.cc), so that the API and its description
// cannot part.
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
  // The media types a submission may come in.
  const char* kUploads = "application/json,application/pdf,text/markdown";
  // What the answer to a new assessment carries: where it is, and whether the
  // answer is that of an earlier request with the same Idempotency-Key.
  const char* kCreated = "Location,Idempotent-Replayed";
  static const std::vector<Route> routes = {
      {"GET", "/healthz", Access::kPublic, &S::Healthz, "healthz", "Liveness: the process answers", "", "", "",
       {{200, "Health"}}, "application/json", {}},
      {"GET", "/readyz", Access::kPublic, &S::Readyz, "readyz",
       "Readiness: the index is loaded, the database answers, and the service is not shutting down", "", "", "",
       {{200, "Readiness"}}, "application/json", {503}},
      {"GET", "/metrics", Access::kRead, &S::Metrics, "metrics", "Prometheus metrics", "", "", "", {{200, ""}},
       "text/plain", {}},
      {"GET", "/openapi.json", Access::kPublic, &S::OpenApi, "openapi", "This OpenAPI document", "", "", "",
       {{200, ""}}, "application/json", {}},
      {"POST", "/v1/assessments", Access::kWrite, &S::CreateAssessment, "createAssessment",
       "Queue a novelty assessment of one submission (JSON, PDF or Markdown); ?wait=SECONDS answers 200 "
       "with the assessment when it finishes in time",
       kUploads, "Submission", "wait,top_k,submitted,external_id,Idempotency-Key",
       {{202, "AssessmentAccepted", kCreated}, {200, "Assessment", kCreated}}, "application/json", {400, 415, 422, 503}},
      {"POST", "/v1/assessments:batch", Access::kWrite, &S::CreateBatch, "createAssessmentBatch",
       "Queue one assessment per submission of {\"submissions\": [...]}, all or none", "application/json",
       "SubmissionBatch", "top_k,Idempotency-Key", {{202, "BatchAccepted"}}, "application/json",
       {400, 415, 422, 503}},
      {"GET", "/v1/assessments", Access::kRead, &S::ListAssessments, "listAssessments",
       "List assessments, newest first", "", "", "status,limit,cursor", {{200, "AssessmentList"}},
       "application/json", {400}},
      {"GET", "/v1/assessments/{id}", Access::kRead, &S::GetAssessment, "getAssessment",
       "An assessment's status, and its report when done", "", "", "", {{200, "Assessment"}}, "application/json",
       {404}},
      {"DELETE", "/v1/assessments/{id}", Access::kWrite, &S::DeleteAssessment, "deleteAssessment",
       "Delete an assessment (a queued one will not run)", "", "", "", {{204, ""}}, "", {404}},
      {"GET", "/v1/assessments/{id}/report.html", Access::kRead, &S::GetReportHtml, "getReportHtml",
       "The finished report as a self-contained HTML page", "", "", "", {{200, ""}}, "text/html", {404, 409}},
      {"GET", "/v1/assessments/{id}/report.md", Access::kRead, &S::GetReportMarkdown, "getReportMarkdown",
       "The finished report as Markdown", "", "", "", {{200, ""}}, "text/markdown", {404, 409}},
      {"POST", "/v1/claims", Access::kWrite, &S::ExtractClaims, "extractClaims",
       "Stage 1 alone: the claims of a submission, synchronously", kUploads, "Submission",
       "submitted,external_id", {{200, "ExtractedClaims"}}, "application/json", {400, 415, 503}},
      {"POST", "/v1/related", Access::kWrite, &S::FindRelated, "findRelated",
       "Stage 2 alone: related prior work of a submission, synchronously", kUploads, "Submission",
       "top_k,submitted,external_id", {{200, "RelatedWork"}}, "application/json", {400, 415, 503}},
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

}  // namespace novelta
