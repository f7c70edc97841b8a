// The HTTP server against hostile and broken clients, over raw sockets on
// loopback: header and body limits and timeouts, slow bodies that must not
// hold request threads, pipelining, strict parsing, connection limits, and
// handlers that answer late or never.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "services/http/http_server.h"
#include "services/http/raw_client_test_util.h"

namespace novelta {
namespace {

using testing::RawAnswer;
using testing::RawConnection;
using Clock = std::chrono::steady_clock;
using namespace std::string_literals;

// A server whose handler answers 200 with "<method> <path> <body bytes>",
// except for /hold, whose replies are kept (and answered by the test or never).
class LimitsTest : public ::testing::Test {
 protected:
  void StartServer() {
    options_.port = 0;
    auto server = HttpServer::Start(options_, [this](HttpRequest r, HttpReply reply) {
      ++handled_;
      if (r.path == "/hold") {
        std::lock_guard<std::mutex> lock(mu_);
        held_.push_back(std::move(reply));
        return;
      }
      HttpResponse resp;
      resp.status = 200;
      resp.headers["Content-Type"] = "text/plain";
      resp.body = r.method + " " + r.path + " " + std::to_string(r.body.size());
      reply(std::move(resp));
    });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  int port() const { return server_->port(); }
  static std::string Get(const std::string& path, bool close = false) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
  }
  // One request on a fresh connection; its answer.
  RawAnswer Once(const std::string& request, int ms = 10000) {
    RawConnection c(port());
    c.Send(request);
    return c.Answer(ms);
  }

  HttpServerOptions options_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> handled_{0};
  std::mutex mu_;
  std::vector<HttpReply> held_;
};

TEST_F(LimitsTest, HeaderPastItsLimitIs431AndNeverEndingHeadersAreCutOff) {
  options_.max_header_bytes = 2048;
  StartServer();
  RawAnswer big = Once("GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n");
  EXPECT_EQ(big.status, 431) << big.body;
  // A header that never ends: refused after the limit, not buffered.
  RawConnection endless(port());
  endless.Send("GET /x HTTP/1.1\r\nHost: a\r\n");
  for (int i = 0; i < 64; ++i) {
    if (!endless.Send("X-" + std::to_string(i) + ": " + std::string(1000, 'h') + "\r\n")) break;
  }
  EXPECT_EQ(endless.Answer().status, 431);
  EXPECT_TRUE(endless.ClosedWithin(5000));
  EXPECT_EQ(handled_, 0);
}

TEST_F(LimitsTest, SlowHeaderGets408AndIdleConnectionsAreClosed) {
  options_.header_timeout_seconds = 1;
  options_.idle_timeout_seconds = 1;
  StartServer();
  RawConnection slow(port());
  auto start = Clock::now();
  slow.Send("GET /x HTTP/1.1\r\nHost: a\r\n");  // and never the blank line
  RawAnswer a = slow.Answer(5000);
  EXPECT_EQ(a.status, 408) << a.body;
  EXPECT_TRUE(slow.ClosedWithin(4000));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  // A connection that never sends a byte is closed too.
  RawConnection silent(port());
  EXPECT_TRUE(silent.ClosedWithin(5000));
  // A kept-alive connection is answered, then closed once idle.
  RawConnection kept(port());
  kept.Send(Get("/a"));
  EXPECT_EQ(kept.Answer().status, 200);
  EXPECT_TRUE(kept.ClosedWithin(5000));
}

// Sixteen clients sending their bodies a byte at a time hold no request
// thread: with two threads, other requests are answered at once.
TEST_F(LimitsTest, SlowBodiesWaitInTheEventLoopNotOnRequestThreads) {
  options_.threads = 2;
  options_.body_timeout_seconds = 3;
  StartServer();
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 16; ++i) {
    slow.push_back(std::make_unique<RawConnection>(port()));
    slow.back()->Send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nx");
  }
  std::atomic<bool> done{false};
  std::thread dribble([&] {
    while (!done) {
      for (auto& c : slow) c->Send("x");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  Clock::duration worst{};
  for (int i = 0; i < 20; ++i) {
    auto start = Clock::now();
    RawAnswer a = Once(Get("/ping", true), 5000);
    worst = std::max(worst, Clock::now() - start);
    EXPECT_EQ(a.status, 200);
  }
  EXPECT_LT(worst, std::chrono::seconds(1));
  // The slow bodies are cut off at the body timeout with 408.
  for (auto& c : slow) EXPECT_EQ(c->Answer(8000).status, 408);
  done = true;
  dribble.join();
  EXPECT_EQ(handled_, 20);
}

TEST_F(LimitsTest, HugeContentLengthIsRefusedBeforeTheBodyIsRead) {
  options_.max_body_bytes = 64 << 10;
  StartServer();
  RawConnection c(port());
  c.Send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000\r\n\r\n");
  // The answer comes while the client is still sending.
  std::string chunk(64 << 10, 'z');
  for (int i = 0; i < 16 && c.Send(chunk); ++i) {
  }
  RawAnswer a = c.Answer();
  EXPECT_EQ(a.status, 413) << a.body;
  EXPECT_NE(a.body.find("1000000000000"), std::string::npos) << a.body;
  EXPECT_EQ(a.headers["connection"], "close");
  EXPECT_TRUE(c.ClosedWithin(5000));
  EXPECT_EQ(handled_, 0);
}

TEST_F(LimitsTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  RawConnection c(port());
  std::string batch;
  for (int i = 0; i < 20; ++i) batch += Get("/p" + std::to_string(i), i == 19);
  c.Send(batch);
  std::vector<RawAnswer> answers = c.Answers(20);
  ASSERT_EQ(answers.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(answers[i].status, 200);
    EXPECT_EQ(answers[i].body, "GET /p" + std::to_string(i) + " 0");
  }
  EXPECT_TRUE(c.ClosedWithin(5000));  // the last asked for Connection: close
}

TEST_F(LimitsTest, RequestsThatAreNotStrictHttpAreRefused) {
  StartServer();
  EXPECT_EQ(Once("GET /x HTTP/9.9\r\nHost: a\r\n\r\n").status, 505);
  EXPECT_EQ(Once("GET /x HTTP/1.1\r\n\r\n").status, 400);                       // no Host
  EXPECT_EQ(Once("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status, 400);  // two
  EXPECT_EQ(Once("GET /x HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n"s).status, 400);
  EXPECT_EQ(Once("GET /x HTTP/1.1\r\nHost: a\r\nX-A: b\x01" "c\r\n\r\n").status, 400);
  EXPECT_EQ(Once("GET\t/x HTTP/1.1\r\nHost: a\r\n\r\n").status, 400);
  EXPECT_EQ(Once("hello\r\n\r\n").status, 400);
  EXPECT_EQ(Once("GET x HTTP/1.1\r\nHost: a\r\n\r\n").status, 400);             // not a path
  EXPECT_EQ(Once("GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n").status, 400);
  EXPECT_EQ(Once("POST /x HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\nab").status, 415);
  EXPECT_EQ(Once("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n").status, 501);
  EXPECT_EQ(Once("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n").status, 400);
  EXPECT_EQ(Once("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 3\r\n\r\nabc").status, 400);
  EXPECT_EQ(handled_, 0);
  // What is valid still works: HTTP/1.0 without Host, identity encoding, a method the handler judges.
  EXPECT_EQ(Once("GET /x HTTP/1.0\r\n\r\n").status, 200);
  RawAnswer ok = Once("POST /x HTTP/1.1\r\nHost: a\r\nContent-Encoding: identity\r\nContent-Length: 2\r\n\r\nab");
  EXPECT_EQ(ok.body, "POST /x 2");
  EXPECT_EQ(Once("FROB /x HTTP/1.1\r\nHost: a\r\n\r\n").body, "FROB /x 0");
}

TEST_F(LimitsTest, ConnectionsPerAddressAreLimited) {
  options_.max_connections_per_address = 4;
  StartServer();
  std::vector<std::unique_ptr<RawConnection>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<RawConnection>(port()));
    open.back()->Send(Get("/k"));
    EXPECT_EQ(open.back()->Answer().status, 200);
  }
  RawAnswer refused = Once(Get("/k"));
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.headers["retry-after"], "1");
  open.pop_back();  // one closes: a new connection is let in once the server has seen it
  int status = 0;
  for (int i = 0; i < 40 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = Once(Get("/k", true)).status;
  }
  EXPECT_EQ(status, 200);
}

TEST_F(LimitsTest, ExpectContinueIsAnsweredOrRefusedBeforeTheBody) {
  options_.max_body_bytes = 1000;
  StartServer();
  RawConnection c(port());
  c.Send("POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(c.Answer().status, 100);
  c.Send("hello");
  EXPECT_EQ(c.Answer().body, "POST /x 5");
  RawConnection big(port());
  big.Send("POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_EQ(big.Answer().status, 413);
}

TEST_F(LimitsTest, BodiesInFlightAreBounded) {
  options_.max_body_bytes = 1000;
  options_.max_body_bytes_in_flight = 1500;
  StartServer();
  RawConnection first(port());
  first.Send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 800\r\n\r\nabc");
  first.ReadFor(200);
  RawAnswer second = Once("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 800\r\n\r\n" + std::string(800, 'b'));
  EXPECT_EQ(second.status, 503) << second.body;
  first.Send(std::string(797, 'a'));
  EXPECT_EQ(first.Answer().body, "POST /x 800");
  // Its share is given back once answered.
  EXPECT_EQ(Once("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 800\r\n\r\n" + std::string(800, 'b')).status, 200);
}

TEST_F(LimitsTest, HeadAnswersCarryNoBody) {
  StartServer();
  RawConnection c(port());
  c.Send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n" + Get("/after", true));
  EXPECT_TRUE(c.ClosedWithin(5000));
  const std::string& raw = c.data();
  // The HEAD answer says how long the body would be, and the next answer follows its header at once.
  size_t second = raw.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << raw;
  std::string head = raw.substr(0, second);
  EXPECT_NE(head.find("Content-Length: 9"), std::string::npos) << head;  // "HEAD /h 0"
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;
  EXPECT_NE(raw.find("GET /after 0"), std::string::npos) << raw;
}

TEST_F(LimitsTest, AHandlerThatNeverAnswersGets503AndLateAnswersAreDropped) {
  options_.handler_timeout_seconds = 1;
  StartServer();
  RawAnswer a = Once(Get("/hold"), 5000);
  EXPECT_EQ(a.status, 503) << a.body;
  // The late answer goes nowhere, and the server still serves.
  {
    std::lock_guard<std::mutex> lock(mu_);
    ASSERT_EQ(held_.size(), 1u);
    HttpResponse late;
    late.status = 200;
    held_[0](late);
  }
  EXPECT_EQ(Once(Get("/ok")).status, 200);
}

TEST_F(LimitsTest, StopEndsConnectionsWaitingForAnAnswer) {
  StartServer();
  RawConnection waiting(port());
  waiting.Send(Get("/hold"));
  while (handled_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto start = Clock::now();
  server_->Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(waiting.ClosedWithin(2000));
  std::lock_guard<std::mutex> lock(mu_);
  ASSERT_EQ(held_.size(), 1u);
  held_[0](HttpResponse());  // after Stop: dropped
}

}  // namespace
}  // namespace novelta
