// Reading a request of the REST API: its id, media type, API key and query
// parameters, and the submission in its body (JSON, or a PDF or Markdown
// upload read by the ingest stage when it is built). The first group are pure
// functions of the request; the second answers the request with its problem
// (415, 400) when it cannot be read, so every upload route refuses alike.
//
// Thread-safety: pure functions; the Context ones answer only their own request.
#ifndef NOVELTA_SERVICES_SERVICE_REQUEST_H_
#define NOVELTA_SERVICES_SERVICE_REQUEST_H_

#include <string>

#include "base/json.h"
#include "novelta/model.h"
#include "novelta/options.h"
#include "services/http_types.h"
#include "services/service_context.h"

namespace novelta {
namespace service_internal {

// A caller's X-Request-Id is kept when it is 1 to 128 of A-Z a-z 0-9 - _ . :
bool ValidRequestId(const std::string& id);

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(const HttpRequest& req);

// The key of "Authorization: Bearer KEY", else of "X-API-Key: KEY", else "".
std::string PresentedKey(const HttpRequest& req);

// The integer query parameter `name`, `def` when absent; InvalidArgument
// unless it is an integer in [lo, hi].
StatusOr<int> IntParam(const HttpRequest& req, const char* name, int def, int lo, int hi);

// A submission from a JSON object: {"title","abstract","fulltext"?,"submitted"?,"external_id"?}.
// `what` names the object in errors ("request body", "submissions[3]").
StatusOr<Submission> SubmissionFromRequestJson(const Json& j, const std::string& what);

// True for the media types an upload route reads: JSON, PDF and Markdown.
bool SupportedUpload(const std::string& media);

// The request's media type when SupportedUpload; else answers 415 and returns "".
std::string UploadMediaType(NoveltyService::Context& ctx);

// The submission in the request body of media type `media` (query
// parameters external_id and submitted apply to uploads); false after
// answering 415 (a media type this build cannot read) or 400.
bool ReadSubmission(NoveltyService::Context& ctx, const std::string& media, const IngestLimits& limits,
                    Submission* out);

}  // namespace service_internal
}  // namespace novelta

#endif  // NOVELTA_SERVICES_SERVICE_REQUEST_H_
