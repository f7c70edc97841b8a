#include "services/http/http_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>
#include <cctype>
#include <chrono>

#include "base/text.h"
#include "services/http/request_target.h"
#include "services/state/job_store.h"
#include "services/problem.h"

namespace novelta::http_internal {

namespace beast = boost::beast;
using boost::system::error_code;

namespace {

// What a client may still send after a refusal, read and dropped so that it
// sees the answer rather than a reset: this many bytes or 2 s, whichever first.
constexpr size_t kMaxDrainBytes = 1 << 20;
constexpr int kDrainSeconds = 2;

bool IsParseError(const error_code& ec) { return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category(); }

std::string Seconds(int s) { return std::to_string(s) + " s"; }

}  // namespace

// ---------------------------------------------------------------------------
// ServerHub

int ServerHub::Admit(const std::string& address) {
  if (stopping) return 503;
  std::lock_guard<std::mutex> lock(mu_);
  if (open_ >= options.max_connections) return 503;
  int& mine = per_address_[address];
  if (mine >= options.max_connections_per_address) {
    if (mine == 0) per_address_.erase(address);
    return 429;
  }
  ++mine;
  ++open_;
  return 0;
}

void ServerHub::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  --open_;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
}

bool ServerHub::ReserveBody(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (body_bytes_ + bytes > options.max_body_bytes_in_flight) return false;
  body_bytes_ += bytes;
  return true;
}

void ServerHub::ReleaseBody(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  body_bytes_ -= bytes;
}

void ServerHub::Deliver(const std::weak_ptr<Session>& session, uint64_t request_no, HttpResponse response) {
  std::lock_guard<std::mutex> lock(replies_mu_);
  if (replies_closed_) return;
  std::shared_ptr<Session> s = session.lock();  // released before the lock
  if (!s) return;
  ++writes_pending;
  asio::post(s->executor(), [s, request_no, r = std::move(response)]() mutable { s->OnAnswer(request_no, std::move(r)); });
}

void ServerHub::CloseReplies() {
  std::lock_guard<std::mutex> lock(replies_mu_);
  replies_closed_ = true;
}

void ServerHub::Register(Session* session, std::weak_ptr<Session> weak) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_[session] = std::move(weak);
}

void ServerHub::Unregister(Session* session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session);
}

void ServerHub::CloseAll() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) asio::post(s->executor(), [s] { s->Close(); });
}

bool ServerHub::AllClosed() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.empty();
}

// ---------------------------------------------------------------------------
// Session: admission, timer

Session::Session(std::shared_ptr<ServerHub> hub, tcp::socket socket)
    : hub_(std::move(hub)),
      options_(hub_->options),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      buffer_(static_cast<size_t>(hub_->options.max_header_bytes) + 65536) {
  error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  remote_ = ec ? std::string("unknown") : endpoint.address().to_string();
  socket_.set_option(tcp::no_delay(true), ec);
}

Session::~Session() {
  hub_->Unregister(this);
  if (reserved_body_ > 0) hub_->ReleaseBody(reserved_body_);
  if (counted_write_) --hub_->writes_pending;
  if (admitted_) hub_->Release(remote_);
}

void Session::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Begin(); });
}

void Session::Begin() {
  hub_->Register(this, weak_from_this());
  method_ = "-";
  target_ = "-";
  int refusal = hub_->Admit(remote_);
  if (refusal == 429) {
    return Refuse(429, "too-many-connections", "Too many connections",
                  "this address has " + std::to_string(options_.max_connections_per_address) +
                      " connections open, the most allowed; reuse one or retry later",
                  "1");
  }
  if (refusal != 0) {
    return Refuse(503, "overloaded", "The service is at capacity",
                  hub_->stopping ? "the server is shutting down" : "too many connections open; retry later", "1");
  }
  admitted_ = true;
  ReadHeader();
}

void Session::Arm(int seconds, Phase phase) {
  phase_ = phase;
  timed_out_ = false;
  uint64_t generation = ++timer_generation_;
  timer_.expires_after(std::chrono::seconds(seconds));
  timer_.async_wait([self = shared_from_this(), generation](error_code ec) {
    if (ec || generation != self->timer_generation_) return;
    self->OnTimeout();
  });
}

void Session::OnTimeout() {
  timed_out_ = true;
  error_code ignored;
  switch (phase_) {
    case Phase::kHeader:
    case Phase::kBody:
      socket_.cancel(ignored);  // the read's handler answers 408
      return;
    case Phase::kHandler:
      spdlog::warn("HTTP: the handler did not answer \"{} {}\" within {}", LogSafe(method_, 32), LogSafe(target_),
                   Seconds(options_.handler_timeout_seconds));
      return Refuse(503, "handler-timeout", "The service did not answer in time",
                    "no answer within " + Seconds(options_.handler_timeout_seconds) + "; retry later", "1");
    case Phase::kWrite:
    case Phase::kIdle:
    case Phase::kLinger:
    case Phase::kClosed:
      return Close();
  }
}

// ---------------------------------------------------------------------------
// Reading a request

void Session::ReadHeader() {
  method_ = "-";
  target_ = "-";
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
  parser_->body_limit(static_cast<uint64_t>(options_.max_body_bytes));
  Arm(options_.header_timeout_seconds, Phase::kHeader);
  bhttp::async_read_header(socket_, buffer_, *parser_,
                           [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(error_code ec) {
  if (phase_ != Phase::kHeader) return;
  if (timed_out_) {
    return Refuse(408, "header-timeout", "Request header too slow",
                  "the request header did not arrive within " + Seconds(options_.header_timeout_seconds));
  }
  if (ec == bhttp::error::end_of_stream) return Close();  // closed between requests
  if (ec == bhttp::error::bad_version) {
    return Refuse(505, "http-version", "HTTP version not supported", "this server speaks HTTP/1.0 and HTTP/1.1");
  }
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return Refuse(431, "header-too-large", "Request header fields too large",
                  "the request line and headers are larger than " + std::to_string(options_.max_header_bytes) +
                      " bytes");
  }
  if (ec == bhttp::error::body_limit) {
    return Refuse(413, "body-too-large", "Request body too large",
                  "the body has " + std::to_string(parser_->content_length().value_or(0)) +
                      " bytes; the limit is " + std::to_string(options_.max_body_bytes));
  }
  if (ec && IsParseError(ec) && ec != bhttp::error::partial_message) {
    return Refuse(400, "invalid-request", "The request is invalid", "not a valid HTTP/1.1 request: " + ec.message());
  }
  if (ec) return Close();  // the client went away
  const auto& req = parser_->get();
  method_ = std::string(req.method_string());
  target_ = std::string(req.target());
  version_ = req.version();
  if (!CheckHeader()) return;
  if (parser_->is_done()) return Dispatch();
  int64_t reserve = static_cast<int64_t>(parser_->content_length().value_or(options_.max_body_bytes));
  if (!hub_->ReserveBody(reserve)) {
    return Refuse(503, "overloaded", "The service is at capacity", "too many request bodies in flight; retry later",
                  "1");
  }
  reserved_body_ = reserve;
  if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
    // The client waits for this before it sends the body.
    auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, version_);
    Arm(options_.write_timeout_seconds, Phase::kWrite);
    bhttp::async_write(socket_, *interim, [self = shared_from_this(), interim](error_code wec, size_t) {
      if (wec || self->phase_ != Phase::kWrite) return self->Close();
      self->ReadBody();
    });
    return;
  }
  ReadBody();
}

// Strict checks past what the parser enforces; answers and returns false on a violation.
bool Session::CheckHeader() {
  const auto& req = parser_->get();
  if (version_ != 10 && version_ != 11) {
    Refuse(505, "http-version", "HTTP version not supported", "this server speaks HTTP/1.0 and HTTP/1.1");
    return false;
  }
  if (version_ == 11 && req.count(bhttp::field::host) != 1) {
    Refuse(400, "invalid-request", "The request is invalid", "an HTTP/1.1 request needs exactly one Host header");
    return false;
  }
  for (const auto& field : req) {
    for (char c : field.value()) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        Refuse(400, "invalid-request", "The request is invalid", "a header value holds a control character");
        return false;
      }
    }
  }
  auto te = req[bhttp::field::transfer_encoding];
  if (!te.empty() && !beast::iequals(te, "chunked")) {
    Refuse(501, "transfer-encoding", "Transfer encoding not implemented", "only 'Transfer-Encoding: chunked' is read");
    return false;
  }
  auto ce = req[bhttp::field::content_encoding];
  if (!ce.empty() && !beast::iequals(ce, "identity")) {
    Refuse(415, "content-encoding", "Unsupported content encoding",
           "request bodies are read as sent; send the body without 'Content-Encoding'");
    return false;
  }
  return true;
}

void Session::ReadBody() {
  Arm(options_.body_timeout_seconds, Phase::kBody);
  bhttp::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](error_code ec, size_t) { self->OnBody(ec); });
}

void Session::OnBody(error_code ec) {
  if (phase_ != Phase::kBody) return;
  if (timed_out_) {
    return Refuse(408, "body-timeout", "Request body too slow",
                  "the body did not arrive within " + Seconds(options_.body_timeout_seconds));
  }
  if (ec == bhttp::error::body_limit) {
    return Refuse(413, "body-too-large", "Request body too large",
                  "the body is larger than the limit of " + std::to_string(options_.max_body_bytes) + " bytes");
  }
  if (ec && IsParseError(ec) && ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream) {
    return Refuse(400, "invalid-request", "The request is invalid", "the body could not be read: " + ec.message());
  }
  if (ec) return Close();
  Dispatch();
}

// ---------------------------------------------------------------------------
// Handing over, answering

void Session::Dispatch() {
  auto message = parser_->release();
  parser_.reset();
  HttpRequest r;
  r.method = method_;
  Status target = ParseRequestTarget(target_, &r.path, &r.query);
  if (!target.ok()) return Refuse(400, "invalid-request", "The request is invalid", target.message());
  for (const auto& field : message) {
    std::string name(field.name_string());
    auto [it, fresh] = r.headers.emplace(name, std::string(field.value()));
    if (!fresh) it->second += ", " + std::string(field.value());
  }
  r.body = std::move(message.body());
  r.remote = remote_;
  keep_alive_ = message.keep_alive();
  head_ = method_ == "HEAD";
  Arm(options_.handler_timeout_seconds, Phase::kHandler);
  uint64_t request_no = ++request_no_;
  std::weak_ptr<Session> weak = shared_from_this();
  std::shared_ptr<ServerHub> hub = hub_;
  HttpReply reply = [weak, hub, request_no](HttpResponse resp) { hub->Deliver(weak, request_no, std::move(resp)); };
  bool taken = hub_->executor->TrySubmit([hub, r = std::move(r), reply]() mutable {
    try {
      hub->handler(std::move(r), reply);
    } catch (const std::exception& e) {
      spdlog::error("HTTP handler: {}", e.what());
      reply(MakeProblem(500, "internal", "Internal error", "the server failed to handle the request", ""));
    }
  });
  if (!taken) {
    Refuse(503, "overloaded", "The service is at capacity", "too many requests in flight; retry later", "1");
  }
}

void Session::OnAnswer(uint64_t request_no, HttpResponse response) {
  if (phase_ != Phase::kHandler || request_no != request_no_) {
    --hub_->writes_pending;  // a late answer (the 503 for it was sent)
    return;
  }
  counted_write_ = true;
  Write(std::move(response), !keep_alive_ || hub_->stopping);
}

void Session::Refuse(int status, std::string_view slug, std::string_view title, std::string_view detail,
                     const char* retry_after) {
  std::string rid = RequestId();
  HttpResponse r = MakeProblem(status, slug, title, detail, rid);
  r.headers["X-Request-Id"] = rid;
  if (retry_after) r.headers["Retry-After"] = retry_after;
  spdlog::info("access {} \"{} {}\" {} {}B rid={} (refused by the HTTP layer)", LogSafe(remote_, 64),
               LogSafe(method_, 32), LogSafe(target_), status, r.body.size(), rid);
  head_ = method_ == "HEAD";
  Write(std::move(r), true);
}

std::string Session::RequestId() const {
  if (parser_ && parser_->is_header_done()) {
    std::string id(parser_->get()["X-Request-Id"]);
    if (!id.empty() && id.size() <= 128) {
      bool ok = true;
      for (char c : id) {
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':');
      }
      if (ok) return id;
    }
  }
  return RandomHex(8);
}

void Session::Write(HttpResponse r, bool close) {
  auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
  res->version(version_ == 10 ? 10 : 11);
  res->result(static_cast<unsigned>(r.status));
  bool has_type = false;
  for (const auto& [name, value] : r.headers) {
    if (beast::iequals(name, "Connection") || beast::iequals(name, "Content-Length") ||
        beast::iequals(name, "Transfer-Encoding")) {
      continue;  // framing is the server's
    }
    has_type = has_type || beast::iequals(name, "Content-Type");
    res->insert(name, value);
  }
  const bool no_body = r.status < 200 || r.status == 204 || r.status == 304;
  if (!no_body) {
    if (!has_type && !r.body.empty()) res->set(bhttp::field::content_type, "application/octet-stream");
    res->content_length(r.body.size());
    if (!head_) res->body() = std::move(r.body);
  }
  res->keep_alive(!close);
  response_ = res;
  close_after_write_ = close;
  Arm(options_.write_timeout_seconds, Phase::kWrite);
  bhttp::async_write(socket_, *response_, [self = shared_from_this()](error_code ec, size_t) { self->OnWritten(ec); });
}

void Session::EndWrite() {
  if (counted_write_) {
    counted_write_ = false;
    --hub_->writes_pending;
  }
  if (reserved_body_ > 0) {
    hub_->ReleaseBody(reserved_body_);
    reserved_body_ = 0;
  }
}

void Session::OnWritten(error_code ec) {
  if (phase_ != Phase::kWrite) return;
  response_.reset();
  EndWrite();
  if (ec) return Close();
  if (close_after_write_) return Linger();
  WaitForNextRequest();
}

void Session::WaitForNextRequest() {
  if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is here
  Arm(options_.idle_timeout_seconds, Phase::kIdle);
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
    if (ec || self->phase_ != Phase::kIdle) return;
    self->ReadHeader();
  });
}

// ---------------------------------------------------------------------------
// Closing

void Session::Linger() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  if (!admitted_) return Close();  // refused at the door: no time for it
  drained_ = 0;
  Arm(kDrainSeconds, Phase::kLinger);
  Drain();
}

void Session::Drain() {
  socket_.async_read_some(asio::buffer(drain_), [self = shared_from_this()](error_code ec, size_t n) {
    if (self->phase_ != Phase::kLinger) return;
    self->drained_ += n;
    if (ec || self->drained_ > kMaxDrainBytes) return self->Close();
    self->Drain();
  });
}

void Session::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  EndWrite();
  error_code ignored;
  timer_.cancel();
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace novelta::http_internal
