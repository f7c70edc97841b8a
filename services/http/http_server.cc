// cpprest's U() macro collides with other libraries; we use plain std::string
// (_TURN_OFF_PLATFORM_STRING comes from the build: services/http/CMakeLists.txt).
#include "services/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpprest/containerstream.h>
#include <cpprest/http_listener.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>

#include "base/text.h"
#include "services/executor.h"
#include "services/job_store.h"
#include "services/problem.h"

namespace novelta {

namespace http = web::http;
using web::http::experimental::listener::http_listener;

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  std::unique_ptr<http_listener> listener;
  std::unique_ptr<BoundedExecutor> executor;
  std::mutex stop_mu;
  bool stopped = false;

  void Accept(http::http_request req);
  void Process(http::http_request req);
};

namespace {

void SendResponse(http::http_request& req, HttpResponse r) {
  http::http_response resp(static_cast<http::status_code>(r.status));
  std::string content_type;
  for (const auto& [name, value] : r.headers) {
    if (CaseInsensitiveLess()(name, "Content-Type") == false && CaseInsensitiveLess()("Content-Type", name) == false) {
      content_type = value;
    } else {
      resp.headers().add(name, value);
    }
  }
  if (r.status != 204 && r.status != 304) {
    resp.set_body(std::move(r.body), content_type.empty() ? std::string("application/octet-stream") : content_type);
  }
  // The client may be gone; a failed reply is not an error of ours.
  req.reply(resp).then([](pplx::task<void> t) {
    try {
      t.get();
    } catch (const std::exception& e) {
      spdlog::debug("reply not delivered: {}", e.what());
    }
  });
}

std::string RequestIdOf(const http::http_request& req) {
  auto it = req.headers().find("X-Request-Id");
  if (it != req.headers().end() && !it->second.empty() && it->second.size() <= 128) {
    bool ok = true;
    for (char c : it->second) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':');
    if (ok) return it->second;
  }
  return RandomHex(8);
}

// Answers from the adapter itself (overload, body limits), with the access line the core would write.
void Refuse(http::http_request& req, int status, std::string_view slug, std::string_view title,
            std::string_view detail, const char* retry_after = nullptr) {
  std::string rid = RequestIdOf(req);
  HttpResponse r = MakeProblem(status, slug, title, detail, rid);
  r.headers["X-Request-Id"] = rid;
  if (retry_after) r.headers["Retry-After"] = retry_after;
  if (status == 413 || status == 408) r.headers["Connection"] = "close";
  spdlog::info("access {} \"{} {}\" {} {}B rid={} (refused by the HTTP layer)", LogSafe(req.remote_address(), 64),
               LogSafe(req.method(), 32), LogSafe(req.relative_uri().path()), status, r.body.size(), rid);
  SendResponse(req, std::move(r));
}

enum class BodyRead { kOk, kTooLarge, kTimeout, kError };

// Reads at most `limit` + 1 bytes of the body, so a body past the limit is
// detected without buffering it whole.
BodyRead ReadBody(http::http_request& req, int64_t limit, std::chrono::steady_clock::time_point deadline,
                  std::string* out) {
  auto stream = req.body();
  if (!stream.is_valid()) return BodyRead::kOk;
  auto buffer = std::make_shared<concurrency::streams::container_buffer<std::string>>();
  const size_t chunk = 64 * 1024;
  // The buffer's string grows by whole requested blocks, zero-filled: only
  // the byte counts the reads return say how much of it is the body.
  int64_t total = 0;
  for (;;) {
    auto done = std::make_shared<std::promise<size_t>>();
    std::future<size_t> got = done->get_future();
    size_t want = static_cast<size_t>(std::min<int64_t>(chunk, limit + 1 - total));
    if (want == 0) return BodyRead::kTooLarge;
    stream.read(*buffer, want).then([done, buffer](pplx::task<size_t> t) {
      try {
        done->set_value(t.get());
      } catch (...) {
        done->set_exception(std::current_exception());
      }
    });
    if (got.wait_until(deadline) != std::future_status::ready) return BodyRead::kTimeout;
    size_t n = 0;
    try {
      n = got.get();
    } catch (const std::exception& e) {
      spdlog::debug("body read failed: {}", e.what());
      return BodyRead::kError;
    }
    if (n == 0) break;
    total += static_cast<int64_t>(n);
    if (total > limit) return BodyRead::kTooLarge;
  }
  *out = std::move(buffer->collection());
  out->resize(static_cast<size_t>(total));
  return BodyRead::kOk;
}

}  // namespace

void HttpServer::Impl::Accept(http::http_request req) {
  // Runs on cpprest's pool: only hand over, never block here.
  if (!executor->TrySubmit([this, req]() mutable { Process(std::move(req)); })) {
    Refuse(req, 503, "overloaded", "The service is at capacity", "too many requests in flight; retry later", "1");
  }
}

void HttpServer::Impl::Process(http::http_request req) {
  try {
    auto cl = req.headers().find(http::header_names::content_length);
    if (cl != req.headers().end()) {
      char* end = nullptr;
      unsigned long long n = std::strtoull(cl->second.c_str(), &end, 10);
      if (cl->second.empty() || *end != '\0') {
        return Refuse(req, 400, "invalid-request", "The request is invalid", "header 'Content-Length' is not a number");
      }
      if (n > static_cast<unsigned long long>(options.max_body_bytes)) {
        return Refuse(req, 413, "body-too-large", "Request body too large",
                      "the body has " + std::to_string(n) + " bytes; the limit is " +
                          std::to_string(options.max_body_bytes));
      }
    }
    HttpRequest r;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.body_timeout_seconds);
    switch (ReadBody(req, options.max_body_bytes, deadline, &r.body)) {
      case BodyRead::kOk: break;
      case BodyRead::kTooLarge:
        return Refuse(req, 413, "body-too-large", "Request body too large",
                      "the body is larger than the limit of " + std::to_string(options.max_body_bytes) + " bytes");
      case BodyRead::kTimeout:
        return Refuse(req, 408, "body-timeout", "Request body too slow",
                      "the body did not arrive within " + std::to_string(options.body_timeout_seconds) + " s");
      case BodyRead::kError:
        return Refuse(req, 400, "invalid-request", "The request is invalid", "the body could not be read");
    }
    r.method = req.method();
    const web::uri& uri = req.relative_uri();
    try {
      r.path = web::uri::decode(uri.path());
      for (const auto& [k, v] : web::uri::split_query(uri.query())) {
        r.query[web::uri::decode(k)] = web::uri::decode(v);
      }
    } catch (const std::exception&) {
      return Refuse(req, 400, "invalid-request", "The request is invalid", "the URL is not validly percent-encoded");
    }
    for (const auto& [name, value] : req.headers()) r.headers[name] = value;
    r.remote = req.remote_address();
    handler(std::move(r), [req](HttpResponse resp) mutable { SendResponse(req, std::move(resp)); });
  } catch (const std::exception& e) {
    spdlog::error("HTTP adapter: {}", e.what());
    Refuse(req, 500, "internal", "Internal error", "the server failed to handle the request");
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->options.port; }

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  if (impl->options.port == 0) {
    NOVELTA_ASSIGN_OR_RETURN(impl->options.port, FindFreePort());
  }
  std::string address = "http://" + options.host + ":" + std::to_string(impl->options.port);
  try {
    impl->executor = std::make_unique<BoundedExecutor>(options.threads, options.queue);
    impl->listener = std::make_unique<http_listener>(web::uri(address));
    Impl* raw = impl.get();
    // cpprest answers OPTIONS and TRACE itself unless they have handlers of
    // their own (TRACE echoing the request's headers, keys and cookies
    // included): they go to the service's route table like every method.
    auto accept = [raw](http::http_request req) { raw->Accept(std::move(req)); };
    impl->listener->support(http::methods::OPTIONS, accept);
    impl->listener->support(http::methods::TRCE, accept);
    impl->listener->support(accept);
    impl->listener->open().wait();
  } catch (const std::exception& e) {
    return Status::IOError("cannot listen on " + address + ": " + e.what());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  try {
    impl_->listener->close().wait();
  } catch (const std::exception& e) {
    spdlog::warn("closing the listener: {}", e.what());
  }
  impl_->executor->Shutdown();
}

StatusOr<int> FindFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::IOError("cannot create a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return Status::IOError("cannot bind a socket to find a free port");
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace novelta
