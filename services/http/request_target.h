// The request target (RFC 9112 section 3.2) as the service sees it: the
// percent-decoded path and query parameters. Shared by the HTTP server and
// the request fuzzer, so the fuzzer exercises the decoding the server does.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_SERVICES_HTTP_REQUEST_TARGET_H_
#define NOVELTA_SERVICES_HTTP_REQUEST_TARGET_H_

#include <map>
#include <string>
#include <string_view>

#include "novelta/status.h"

namespace novelta {

// Splits an origin-form target ("/v1/x?a=1&b=%20") into its decoded path and
// query parameters (the last of a repeated name wins; '+' stays '+'). The
// absolute form ("http://host/v1/x") is accepted and its authority dropped.
// InvalidArgument for anything else: a target not starting with '/', a bad
// or truncated %-escape, or a path that decodes to a NUL byte.
Status ParseRequestTarget(std::string_view target, std::string* path, std::map<std::string, std::string>* query);

// Decodes %XX escapes; false on a bad or truncated escape.
bool PercentDecode(std::string_view in, std::string* out);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_HTTP_REQUEST_TARGET_H_
