// One HTTP connection of HttpServer, and what all connections share (the
// hub). Internal to services/http.
//
// A session runs on its own strand and moves through phases, each with its
// deadline on the session's one timer:
//   header (header_timeout) -> body (body_timeout) -> handler (handler_timeout)
//   -> write (write_timeout) -> idle (idle_timeout) -> header ...
// A refusal is written with "Connection: close"; the session then stops
// sending, drains what the client still sends for a moment (so the client
// reads the answer instead of a reset), and closes.
//
// The session keeps itself alive through its pending operations (the timer
// always has one); the handler's reply holds only a weak reference, and the
// hub drops replies once the server has stopped.
//
// Thread-safety: ServerHub's methods may be called from any thread; a
// Session's methods run on its strand only.
#ifndef NOVELTA_SERVICES_HTTP_HTTP_SESSION_H_
#define NOVELTA_SERVICES_HTTP_HTTP_SESSION_H_

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "services/executor.h"
#include "services/http/http_server.h"

namespace novelta::http_internal {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Session;

// What every connection shares with the server.
struct ServerHub {
  HttpServerOptions options;
  HttpServer::Handler handler;
  std::unique_ptr<BoundedExecutor> executor;
  // Set by Stop: answers end kept-alive connections, new connections are refused.
  std::atomic<bool> stopping{false};
  // Answers handed to a session and not yet written (Stop waits for them).
  std::atomic<int> writes_pending{0};

  // 0 when a connection from `address` may open; else the status refusing it
  // (429: too many from the address, 503: too many in all, or stopping).
  int Admit(const std::string& address);
  void Release(const std::string& address);
  // Counts `bytes` of request body against max_body_bytes_in_flight; false when past it.
  bool ReserveBody(int64_t bytes);
  void ReleaseBody(int64_t bytes);
  // Hands the handler's answer to request `request_no` of the session, if
  // both still exist. After CloseReplies, answers are dropped.
  void Deliver(const std::weak_ptr<Session>& session, uint64_t request_no, HttpResponse response);
  // Drops answers from here on and closes every connection; true once none is left.
  void CloseReplies();
  void CloseAll();
  bool AllClosed();
  // Sessions register at start so that CloseAll finds them.
  void Register(Session* session, std::weak_ptr<Session> weak);
  void Unregister(Session* session);

 private:
  // Deliver holds replies_mu_ while it may drop the last reference to a
  // session, whose destructor takes mu_: the two are never held the other way round.
  std::mutex replies_mu_;
  bool replies_closed_ = false;
  std::mutex mu_;
  int open_ = 0;
  std::map<std::string, int> per_address_;
  int64_t body_bytes_ = 0;
  std::map<Session*, std::weak_ptr<Session>> sessions_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<ServerHub> hub, tcp::socket socket);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Admits the connection (or refuses it) and reads the first request.
  void Start();
  // The handler's answer to request `request_no` (on the session's strand).
  void OnAnswer(uint64_t request_no, HttpResponse response);
  // Closes the connection (on the session's strand).
  void Close();
  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  enum class Phase { kHeader, kBody, kHandler, kWrite, kIdle, kLinger, kClosed };

  void Begin();
  void Arm(int seconds, Phase phase);
  void OnTimeout();
  void ReadHeader();
  void OnHeader(boost::system::error_code ec);
  bool CheckHeader();
  void ReadBody();
  void OnBody(boost::system::error_code ec);
  void Dispatch();
  void Refuse(int status, std::string_view slug, std::string_view title, std::string_view detail,
              const char* retry_after = nullptr);
  void Write(HttpResponse response, bool close);
  void OnWritten(boost::system::error_code ec);
  void WaitForNextRequest();
  void Linger();
  void Drain();
  void EndWrite();
  std::string RequestId() const;

  std::shared_ptr<ServerHub> hub_;
  const HttpServerOptions& options_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> response_;
  std::array<char, 8192> drain_{};
  std::string remote_;
  std::string method_;  // of the request being handled, "-" before its header
  std::string target_;
  Phase phase_ = Phase::kHeader;
  uint64_t timer_generation_ = 0;
  uint64_t request_no_ = 0;
  unsigned version_ = 11;
  bool timed_out_ = false;
  bool admitted_ = false;
  bool head_ = false;
  bool keep_alive_ = true;
  bool close_after_write_ = false;
  bool counted_write_ = false;
  int64_t reserved_body_ = 0;
  size_t drained_ = 0;
};

}  // namespace novelta::http_internal

#endif  // NOVELTA_SERVICES_HTTP_HTTP_SESSION_H_
