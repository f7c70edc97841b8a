// NoveltyService::OpenApiDocument: the OpenAPI 3.1 document GET /openapi.json
// serves, written from the route table (service_routes.cc) and from
// docs/report.schema.json, which is embedded in the binary as the report's
// schema. Every operation lists the problems it can answer with: those its
// handler answers (the table's `problems`), those of admission (from the
// route's access) and the body limit (from its request body); a 4XX and a
// 5XX range cover what the HTTP layer and the server answer on any route.
#include "services/openapi.h"

#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "services/service_context.h"

namespace novelta {

using service_internal::Access;
using service_internal::Answer;
using service_internal::Route;
using service_internal::Routes;

namespace service_internal {

Json ReportSchema() {
  auto parsed = ParseJson(ReportSchemaText(), "docs/report.schema.json", 256);
  // The text is the file the binary was built with; a test reads it back.
  if (!parsed.ok() || !parsed->is_object()) return Json{{"type", "object"}};
  Json schema = std::move(*parsed);
  schema.erase("$id");
  schema.erase("$schema");
  return schema;
}

}  // namespace service_internal

namespace {

using service_internal::ReportSchema;

const char* const kJson = "application/json";
const char* const kProblemJson = "application/problem+json";

Json Ref(const std::string& kind, const std::string& name) {
  return {{"$ref", "#/components/" + kind + "/" + name}};
}

Json StringSchema(const char* description) { return {{"type", "string"}, {"description", description}}; }

Json ObjectSchema(Json required, Json properties) {
  return {{"type", "object"}, {"required", std::move(required)}, {"properties", std::move(properties)}};
}

// "a,b,c" -> {"a", "b", "c"}: the lists of a route's media types and parameters.
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

// ---------------------------------------------------------------------------
// Schemas

// RFC 9457 problem details, as MakeProblem (problem.cc) writes them.
Json ProblemSchema() {
  return ObjectSchema(
      {"type", "title", "status", "detail", "request_id"},
      {{"type", {{"type", "string"}, {"format", "uri"}, {"examples", {"urn:novelta:problem:not-found"}},
                 {"description", "urn:novelta:problem:<slug>: what kind of problem it is"}}},
       {"title", StringSchema("the short, fixed summary of the problem type")},
       {"status", {{"type", "integer"}, {"minimum", 400}, {"maximum", 599}, {"description", "the HTTP status"}}},
       {"detail", StringSchema("what went wrong with this request")},
       {"request_id", StringSchema("the request's X-Request-Id, to find it in the server's log")}});
}

// A submission as a JSON body (service_request.cc, SubmissionFromRequestJson).
Json SubmissionSchema() {
  Json optional_string = {{"type", {"string", "null"}}};
  Json s = ObjectSchema({"title"}, {{"title", {{"type", "string"}, {"minLength", 1}}},
                                    {"abstract", optional_string},
                                    {"fulltext", optional_string},
                                    {"submitted", optional_string},
                                    {"external_id", optional_string}});
  s["description"] = "A paper submission; 'abstract' or 'fulltext' must be given";
  s["properties"]["abstract"]["description"] = "the abstract; may be left out when 'fulltext' has one";
  s["properties"]["fulltext"]["description"] = "the full text as Markdown";
  s["properties"]["submitted"]["description"] = "YYYY, YYYY-MM or YYYY-MM-DD: prior work is dated before it";
  s["properties"]["external_id"]["description"] = "the caller's own id, kept in the report";
  return s;
}

// The job object of GET /v1/assessments/{id} (NoveltyService::JobToJson).
Json AssessmentSchema() {
  Json time = {{"type", "string"}, {"format", "date-time"}};
  Json link = {{"type", "string"}, {"format", "uri-reference"}};
  Json progress = ObjectSchema(
      {"stage"}, {{"stage", {{"enum", {"queued", "assessing", "done"}}}},
                  {"queued_ahead", {{"type", "integer"}, {"minimum", 0}, {"description", "jobs that run first"}}},
                  {"elapsed_seconds", {{"type", "number"}, {"minimum", 0}}}});
  Json links = ObjectSchema({"self", "report_html", "report_md"},
                            {{"self", link}, {"report_html", link}, {"report_md", link}});
  Json job = ObjectSchema(
      {"id", "status", "created_at", "attempts", "links"},
      {{"id", {{"type", "string"}}},
       {"status", Ref("schemas", "AssessmentStatus")},
       {"created_at", time},
       {"started_at", time},
       {"finished_at", time},
       {"attempts", {{"type", "integer"}, {"minimum", 0}}},
       {"links", links},
       {"progress", progress},
       {"error", StringSchema("why the assessment failed (status 'failed')")},
       {"report", Ref("schemas", "NoveltyReport")}});
  job["description"] =
      "An assessment job; 'report' is there once it is done (not in lists), 'progress' while it is queued "
      "or running and once it is done";
  return job;
}

// The stage-1 claim (ToJson(Claim)): the report's claim without what
// comparing it adds (verdict, confidence, evidence, ...).
Json ExtractedClaimSchema(const Json& report) {
  Json claim = report["properties"]["claims"]["items"];
  Json properties = Json::object();
  Json required = Json::array();
  for (const char* field : {"id", "text", "type", "facets", "span", "also_at", "cue", "extraction_score"}) {
    properties[field] = claim["properties"][field];
    for (const Json& r : claim["required"])
      if (r == field) required.push_back(field);
  }
  return ObjectSchema(std::move(required), std::move(properties));
}

Json Schemas() {
  Json report = ReportSchema();
  Json status = {{"type", "string"}, {"enum", {"queued", "running", "done", "failed"}}};
  Json accepted_job = ObjectSchema({"id", "status", "location"},
                                   {{"id", {{"type", "string"}}},
                                    {"status", {{"const", "queued"}}},
                                    {"location", {{"type", "string"}, {"format", "uri-reference"}}}});
  Json index = ObjectSchema({"index_id", "papers", "built_at"}, {{"index_id", {{"type", "string"}}},
                                                                 {"papers", {{"type", "integer"}}},
                                                                 {"built_at", {{"type", "string"}}}});
  return {
      {"Problem", ProblemSchema()},
      {"Submission", SubmissionSchema()},
      {"SubmissionBatch", ObjectSchema({"submissions"}, {{"submissions", {{"type", "array"},
                                                                          {"minItems", 1},
                                                                          {"items", Ref("schemas", "Submission")},
                                                                          {"description", "1 to max_batch"}}}})},
      {"Health", ObjectSchema({"status"}, {{"status", {{"const", "ok"}}}})},
      {"Readiness", ObjectSchema({"status", "index", "queued"}, {{"status", {{"const", "ready"}}},
                                                                 {"index", index},
                                                                 {"queued", {{"type", "integer"}}},
                                                                 {"replica", {{"type", "string"}}}})},
      {"AssessmentStatus", status},
      {"AssessmentAccepted", ObjectSchema({"id", "status"}, {{"id", {{"type", "string"}}},
                                                             {"status", Ref("schemas", "AssessmentStatus")}})},
      {"BatchAccepted", ObjectSchema({"jobs"}, {{"jobs", {{"type", "array"}, {"items", accepted_job}}}})},
      {"Assessment", AssessmentSchema()},
      {"AssessmentList",
       ObjectSchema({"items", "next_cursor"},
                    {{"items", {{"type", "array"}, {"items", Ref("schemas", "Assessment")}}},
                     {"next_cursor", {{"type", {"string", "null"}}, {"description", "null on the last page"}}}})},
      {"ExtractedClaims", ObjectSchema({"claims"}, {{"claims", {{"type", "array"},
                                                                {"items", ExtractedClaimSchema(report)}}}})},
      {"RelatedWork", ObjectSchema({"related_work"}, {{"related_work", report["properties"]["related_work"]}})},
      {"NoveltyReport", std::move(report)},
  };
}

// ---------------------------------------------------------------------------
// Parameters, responses, security

// Every query and header parameter a route of the table may name.
Json Parameters() {
  auto query = [](const char* name, Json schema, const char* description) {
    return Json{{"name", name}, {"in", "query"}, {"schema", std::move(schema)}, {"description", description}};
  };
  return {
      {"wait", query("wait", {{"type", "integer"}, {"minimum", 0}},
                     "answer 200 with the assessment if it finishes within this many seconds (at most "
                     "max_wait_seconds), else 202 then; the wait holds no thread")},
      {"top_k", query("top_k", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}},
                      "prior works retrieved per query (default: the server's top_k)")},
      {"submitted", query("submitted", {{"type", "string"}},
                          "for a PDF or Markdown upload: its date, YYYY[-MM[-DD]]; prior work is dated before it")},
      {"external_id", query("external_id", {{"type", "string"}}, "for a PDF or Markdown upload: the caller's own id")},
      {"status", query("status", Ref("schemas", "AssessmentStatus"), "only assessments with this status")},
      {"limit", query("limit", {{"type", "integer"}, {"minimum", 1}},
                      "assessments per page (default 50, at most max_page_size)")},
      {"cursor", query("cursor", {{"type", "string"}}, "the next_cursor of the page before")},
      {"Idempotency-Key",
       {{"name", "Idempotency-Key"},
        {"in", "header"},
        {"schema", {{"type", "string"}, {"maxLength", 255}}},
        {"description",
         "the same key with the same request answers with the first job (Idempotent-Replayed: true); with "
         "another request, 422. Keys are per API key; in a batch, submission i uses KEY#i"}}},
      {"id", {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}},
              {"description", "the assessment's id"}}},
  };
}

// The problems an operation can answer with, by status.
struct ProblemKind {
  int status;
  const char* name;
  const char* description;
};

const std::vector<ProblemKind>& ProblemKinds() {
  static const std::vector<ProblemKind> kinds = {
      {400, "BadRequest",
       "The request is invalid: malformed JSON (with its byte offset), a missing or mistyped field, or a bad "
       "query parameter or header; the detail names it"},
      {401, "Unauthorized", "No valid API key: send one as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"},
      {403, "Forbidden", "The key has not the scope the route needs"},
      {404, "NotFound", "No assessment with this id that the key may see"},
      {409, "Conflict", "The assessment has not finished; its report exists once it is done"},
      {413, "ContentTooLarge", "The body is larger than the server's max_body_bytes"},
      {415, "UnsupportedMediaType",
       "A Content-Type the route does not read, or a Content-Encoding other than identity"},
      {422, "IdempotencyKeyReused", "The Idempotency-Key was used before with another request"},
      {429, "TooManyRequests",
       "The key is over its rate limit, or the address has failed to authenticate too often; retry after "
       "Retry-After seconds"},
      {503, "ServiceUnavailable",
       "The service cannot take the request now: it is not ready (shutting down, the index not loaded, the "
       "database not answering) or at capacity (the job queue, the storage or the request pool full); retry "
       "after Retry-After seconds"},
  };
  return kinds;
}

const ProblemKind* FindProblemKind(int status) {
  for (const ProblemKind& k : ProblemKinds())
    if (k.status == status) return &k;
  return nullptr;
}

Json ProblemResponse(const char* description, bool retry_after) {
  Json r = {{"description", description},
            {"content", {{kProblemJson, {{"schema", Ref("schemas", "Problem")}}}}}};
  if (retry_after) r["headers"] = {{"Retry-After", Ref("headers", "Retry-After")}};
  return r;
}

Json Responses() {
  Json out = Json::object();
  for (const ProblemKind& k : ProblemKinds()) {
    out[k.name] = ProblemResponse(k.description, k.status == 429 || k.status == 503);
  }
  out["Unauthorized"]["headers"] = {{"WWW-Authenticate", Ref("headers", "WWW-Authenticate")}};
  out["HttpRefusal"] = ProblemResponse(
      "Refused by the HTTP layer before the request reaches its route, on any route: malformed HTTP (400), "
      "a header or body that did not arrive in time (408), too many connections from this address (429), "
      "header fields too large (431); the connection is closed after the answer",
      true);
  out["ServerError"] = ProblemResponse(
      "The server failed (500; the detail names the request id to find in its log), cannot take the request "
      "now (503, retry after Retry-After seconds), or does not implement it (501, 505)",
      true);
  return out;
}

Json Headers() {
  Json integer = {{"schema", {{"type", "integer"}, {"minimum", 0}}}};
  Json h = {
      {"Retry-After", integer},
      {"RateLimit-Limit", integer},
      {"RateLimit-Remaining", integer},
      {"RateLimit-Reset", integer},
      {"WWW-Authenticate", {{"schema", {{"type", "string"}}}}},
      {"Location", {{"schema", {{"type", "string"}, {"format", "uri-reference"}}}}},
      {"Idempotent-Replayed", {{"schema", {{"const", "true"}}}}},
  };
  h["Retry-After"]["description"] = "seconds to wait before retrying";
  h["RateLimit-Limit"]["description"] = "requests the key may make at once (its burst)";
  h["RateLimit-Remaining"]["description"] = "requests the key may still make now";
  h["RateLimit-Reset"]["description"] = "seconds until the key's bucket is full again";
  h["WWW-Authenticate"]["description"] = "Bearer realm=\"novelta\"";
  h["Location"]["description"] = "the assessment's path: /v1/assessments/{id}";
  h["Idempotent-Replayed"]["description"] =
      "the answer is that of an earlier request with the same Idempotency-Key, and the job is that request's";
  return h;
}

Json SecuritySchemes() {
  return {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"description", "an API key: novelta keys create"}}},
          {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"},
                      {"description", "the same API key, in a header of its own"}}}};
}

// ---------------------------------------------------------------------------
// Operations

// The statuses of the problems `r` answers with besides the ranges.
std::set<int> ProblemStatuses(const Route& r) {
  std::set<int> codes(r.problems.begin(), r.problems.end());
  if (*r.request_types) codes.insert(413);
  if (r.access != Access::kPublic) {
    codes.insert(401);
    codes.insert(429);
  }
  if (r.access == Access::kWrite) codes.insert(403);
  return codes;
}

Json RequestBody(const Route& r) {
  Json content = Json::object();
  for (const std::string& type : SplitCommas(r.request_types)) {
    if (type == kJson) {
      content[type] = {{"schema", Ref("schemas", r.request_schema)}};
    } else {
      content[type] = {{"schema", {{"type", "string"}, {"contentMediaType", type}}}};
    }
  }
  return {{"required", true}, {"content", std::move(content)}};
}

Json SuccessResponse(const Route& r, const Answer& a) {
  Json resp = {{"description", HttpReasonPhrase(a.status)}};
  if (*r.produces) {
    Json schema = *a.schema ? Ref("schemas", a.schema)
                  : std::string(r.produces) == kJson
                      ? Json{{"type", "object"}, {"description", "an OpenAPI 3.1 document"}}
                      : Json{{"type", "string"}};
    resp["content"] = {{r.produces, {{"schema", std::move(schema)}}}};
  }
  Json headers = Json::object();
  if (r.access != Access::kPublic) {
    for (const char* name : {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"})
      headers[name] = Ref("headers", name);
  }
  for (const std::string& name : SplitCommas(a.headers)) headers[name] = Ref("headers", name);
  if (!headers.empty()) resp["headers"] = std::move(headers);
  return resp;
}

Json Operation(const Route& r) {
  Json op = {{"operationId", r.operation_id}, {"summary", r.summary}};
  Json parameters = Json::array();
  if (std::string(r.pattern).find("{id}") != std::string::npos) parameters.push_back(Ref("parameters", "id"));
  for (const std::string& name : SplitCommas(r.parameters)) parameters.push_back(Ref("parameters", name));
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  if (r.access == Access::kPublic) {
    op["security"] = Json::array();
  } else {
    op["security"] = Json::array({{{"bearer", Json::array()}}, {{"apiKey", Json::array()}}});
  }
  if (*r.request_types) op["requestBody"] = RequestBody(r);
  Json responses = Json::object();
  for (const Answer& a : r.success) responses[std::to_string(a.status)] = SuccessResponse(r, a);
  for (int status : ProblemStatuses(r)) {
    const ProblemKind* kind = FindProblemKind(status);
    // A status without a kind names no response; the document's lint fails on it.
    responses[std::to_string(status)] = Ref("responses", kind ? kind->name : "Status" + std::to_string(status));
  }
  responses["4XX"] = Ref("responses", "HttpRefusal");
  responses["5XX"] = Ref("responses", "ServerError");
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace

Json NoveltyService::OpenApiDocument() {
  Json paths = Json::object();
  for (const Route& r : Routes()) paths[std::string(r.pattern)][ToLowerAscii(r.method)] = Operation(r);
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "novelta"},
            {"version", "0.1.0"},
            {"summary", "Evidence-backed novelty assessment of paper submissions"},
            {"description",
             "Assesses the novelty of a paper submission against a corpus of prior work: its claims, the "
             "related work it builds on, a verdict per claim with verbatim evidence, and an overall "
             "conclusion with its reasoning. Errors are RFC 9457 problem details "
             "(application/problem+json)."}}},
          {"servers", {{{"url", "/"}, {"description", "the server this document is served from"}}}},
          {"paths", std::move(paths)},
          {"components",
           {{"schemas", Schemas()},
            {"parameters", Parameters()},
            {"responses", Responses()},
            {"headers", Headers()},
            {"securitySchemes", SecuritySchemes()}}}};
}

}  // namespace novelta
