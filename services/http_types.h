// The HTTP request and response as the service core sees them: plain values
// with no HTTP library behind them, so the router and handlers can be tested
// without a socket and the server (services/http) is the only code that knows
// the HTTP library.
//
// Thread-safety: plain values.
#ifndef NOVELTA_SERVICES_HTTP_TYPES_H_
#define NOVELTA_SERVICES_HTTP_TYPES_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace novelta {

// Header names compare case-insensitively (RFC 9110).
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using HttpHeaders = std::map<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, no query: "/v1/assessments/abc"
  std::map<std::string, std::string> query;  // decoded query parameters (last one wins)
  HttpHeaders headers;
  std::string body;    // at most the configured body limit
  std::string remote;  // peer address, for logs

  // The header's value, or "" when absent.
  std::string Header(std::string_view name) const;
  // Value of a query parameter, or nullptr.
  const std::string* Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;

  void SetJsonBody(std::string body_text, int status_code);
};

// How a handler answers; may be called on any thread, exactly once.
using HttpReply = std::function<void(HttpResponse)>;

}  // namespace novelta

#endif  // NOVELTA_SERVICES_HTTP_TYPES_H_
