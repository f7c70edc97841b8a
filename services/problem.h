// Problem details (RFC 9457): the body of every error response, and the one
// place where core Status codes become HTTP status codes.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_SERVICES_PROBLEM_H_
#define NOVELTA_SERVICES_PROBLEM_H_

#include <string>
#include <string_view>

#include "novelta/status.h"
#include "services/http_types.h"

namespace novelta {

// The HTTP status for a core Status: InvalidArgument 400, NotFound 404,
// AlreadyExists 409, ResourceExhausted 503 (a full job queue, or full storage
// under the state directory), FailedPrecondition 503 (not ready, or state that
// cannot be written), PermissionDenied 403, Unauthenticated 401, Cancelled 409,
// everything else 500.
int HttpStatusFor(const Status& status);

// An application/problem+json response. `type_slug` becomes the problem type
// URI "urn:novelta:problem:<slug>"; `title` is the short, fixed summary of
// the problem type and `detail` says what went wrong with this request.
HttpResponse MakeProblem(int status, std::string_view type_slug, std::string_view title,
                         std::string_view detail, std::string_view request_id);
// The problem for a failed core Status, with its message as the detail.
// Internal errors get a generic detail so nothing internal leaks out.
HttpResponse ProblemFromStatus(const Status& status, std::string_view request_id);

// The standard reason phrase: 404 -> "Not Found".
const char* HttpReasonPhrase(int status);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_PROBLEM_H_
