// HttpServer: serves a NoveltyService-style handler over HTTP/1.1 with
// Boost.Beast on Boost.Asio. The only code that knows the HTTP library.
//
// Connections live in an event loop (a few I/O threads); a request reaches the
// handler only when its header and its whole body are in memory, checked
// against the limits below. Until then a slow or hostile client costs a socket
// and a buffer, never a request thread, and nothing is authenticated.
//   - Header: at most `max_header_bytes` (else 431) within
//     `header_timeout_seconds` (else 408); HTTP/1.0 and 1.1 only (else 505);
//     HTTP/1.1 needs one Host (else 400); anything that is not HTTP is 400.
//   - Body: `Content-Length` past `max_body_bytes` is 413 before a byte of
//     the body is read, and so is a chunked body once the bytes received pass
//     it; the body must arrive within `body_timeout_seconds` (else 408). A
//     `Content-Encoding` other than identity is 415; a `Transfer-Encoding`
//     other than chunked is 501. Bodies held at once are bounded by
//     `max_body_bytes_in_flight` (past it 503).
//   - Connections: at most `max_connections`, and `max_connections_per_address`
//     from one address (past them 503 and 429, then close). A kept-alive
//     connection idle for `idle_timeout_seconds` is closed. Pipelined requests
//     are answered one by one, in order.
// Every refusal closes the connection after its answer. The complete request
// is handed to a bounded executor (`threads`, `queue`); when that queue is
// full the answer is 503. A handler that has not answered within
// `handler_timeout_seconds` gets 503 sent for it.
//
// Thread-safety: Stop may be called from any thread, once or more.
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
  // Time allowed for the whole body to arrive, once the header has. Default: 30 s.
  int body_timeout_seconds = 30;
  // Largest request line and header fields together; past it 431. Default: 16 KiB.
  int max_header_bytes = 16 << 10;
  // Time allowed for the whole header, from the connection's start or, on a
  // kept-alive connection, from the next request's first byte. Default: 10 s.
  int header_timeout_seconds = 10;
  // A kept-alive connection waiting this long for its next request is closed. Default: 30 s.
  int idle_timeout_seconds = 30;
  // Time allowed for the client to take an answer. Default: 30 s.
  int write_timeout_seconds = 30;
  // Time the handler may take to answer one request before 503 is sent for it
  // (longer than the longest ?wait). Default: 120 s.
  int handler_timeout_seconds = 120;
  // Open connections in all, and from one client address (behind a proxy all
  // clients share its address). Defaults: 1024 and 128.
  int max_connections = 1024;
  int max_connections_per_address = 128;
  // Request bodies held in memory at once, over all connections (a body is
  // counted at its Content-Length, a chunked one at max_body_bytes). Default: 256 MiB.
  int64_t max_body_bytes_in_flight = 256ll << 20;
  // Event-loop threads reading and writing sockets. Default: 2.
  int io_threads = 2;
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
  // Stops accepting connections, runs the requests already taken and sends
  // their answers (for up to 2 s), then closes every connection.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for tests).
StatusOr<int> FindFreePort();

}  // namespace novelta

#endif  // NOVELTA_SERVICES_HTTP_HTTP_SERVER_H_
