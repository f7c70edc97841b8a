// HttpServer: serves a NoveltyService-style handler over HTTP with cpprestsdk's
// http_listener. The only code that knows cpprestsdk.
//
// Every request is handed at once to our own bounded executor (never handled
// on cpprest's thread pool); when that queue is full the request gets 503.
// Bodies are capped here, since cpprest has no limit of its own: a
// Content-Length past the limit is refused with 413 before the body is read,
// and a body without one is read up to the limit, then refused; a body that
// does not arrive within the timeout gets 408.
//
// Thread-safety: Stop may be called from any thread, once.
#ifndef NOVELTA_SERVICES_HTTP_HTTP_SERVER_H_
#define NOVELTA_SERVICES_HTTP_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "novelta/status.h"
#include "services/http_types.h"

namespace novelta {

struct HttpServerOptions {
  // Address and port to listen on. Defaults: 127.0.0.1:8080; port 0 picks a free port.
  std::string host = "127.0.0.1";
  int port = 8080;
  // Largest body read; past it the answer is 413. Default: 16 MiB.
  int64_t max_body_bytes = 16ll << 20;
  // Time allowed for the whole body to arrive. Default: 30 s.
  int body_timeout_seconds = 30;
  // Threads handling requests, and requests allowed to wait for one. Defaults: 8, 256.
  int threads = 8;
  int queue = 256;
};

class HttpServer {
 public:
  using Handler = std::function<void(HttpRequest, HttpReply)>;

  // Starts listening. IOError naming the address when it cannot (port in use).
  static StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options, Handler handler);
  ~HttpServer();  // Stop()

  // The port actually listened on.
  int port() const;
  // Stops accepting connections, then finishes the requests already taken.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for tests and port 0).
StatusOr<int> FindFreePort();

}  // namespace novelta

#endif  // NOVELTA_SERVICES_HTTP_HTTP_SERVER_H_
