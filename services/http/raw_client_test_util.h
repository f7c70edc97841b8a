// A raw TCP client for tests of the HTTP server: it sends bytes exactly as
// given (malformed, slow, pipelined) and reads the answers back, framed by
// their Content-Length. Test-only.
//
// Thread-safety: one RawConnection per thread.
#ifndef NOVELTA_SERVICES_HTTP_RAW_CLIENT_TEST_UTIL_H_
#define NOVELTA_SERVICES_HTTP_RAW_CLIENT_TEST_UTIL_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace novelta::testing {

struct RawAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends all of `bytes`; false once the server has closed or reset.
  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (fd_ >= 0 && sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return fd_ >= 0;
  }

  // Reads what arrives within `ms` milliseconds (less if the server closes).
  // False when the server closed the connection (or reset it).
  bool ReadFor(int ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      if (left <= 0) return true;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, left) <= 0) return true;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      data_.append(buf, static_cast<size_t>(n));
    }
  }

  // Reads until `count` whole answers are buffered, the server closes, or
  // `ms` pass; returns the answers parsed so far (and drops them).
  std::vector<RawAnswer> Answers(size_t count, int ms = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::vector<RawAnswer> out;
    for (;;) {
      RawAnswer a;
      while (out.size() < count && TakeAnswer(&a)) out.push_back(std::move(a));
      if (out.size() >= count || std::chrono::steady_clock::now() >= deadline) return out;
      if (!ReadFor(50)) {
        while (out.size() < count && TakeAnswer(&a)) out.push_back(std::move(a));
        return out;
      }
    }
  }
  RawAnswer Answer(int ms = 10000) {
    auto a = Answers(1, ms);
    return a.empty() ? RawAnswer() : a[0];
  }

  // True when the server closes the connection within `ms`.
  bool ClosedWithin(int ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (!ReadFor(50)) return true;
    }
    return false;
  }

  const std::string& data() const { return data_; }

 private:
  // Parses one answer off the front of the buffer.
  bool TakeAnswer(RawAnswer* a) {
    size_t end = data_.find("\r\n\r\n");
    if (end == std::string::npos || data_.rfind("HTTP/1.", 0) != 0) return false;
    RawAnswer r;
    r.status = std::atoi(data_.c_str() + 9);
    size_t pos = data_.find("\r\n") + 2;
    while (pos < end) {
      size_t eol = data_.find("\r\n", pos);
      std::string line = data_.substr(pos, eol - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t v = line.find_first_not_of(' ', colon + 1);
        r.headers[name] = v == std::string::npos ? "" : line.substr(v);
      }
      pos = eol + 2;
    }
    size_t length = r.headers.count("content-length") ? std::strtoull(r.headers["content-length"].c_str(), nullptr, 10) : 0;
    if (r.status == 100) length = 0;
    if (data_.size() < end + 4 + length) return false;
    r.body = data_.substr(end + 4, length);
    data_.erase(0, end + 4 + length);
    *a = std::move(r);
    return true;
  }

  int fd_ = -1;
  std::string data_;
};

}  // namespace novelta::testing

#endif  // NOVELTA_SERVICES_HTTP_RAW_CLIENT_TEST_UTIL_H_
