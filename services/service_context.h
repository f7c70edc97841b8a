// Inside NoveltyService (not for other callers): the route table's entry and
// the request being handled, shared by the files the service is written in:
// service.cc (lifecycle, dispatch, waiting for jobs), service_routes.cc (the
// route table; openapi.cc writes the OpenAPI document from it), service_request.cc
// (reading requests) and one file of handlers per resource
// (service_operations.cc, service_assessments.cc, service_stages.cc).
//
// Thread-safety: a Context belongs to one request; handlers that answer later
// keep it alive through Context::self and answer it from any thread.
#ifndef NOVELTA_SERVICES_SERVICE_CONTEXT_H_
#define NOVELTA_SERVICES_SERVICE_CONTEXT_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/problem.h"
#include "services/service.h"

namespace novelta {
namespace service_internal {

// Who may call a route: anyone, or a key of at least read or write scope.
enum class Access { kPublic, kRead, kWrite };

// A success answer of a route: its status, the name of its body's schema in
// the OpenAPI document's components ("" when the body has none of its own),
// and the headers it carries besides the rate limit's (comma-separated;
// openapi.cc knows each).
struct Answer {
  int status;
  const char* schema;
  const char* headers = "";
};

// One route of the table (service_routes.cc); the OpenAPI document
// (openapi.cc) is written from these fields.
struct Route {
  const char* method;
  const char* pattern;  // "{id}" matches one path segment
  Access access;
  NoveltyService::Handler handler;
  const char* operation_id;
  const char* summary;
  const char* request_types;      // comma-separated media types of the body, "" for none
  const char* request_schema;     // schema of an application/json body
  const char* parameters;         // comma-separated query and header parameters (openapi.cc knows each)
  std::vector<Answer> success;    // the usual answer first
  const char* produces;           // media type of the success body, "" for none
  // What the route's handler refuses requests with, each as
  // application/problem+json. The refusals every route shares (the HTTP
  // layer's limits) and those of admission (401 and 429 without a valid key
  // or over its rate, 403 for a key without the write scope) follow from the
  // route's access and body and are not listed here.
  std::vector<int> problems;
};

// Every route, in the order they are matched and documented.
const std::vector<Route>& Routes();

// The route for `method` on `path`, with its path parameters in `params`;
// nullptr when there is none, and then `allowed` lists the methods the path
// has ("GET, DELETE"), "" for an unknown path.
const Route* FindRoute(const std::string& method, std::string_view path,
                       std::map<std::string, std::string>* params, std::string* allowed);

}  // namespace service_internal

struct NoveltyService::Context {
  HttpRequest req;
  std::string request_id;
  const service_internal::Route* route = nullptr;
  std::map<std::string, std::string> params;  // path parameters
  ApiKeyInfo key;                             // the caller (name "" without keys)
  HttpHeaders extra_headers;                  // rate-limit headers, added to every answer
  HttpReply reply;                            // finishes the request (logs, metrics)
  std::weak_ptr<Context> self;                // for handlers that answer later

  void Reply(HttpResponse r) { reply(std::move(r)); }
  void Json(int status, const novelta::Json& body) {
    HttpResponse r;
    r.SetJsonBody(DumpJson(body), status);
    reply(std::move(r));
  }
  void Problem(int status, std::string_view slug, std::string_view title, std::string_view detail) {
    reply(MakeProblem(status, slug, title, detail, request_id));
  }
  void Fail(const Status& s) { reply(ProblemFromStatus(s, request_id)); }
  // A refusal the client may retry (429, 503) after `retry_after_seconds`.
  void RetryLater(int status, std::string_view slug, std::string_view title, std::string_view detail,
                  int retry_after_seconds) {
    HttpResponse r = MakeProblem(status, slug, title, detail, request_id);
    r.headers["Retry-After"] = std::to_string(retry_after_seconds);
    reply(std::move(r));
  }
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_SERVICE_CONTEXT_H_
