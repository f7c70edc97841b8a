#include "llm/fake_llm_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace novelta {
namespace {

constexpr size_t kMaxRequestBytes = 64 << 20;

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::abort();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// Reads one request from `fd` into `out`; false when the peer closed or sent
// something that is not an HTTP request with a Content-Length body.
bool ReadRequest(int fd, FakeLlmServer::Request* out) {
  std::string data;
  char buf[16384];
  size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0 || data.size() > kMaxRequestBytes) return false;
    data.append(buf, static_cast<size_t>(n));
  }
  size_t line_end = data.find("\r\n");
  const std::string request_line = data.substr(0, line_end);
  size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  out->method = request_line.substr(0, sp1);
  out->path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end + 2;
  while (pos < header_end) {
    size_t end = data.find("\r\n", pos);
    const std::string line = data.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos)
      out->headers[Lower(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
    pos = end + 2;
  }
  size_t length = 0;
  if (auto it = out->headers.find("content-length"); it != out->headers.end())
    length = std::strtoull(it->second.c_str(), nullptr, 10);
  if (length > kMaxRequestBytes) return false;
  if (auto it = out->headers.find("expect"); it != out->headers.end() && Lower(it->second) == "100-continue")
    SendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n");
  out->body = data.substr(header_end + 4);
  while (out->body.size() < length) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    out->body.append(buf, static_cast<size_t>(n));
  }
  out->body.resize(length);
  return true;
}

}  // namespace

Json FakeLlmServer::Request::Body() const {
  auto parsed = ParseJson(body, "request body");
  return parsed.ok() ? *parsed : Json();
}

FakeLlmServer::FakeLlmServer() {
  fallback_.status = 500;
  fallback_.body = "{\"error\": \"no scripted response\"}";
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) Die("FakeLlmServer: socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Die("FakeLlmServer: bind");
  if (::listen(listen_fd_, 64) != 0) Die("FakeLlmServer: listen");
  socklen_t len = sizeof addr;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) Die("FakeLlmServer: getsockname");
  port_ = ntohs(addr.sin_port);
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) Die("FakeLlmServer: pipe");
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeLlmServer::~FakeLlmServer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  (void)!::write(wake_pipe_[1], "x", 1);
  accept_thread_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::string FakeLlmServer::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void FakeLlmServer::Push(Response response) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.push_back(std::move(response));
}

void FakeLlmServer::SetFallback(Response response) {
  std::lock_guard<std::mutex> lock(mu_);
  fallback_ = std::move(response);
}

std::vector<FakeLlmServer::Request> FakeLlmServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

int FakeLlmServer::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(requests_.size());
}

int FakeLlmServer::max_in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_in_flight_;
}

FakeLlmServer::Response FakeLlmServer::Next() {
  std::lock_guard<std::mutex> lock(mu_);
  if (script_.empty()) return fallback_;
  Response r = std::move(script_.front());
  script_.pop_front();
  return r;
}

bool FakeLlmServer::Sleep(double seconds) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return stopping_; });
}

void FakeLlmServer::AcceptLoop() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeLlmServer::Serve(int fd) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  }
  // A request stops being in flight before its answer is sent, so a client
  // that holds a slot until it has the answer never sees more in flight
  // than it has slots.
  auto done = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
  };
  Request request;
  if (!ReadRequest(fd, &request)) {
    done();
  } else {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
    }
    Response r = Next();
    const bool answer = (r.delay_seconds <= 0 || Sleep(r.delay_seconds)) && !r.close_without_answer;
    done();
    if (answer) {
      std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
      for (const auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
      head += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n";
      SendAll(fd, head + r.body);
    }
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

Json FakeLlmServer::DefaultUsage() {
  return Json{{"prompt_tokens", 10}, {"completion_tokens", 5}, {"total_tokens", 15}};
}

std::string FakeLlmServer::ChatBodyRaw(const std::string& content, const Json& usage) {
  Json body = {
      {"id", "chatcmpl-fake"},
      {"object", "chat.completion"},
      {"model", "fake-model"},
      {"choices", Json::array({Json{{"index", 0},
                                    {"message", {{"role", "assistant"}, {"content", content}}},
                                    {"finish_reason", "stop"}}})},
  };
  if (!usage.is_null()) body["usage"] = usage;
  return DumpJson(body);
}

std::string FakeLlmServer::ChatBody(const Json& content, const Json& usage) {
  return ChatBodyRaw(DumpJson(content), usage);
}

FakeLlmServer::Response FakeLlmServer::ChatRaw(const std::string& content, const Json& usage) {
  Response r;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = ChatBodyRaw(content, usage);
  return r;
}

FakeLlmServer::Response FakeLlmServer::Chat(const Json& content, const Json& usage) {
  return ChatRaw(DumpJson(content), usage);
}

}  // namespace novelta
