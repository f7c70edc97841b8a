// Fuzzes the HTTP server itself over a real loopback socket: the input is the
// raw byte stream a client sends on one connection (request lines, headers,
// chunked bodies, pipelined requests, garbage), the client then half-closes,
// and the server, with an echo handler behind it, must
//   - answer only with well-formed HTTP/1.x status lines (100..599),
//   - close the connection within 5 s of the client's end of input,
//   - and go on serving a fresh GET /healthz.
// ASan and UBSan (fuzz/run.sh) catch memory errors in the session's state
// machine: timers, pipelining, limits and refusals.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "fuzz/fuzz_util.h"
#include "services/http/http_server.h"

namespace {

novelta::HttpServer* Server() {
  static novelta::HttpServer* server = [] {
    novelta::HttpServerOptions options;
    options.port = 0;
    options.max_header_bytes = 4096;
    options.max_body_bytes = 64 << 10;
    options.max_body_bytes_in_flight = 1 << 20;
    options.header_timeout_seconds = 2;
    options.body_timeout_seconds = 2;
    options.idle_timeout_seconds = 2;
    options.threads = 2;
    auto started = novelta::HttpServer::Start(options, [](novelta::HttpRequest r, novelta::HttpReply reply) {
      novelta::HttpResponse resp;
      resp.status = r.path == "/empty" ? 204 : 200;
      resp.headers["Content-Type"] = "text/plain";
      if (resp.status == 200) resp.body = r.method + " " + r.path + " " + std::to_string(r.body.size());
      reply(std::move(resp));
    });
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start the server: %s\n", started.status().ToString().c_str());
      std::abort();
    }
    return started->release();  // lives for the whole fuzzing process
  }();
  return server;
}

int Connect() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(Server()->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  novelta::fuzz::Check(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0,
                       "cannot connect to the server");
  return fd;
}

// Sends `bytes` (as much as the server takes), half-closes, and reads until the
// server closes; false when it is still open after 5 s.
bool Exchange(const std::string& bytes, std::string* answer) {
  int fd = Connect();
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // refused and closed early: fine
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[16384];
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) closed = true;
    else answer->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return closed;
}

// The answers follow one another, each "HTTP/1.x NNN ..." with NNN in
// 100..599 and framed by its Content-Length (an answer to HEAD has the
// length but no body).
void CheckAnswers(const std::string& answer) {
  using novelta::fuzz::Check;
  size_t pos = 0;
  while (pos < answer.size()) {
    Check(answer.compare(pos, 7, "HTTP/1.") == 0, "an answer not starting with HTTP/1.x");
    size_t end = answer.find("\r\n\r\n", pos);
    Check(end != std::string::npos, "an answer whose header does not end");
    Check(answer.size() >= pos + 12 && answer[pos + 8] == ' ', "a malformed status line");
    int status = std::atoi(answer.c_str() + pos + 9);
    Check(status >= 100 && status <= 599, "a status outside 100..599");
    size_t length = 0;
    size_t cl = answer.find("\r\nContent-Length: ", pos);
    if (cl != std::string::npos && cl < end) length = std::strtoull(answer.c_str() + cl + 18, nullptr, 10);
    size_t next = end + 4 + length;
    if (next < answer.size() && answer.compare(next, 7, "HTTP/1.") != 0) next = end + 4;  // HEAD
    pos = std::min(next, answer.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  Server();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (256 << 10)) return 0;
  std::string answer;
  novelta::fuzz::Check(Exchange(std::string(reinterpret_cast<const char*>(data), size), &answer),
                       "the server kept a half-closed connection open for 5 s");
  CheckAnswers(answer);
  std::string health;
  novelta::fuzz::Check(Exchange("GET /healthz HTTP/1.1\r\nHost: f\r\n\r\n", &health), "no close after /healthz");
  if (health.rfind("HTTP/1.1 200", 0) != 0) {
    std::fprintf(stderr, "GET /healthz answered: %s\n", health.substr(0, health.find("\r\n")).c_str());
    novelta::fuzz::Check(false, "the server stopped serving");
  }
  return 0;
}
