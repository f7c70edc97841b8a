// Test helpers for driving the real `novelta` binary: running a command to
// completion, running `novelta serve` as a child process (start, signal, wait
// with a deadline), and a minimal blocking HTTP/1.1 client for loopback.
//
// The client is written on plain sockets rather than an HTTP library so that a
// server killed mid-request gives a clean failed response (status 0) instead
// of an exception from a library thread pool.
//
// Thread-safety: HttpCall may be called concurrently; a ServerProcess is used
// by one thread.
#ifndef NOVELTA_TESTS_SERVICE_PROCESS_H_
#define NOVELTA_TESTS_SERVICE_PROCESS_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/json.h"
#include "base/text.h"

namespace novelta::testing_support {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;  // exit status, -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs `command` through the shell; stderr is captured through a file.
inline CommandResult RunCommand(const std::string& command) {
  static int n = 0;
  fs::path err_file = fs::temp_directory_path() /
                      ("novelta_cmd_err_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
  FILE* p = ::popen((command + " 2>" + err_file.string()).c_str(), "r");
  CommandResult r;
  if (!p) return r;
  char buf[4096];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, k);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(err_file);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  fs::remove(err_file);
  return r;
}

inline std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct HttpResult {
  int status = 0;  // 0: no answer (connection refused, reset or timed out)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;  // why status is 0
  Json json() const {
    auto j = ParseJson(body, "response body");
    return j.ok() ? *j : Json();
  }
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

namespace internal {

// Reads until `done(buffer)` or the deadline; false on timeout or error.
template <typename Done>
bool ReadUntil(int fd, std::string* buffer, std::chrono::steady_clock::time_point deadline, Done done) {
  char chunk[16384];
  while (!done(*buffer)) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) return false;
    pollfd pfd{fd, POLLIN, 0};
    int pr = ::poll(&pfd, 1, left);
    if (pr <= 0) return false;
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return done(*buffer);
    buffer->append(chunk, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace internal

// One request on a fresh connection to 127.0.0.1:port, answered within `timeout`.
inline HttpResult HttpCall(int port, const std::string& method, const std::string& target,
                           const std::string& body = "", const std::map<std::string, std::string>& headers = {},
                           std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  HttpResult out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    out.error = "socket failed";
    return out;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    out.error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return out;
  }
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      out.error = "send failed";
      ::close(fd);
      return out;
    }
    sent += static_cast<size_t>(n);
  }
  std::string buf;
  bool got_head = internal::ReadUntil(fd, &buf, deadline,
                                      [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; });
  size_t head_end = buf.find("\r\n\r\n");
  if (!got_head || head_end == std::string::npos) {
    out.error = "no response head";
    ::close(fd);
    return out;
  }
  std::string head = buf.substr(0, head_end);
  std::string rest = buf.substr(head_end + 4);
  int status = 0;
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (std::sscanf(status_line.c_str(), "HTTP/%*d.%*d %d", &status) != 1) {
    out.error = "bad status line: " + status_line;
    ::close(fd);
    return out;
  }
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      out.headers[ToLowerAscii(line.substr(0, colon))] = std::string(Trim(line.substr(colon + 1)));
    }
    pos = e + 2;
  }
  bool complete;
  if (out.headers.count("content-length")) {
    size_t length = std::stoul(out.headers["content-length"]);
    complete = internal::ReadUntil(fd, &rest, deadline, [length](const std::string& b) { return b.size() >= length; });
    if (rest.size() > length) rest.resize(length);
  } else if (ToLowerAscii(out.header("transfer-encoding")).find("chunked") != std::string::npos) {
    complete = internal::ReadUntil(fd, &rest, deadline,
                                   [](const std::string& b) { return b.find("\r\n0\r\n\r\n") != std::string::npos ||
                                                                     b.rfind("0\r\n\r\n", 0) == 0; });
    std::string decoded;
    size_t p = 0;
    while (p < rest.size()) {
      size_t e = rest.find("\r\n", p);
      if (e == std::string::npos) break;
      size_t n = std::stoul(rest.substr(p, e - p), nullptr, 16);
      if (n == 0) break;
      decoded += rest.substr(e + 2, n);
      p = e + 2 + n + 2;
    }
    rest = decoded;
  } else {
    complete = internal::ReadUntil(fd, &rest, deadline, [](const std::string&) { return false; });
    complete = true;  // the body ends with the connection
  }
  ::close(fd);
  if (!complete) {
    out.error = "truncated body";
    return out;
  }
  out.status = status;
  out.body = std::move(rest);
  return out;
}

// `novelta serve` as a child process; its stdout and stderr go to `log_path`.
class ServerProcess {
 public:
  ServerProcess(std::string binary, std::vector<std::string> args, fs::path log_path,
                std::map<std::string, std::string> env = {})
      : binary_(std::move(binary)), args_(std::move(args)), log_path_(std::move(log_path)), env_(std::move(env)) {}
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the process and waits until GET /healthz on `port` answers 200.
  // False (with the log's tail in *why) when it exits or does not answer in time.
  bool Start(int port, std::chrono::seconds timeout, std::string* why) {
    pid_ = ::fork();
    if (pid_ < 0) {
      *why = "fork failed";
      return false;
    }
    if (pid_ == 0) {
      int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(binary_.c_str()));
      for (auto& a : args_) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(binary_.c_str(), argv.data());
      ::_exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        *why = "server exited at start (status " + std::to_string(st) + "): " + LogTail();
        return false;
      }
      if (HttpCall(port, "GET", "/healthz", "", {}, std::chrono::seconds(2)).status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    *why = "server did not answer /healthz in time: " + LogTail();
    return false;
  }

  void Signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  // Waits for the exit; the exit status, -(signal) when killed, or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }
  std::string Log() const { return ReadWholeFile(log_path_); }
  std::string LogTail() const {
    std::string log = Log();
    return log.size() > 3000 ? log.substr(log.size() - 3000) : log;
  }

 private:
  std::string binary_;
  std::vector<std::string> args_;
  fs::path log_path_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
};

// A loopback TCP port that was free a moment ago.
inline int PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace novelta::testing_support

#endif  // NOVELTA_TESTS_SERVICE_PROCESS_H_
