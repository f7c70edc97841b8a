// FakeLlmServer: a scripted OpenAI-compatible HTTP server on loopback, for
// tests of anything that talks to a model through LlmClient (the client
// itself, the LLM engine's stages). Link the `novelta_llm_fake` target.
//
//   FakeLlmServer server;                                  // listens on 127.0.0.1:<free port>
//   server.Push(FakeLlmServer::Chat({{"verdict", "novel"}}));       // 200, a chat completion
//   server.Push({503, {{"Retry-After", "1"}}, "overloaded"});       // status, headers, body
//   server.Push(FakeLlmServer::Response::Close());                  // drop the connection
//   options.base_url = server.url();                       // "http://127.0.0.1:PORT/v1"
//   ... run the code under test ...
//   server.requests()[0].Body()["model"]                   // what the client sent
//
// Each request (HTTP/1.1 with Content-Length, one per connection) takes the
// next scripted response; when none is left it gets the fallback
// (SetFallback; by default 500 "no scripted response"). Every connection is
// served on its own thread, so concurrent clients are answered concurrently
// and max_in_flight() tells how many were ever in flight at once (from the
// connection's accept until its answer starts to be sent or it is closed). A
// response's delay is spent before answering; the destructor does not wait
// for delays to run out.
//
// Thread-safety: every method may be called from any thread.
#ifndef NOVELTA_LLM_FAKE_LLM_SERVER_H_
#define NOVELTA_LLM_FAKE_LLM_SERVER_H_

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/json.h"

namespace novelta {

class FakeLlmServer {
 public:
  struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Length
    std::string body;
    double delay_seconds = 0;   // wait this long after reading the request
    bool close_without_answer = false;  // close the connection instead (after the delay)

    // A connection closed without an answer.
    static Response Close() {
      Response r;
      r.close_without_answer = true;
      return r;
    }
  };

  // One request as received. Header names are lower-cased.
  struct Request {
    std::string method;  // "POST"
    std::string path;    // "/v1/chat/completions"
    std::map<std::string, std::string> headers;
    std::string body;
    // The body parsed as JSON (null when it is not JSON).
    Json Body() const;
  };

  // Starts listening on 127.0.0.1 on a free port; aborts the test process
  // (with a message) when no socket can be had.
  FakeLlmServer();
  ~FakeLlmServer();  // stops listening and joins every thread
  FakeLlmServer(const FakeLlmServer&) = delete;
  FakeLlmServer& operator=(const FakeLlmServer&) = delete;

  // "http://127.0.0.1:PORT/v1": an OpenAiClientOptions::base_url.
  std::string url() const;
  int port() const { return port_; }

  // Appends to the script of responses.
  void Push(Response response);
  // The response given when the script is empty.
  void SetFallback(Response response);

  std::vector<Request> requests() const;  // in order of arrival (of their full request)
  int request_count() const;
  int max_in_flight() const;  // most requests in flight at once

  // A chat-completions response body whose message content is `content`
  // serialised, with `usage` when it is not null, e.g.
  // {"prompt_tokens": 10, "completion_tokens": 5}.
  static std::string ChatBody(const Json& content, const Json& usage = DefaultUsage());
  // As ChatBody, with the content string given verbatim (to script content
  // that is not JSON).
  static std::string ChatBodyRaw(const std::string& content, const Json& usage = DefaultUsage());
  // 200 with ChatBody(content, usage) and Content-Type: application/json.
  static Response Chat(const Json& content, const Json& usage = DefaultUsage());
  // 200 with ChatBodyRaw(content, usage).
  static Response ChatRaw(const std::string& content, const Json& usage = DefaultUsage());
  // {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}.
  static Json DefaultUsage();

 private:
  void AcceptLoop();
  void Serve(int fd);
  Response Next();
  // Waits `seconds` or until the server stops; false when it stopped.
  bool Sleep(double seconds);

  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written on stop, to end the accept loop's poll
  int port_ = 0;
  std::thread accept_thread_;

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::deque<Response> script_;
  Response fallback_;
  std::vector<Request> requests_;
  std::vector<std::thread> workers_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

}  // namespace novelta

#endif  // NOVELTA_LLM_FAKE_LLM_SERVER_H_
