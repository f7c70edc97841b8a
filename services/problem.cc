#include "services/problem.h"

#include <cctype>

#include "base/json.h"

namespace novelta {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int ca = std::tolower(static_cast<unsigned char>(a[i]));
    int cb = std::tolower(static_cast<unsigned char>(b[i]));
    if (ca != cb) return ca < cb;
  }
  return a.size() < b.size();
}

std::string HttpRequest::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

const std::string* HttpRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? nullptr : &it->second;
}

void HttpResponse::SetJsonBody(std::string body_text, int status_code) {
  status = status_code;
  headers["Content-Type"] = "application/json";
  body = std::move(body_text);
}

int HttpStatusFor(const Status& status) {
  using C = Status::Code;
  switch (status.code()) {
    case C::kOk: return 200;
    case C::kInvalidArgument: return 400;
    case C::kNotFound: return 404;
    case C::kAlreadyExists: return 409;
    case C::kResourceExhausted: return 503;
    case C::kFailedPrecondition: return 503;
    case C::kPermissionDenied: return 403;
    case C::kUnauthenticated: return 401;
    case C::kCancelled: return 409;
    default: return 500;
  }
}

const char* HttpReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

HttpResponse MakeProblem(int status, std::string_view type_slug, std::string_view title,
                         std::string_view detail, std::string_view request_id) {
  Json j = {{"type", "urn:novelta:problem:" + std::string(type_slug)},
            {"title", std::string(title)},
            {"status", status},
            {"detail", std::string(detail)},
            {"request_id", std::string(request_id)}};
  HttpResponse r;
  r.status = status;
  r.headers["Content-Type"] = "application/problem+json";
  r.body = DumpJson(j);
  return r;
}

HttpResponse ProblemFromStatus(const Status& status, std::string_view request_id) {
  int code = HttpStatusFor(status);
  using C = Status::Code;
  switch (status.code()) {
    case C::kInvalidArgument:
      return MakeProblem(code, "invalid-request", "The request is invalid", status.message(), request_id);
    case C::kNotFound:
      return MakeProblem(code, "not-found", "Not found", status.message(), request_id);
    case C::kAlreadyExists:
    case C::kCancelled:
      return MakeProblem(code, "conflict", "Conflict", status.message(), request_id);
    case C::kResourceExhausted:
      // The core's message names the server's files; a client needs only the cause.
      if (status.message().find("storage full") != std::string::npos)
        return MakeProblem(code, "overloaded", "The service is at capacity",
                           "storage full: the server cannot store this request now; retry later",
                           request_id);
      return MakeProblem(code, "overloaded", "The service is at capacity", status.message(), request_id);
    case C::kFailedPrecondition:
      return MakeProblem(code, "unavailable", "The service is not ready", status.message(), request_id);
    case C::kPermissionDenied:
      return MakeProblem(code, "forbidden", "Forbidden", status.message(), request_id);
    case C::kUnauthenticated:
      return MakeProblem(code, "unauthenticated", "Authentication required", status.message(), request_id);
    default:
      return MakeProblem(500, "internal", "Internal error",
                         "the server failed to handle the request; see its log for request " +
                             std::string(request_id),
                         request_id);
  }
}

}  // namespace novelta
