// The OpenAI-compatible client and the cache, against FakeLlmServer: a real
// HTTP server on loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include "llm/fake_llm_server.h"
#include "llm/llm_client.h"

namespace novelta {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Json VerdictSchema() {
  return Json::parse(R"({
    "type": "object",
    "properties": {
      "verdict": {"type": "string", "enum": ["novel", "anticipated"]},
      "score": {"type": "number", "minimum": 0, "maximum": 1}
    },
    "required": ["verdict", "score"],
    "additionalProperties": false
  })");
}

Json GoodContent() { return {{"verdict", "novel"}, {"score", 0.75}}; }

LlmRequest VerdictRequest(const std::string& user = "Is claim 1 novel?") {
  LlmRequest r;
  r.system = "You judge novelty.";
  r.user = user;
  r.schema_name = "verdict";
  r.schema = VerdictSchema();
  r.max_tokens = 256;
  return r;
}

OpenAiClientOptions FastOptions(const FakeLlmServer& server) {
  OpenAiClientOptions o;
  o.base_url = server.url();
  o.model = "test-model";
  o.timeout_seconds = 5;
  o.max_retries = 2;
  o.backoff_seconds = 0.01;
  o.max_backoff_seconds = 0.05;
  return o;
}

std::unique_ptr<LlmClient> MakeClient(const OpenAiClientOptions& o) {
  auto client = NewOpenAiClient(o);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

// A loopback port nothing listens on.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(OpenAiClientTest, ParsesAValidAnswerAndSendsAWellFormedRequest) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(GoodContent(), {{"prompt_tokens", 42}, {"completion_tokens", 7}}));
  OpenAiClientOptions o = FastOptions(server);
  o.api_key = "sk-test-key";
  o.temperature = 0.25;
  auto client = MakeClient(o);
  auto answer = client->Complete(VerdictRequest());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->content, GoodContent());
  EXPECT_EQ(answer->prompt_tokens, 42);
  EXPECT_EQ(answer->completion_tokens, 7);
  EXPECT_FALSE(answer->cached);
  EXPECT_EQ(client->model(), "test-model");
  EXPECT_EQ(client->usage().calls, 1);
  EXPECT_EQ(client->usage().prompt_tokens, 42);
  EXPECT_EQ(client->usage().completion_tokens, 7);

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/chat/completions");
  EXPECT_EQ(r.headers.at("authorization"), "Bearer sk-test-key");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  Json body = r.Body();
  EXPECT_EQ(body["model"], "test-model");
  EXPECT_EQ(body["max_tokens"], 256);
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.25);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0], Json({{"role", "system"}, {"content", "You judge novelty."}}));
  EXPECT_EQ(body["messages"][1], Json({{"role", "user"}, {"content", "Is claim 1 novel?"}}));
  EXPECT_EQ(body["response_format"]["type"], "json_schema");
  EXPECT_EQ(body["response_format"]["json_schema"]["name"], "verdict");
  EXPECT_EQ(body["response_format"]["json_schema"]["strict"], true);
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"], VerdictSchema());
}

TEST(OpenAiClientTest, SendsNoAuthorizationWithoutAKey) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(GoodContent()));
  auto client = MakeClient(FastOptions(server));
  ASSERT_TRUE(client->Complete(VerdictRequest()).ok());
  EXPECT_EQ(server.requests()[0].headers.count("authorization"), 0u);
}

TEST(OpenAiClientTest, MalformedContentIsRetried) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::ChatRaw("{\"verdict\": \"novel\", "));  // cut short
  server.Push(FakeLlmServer::Chat(GoodContent()));
  auto client = MakeClient(FastOptions(server));
  auto answer = client->Complete(VerdictRequest());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->content, GoodContent());
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_EQ(client->usage().invalid_answers, 1);
}

TEST(OpenAiClientTest, PersistentlyMalformedContentIsCorruption) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::ChatRaw("Sure! Here is the JSON you asked for."));
  auto client = MakeClient(FastOptions(server));  // max_retries 2
  auto answer = client->Complete(VerdictRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_TRUE(answer.status().IsCorruption()) << answer.status().ToString();
  EXPECT_NE(answer.status().message().find("the answer: invalid JSON"), std::string::npos)
      << answer.status().ToString();
  EXPECT_EQ(server.request_count(), 3);
  EXPECT_EQ(client->usage().calls, 3);
  EXPECT_EQ(client->usage().invalid_answers, 3);
}

TEST(OpenAiClientTest, ABrokenEnvelopeIsAnInvalidAnswer) {
  FakeLlmServer server;
  server.Push({200, {}, "<html>gateway</html>"});
  server.Push({200, {}, R"({"choices": []})"});
  server.Push(FakeLlmServer::Chat(GoodContent()));
  auto client = MakeClient(FastOptions(server));
  auto answer = client->Complete(VerdictRequest());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(client->usage().invalid_answers, 2);
}

TEST(OpenAiClientTest, SchemaViolationsAreRetriedThenCorruption) {
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"verdict", "novel"}}, "missing required property \"score\""},
      {{{"verdict", "groundbreaking"}, {"score", 0.5}}, "verdict: \"groundbreaking\" is not one of"},
      {{{"verdict", "novel"}, {"score", 0.5}, {"why", "because"}}, "property \"why\" is not allowed"},
      {{{"verdict", "novel"}, {"score", 2}}, "score: 2 is above maximum 1"},
  };
  for (const auto& [content, expected] : cases) {
    SCOPED_TRACE(DumpJson(content));
    FakeLlmServer server;
    server.SetFallback(FakeLlmServer::Chat(content));
    auto client = MakeClient(FastOptions(server));
    auto answer = client->Complete(VerdictRequest());
    ASSERT_FALSE(answer.ok());
    EXPECT_TRUE(answer.status().IsCorruption()) << answer.status().ToString();
    EXPECT_NE(answer.status().message().find(expected), std::string::npos) << answer.status().ToString();
    EXPECT_EQ(server.request_count(), 3);
    EXPECT_EQ(client->usage().invalid_answers, 3);
  }
}

TEST(OpenAiClientTest, ServerErrorThenSuccess) {
  FakeLlmServer server;
  server.Push({500, {}, "{\"error\": \"boom\"}"});
  server.Push(FakeLlmServer::Chat(GoodContent()));
  auto client = MakeClient(FastOptions(server));
  auto answer = client->Complete(VerdictRequest());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_EQ(client->usage().calls, 2);
}

TEST(OpenAiClientTest, AClosedConnectionIsRetried) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::Response::Close());
  server.Push(FakeLlmServer::Chat(GoodContent()));
  auto client = MakeClient(FastOptions(server));
  auto answer = client->Complete(VerdictRequest());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(server.request_count(), 2);
}

TEST(OpenAiClientTest, PersistentServerErrorsAreFailedPrecondition) {
  FakeLlmServer server;
  server.SetFallback({503, {}, "overloaded"});
  auto client = MakeClient(FastOptions(server));
  auto answer = client->Complete(VerdictRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Status::Code::kFailedPrecondition) << answer.status().ToString();
  EXPECT_NE(answer.status().message().find("HTTP 503"), std::string::npos);
  EXPECT_NE(answer.status().message().find("after 3 tries"), std::string::npos);
  EXPECT_EQ(server.request_count(), 3);
}

TEST(OpenAiClientTest, ClientErrorsAreNotRetried) {
  FakeLlmServer server;
  server.Push({400, {}, "{\"error\": \"unknown model\"}"});
  server.Push({401, {}, "{\"error\": \"bad key\"}"});
  auto client = MakeClient(FastOptions(server));
  auto bad_request = client->Complete(VerdictRequest());
  EXPECT_TRUE(bad_request.status().IsInvalidArgument()) << bad_request.status().ToString();
  EXPECT_NE(bad_request.status().message().find("unknown model"), std::string::npos);
  auto unauthorised = client->Complete(VerdictRequest());
  EXPECT_EQ(unauthorised.status().code(), Status::Code::kPermissionDenied) << unauthorised.status().ToString();
  EXPECT_EQ(server.request_count(), 2);
}

TEST(OpenAiClientTest, RetryAfterIsHonoured) {
  FakeLlmServer server;
  server.Push({429, {{"Retry-After", "1"}}, "{\"error\": \"rate limited\"}"});
  server.Push(FakeLlmServer::Chat(GoodContent()));
  OpenAiClientOptions o = FastOptions(server);  // backoff 0.01 s
  o.max_backoff_seconds = 5;  // caps Retry-After too: allow it here
  auto client = MakeClient(o);
  const auto start = Clock::now();
  auto answer = client->Complete(VerdictRequest());
  const double elapsed = SecondsSince(start);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_GE(elapsed, 1.0);
  EXPECT_LT(elapsed, 4.0);
}

TEST(OpenAiClientTest, RetryAfterIsCappedByMaxBackoff) {
  FakeLlmServer server;
  server.Push({503, {{"Retry-After", "30"}}, ""});
  server.Push(FakeLlmServer::Chat(GoodContent()));
  auto client = MakeClient(FastOptions(server));  // max_backoff_seconds 0.05
  const auto start = Clock::now();
  ASSERT_TRUE(client->Complete(VerdictRequest()).ok());
  EXPECT_LT(SecondsSince(start), 2.0);
}

TEST(OpenAiClientTest, TimeoutsFailAfterRetriesInBoundedTime) {
  FakeLlmServer server;
  FakeLlmServer::Response slow = FakeLlmServer::Chat(GoodContent());
  slow.delay_seconds = 10;
  server.SetFallback(slow);
  OpenAiClientOptions o = FastOptions(server);
  o.timeout_seconds = 0.5;
  o.max_retries = 1;
  auto client = MakeClient(o);
  const auto start = Clock::now();
  auto answer = client->Complete(VerdictRequest());
  const double elapsed = SecondsSince(start);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Status::Code::kFailedPrecondition) << answer.status().ToString();
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_GE(elapsed, 1.0);  // two tries of 0.5 s
  EXPECT_LT(elapsed, 4.0);
}

TEST(OpenAiClientTest, ConnectionRefusedIsFailedPrecondition) {
  OpenAiClientOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
  o.model = "test-model";
  o.max_retries = 2;
  o.backoff_seconds = 0.01;
  auto client = MakeClient(o);
  const auto start = Clock::now();
  auto answer = client->Complete(VerdictRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Status::Code::kFailedPrecondition) << answer.status().ToString();
  EXPECT_EQ(client->usage().calls, 3);
  EXPECT_LT(SecondsSince(start), 3.0);
}

TEST(OpenAiClientTest, ResponsesLargerThanTheCapFail) {
  FakeLlmServer server;
  server.Push({200, {}, std::string(9u << 20, 'x')});
  auto client = MakeClient(FastOptions(server));
  auto answer = client->Complete(VerdictRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.status().message().find("larger than 8 MiB"), std::string::npos) << answer.status().ToString();
  EXPECT_EQ(server.request_count(), 1);
}

TEST(OpenAiClientTest, TheTokenBudgetRefusesWithoutCalling) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat(GoodContent(), {{"prompt_tokens", 10}, {"completion_tokens", 5}}));
  OpenAiClientOptions o = FastOptions(server);
  o.token_budget = 20;
  auto client = MakeClient(o);
  ASSERT_TRUE(client->Complete(VerdictRequest()).ok());  // 15 spent
  ASSERT_TRUE(client->Complete(VerdictRequest()).ok());  // 30 spent
  auto refused = client->Complete(VerdictRequest());
  EXPECT_EQ(refused.status().code(), Status::Code::kResourceExhausted) << refused.status().ToString();
  EXPECT_EQ(server.request_count(), 2);
  EXPECT_EQ(client->usage().calls, 2);
}

TEST(OpenAiClientTest, TheBudgetEstimatesTokensWhenTheServerGivesNoUsage) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat(GoodContent(), Json()));
  OpenAiClientOptions o = FastOptions(server);
  o.token_budget = 100;
  auto client = MakeClient(o);
  // About 400 bytes of prompt: an estimated 100 tokens, the whole budget.
  auto first = client->Complete(VerdictRequest(std::string(400, 'a')));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->prompt_tokens, 0);  // the server did not say
  auto refused = client->Complete(VerdictRequest());
  EXPECT_EQ(refused.status().code(), Status::Code::kResourceExhausted) << refused.status().ToString();
  EXPECT_EQ(server.request_count(), 1);
}

TEST(OpenAiClientTest, TheConcurrencyLimitIsRespected) {
  FakeLlmServer server;
  FakeLlmServer::Response slow = FakeLlmServer::Chat(GoodContent());
  slow.delay_seconds = 0.2;
  server.SetFallback(slow);
  OpenAiClientOptions o = FastOptions(server);
  o.max_concurrency = 2;
  auto client = MakeClient(o);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      if (client->Complete(VerdictRequest()).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 6);
  EXPECT_EQ(server.request_count(), 6);
  EXPECT_EQ(server.max_in_flight(), 2);  // never more than the limit, and the limit is used
}

TEST(OpenAiClientTest, TheApiKeyNeverAppearsInErrorsOrLogs) {
  const std::string key = "sk-SECRET-123";
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));

  std::vector<std::string> messages;
  {
    FakeLlmServer server;  // a hostile server echoes the key everywhere
    server.Push({500, {}, "bad key " + key});
    server.Push({503, {}, "still " + key});
    server.Push({502, {}, key});
    server.Push({401, {}, "{\"error\": \"invalid key " + key + "\"}"});
    server.Push(FakeLlmServer::ChatRaw("not json " + key));
    server.Push(FakeLlmServer::Chat({{"verdict", key}, {"score", 0.5}}));
    server.Push(FakeLlmServer::Chat({{"verdict", "novel"}, {"score", 0.5}, {key, 1}}));
    OpenAiClientOptions o = FastOptions(server);
    o.api_key = key;
    auto client = MakeClient(o);
    for (int i = 0; i < 3; ++i) {
      auto answer = client->Complete(VerdictRequest());
      ASSERT_FALSE(answer.ok());
      messages.push_back(answer.status().ToString());
    }
    EXPECT_EQ(server.requests()[0].headers.at("authorization"), "Bearer " + key);  // it was sent
  }
  {
    OpenAiClientOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
    o.model = "m";
    o.api_key = key;
    o.max_retries = 1;
    o.backoff_seconds = 0.01;
    auto client = MakeClient(o);
    messages.push_back(client->Complete(VerdictRequest()).status().ToString());
  }
  spdlog::set_default_logger(previous);

  ASSERT_EQ(messages.size(), 4u);
  for (const auto& m : messages) {
    EXPECT_EQ(m.find("SECRET"), std::string::npos) << m;
    EXPECT_FALSE(m.empty());
  }
  EXPECT_NE(log.str().find("retry"), std::string::npos) << log.str();  // retries were logged
  EXPECT_EQ(log.str().find("SECRET"), std::string::npos) << log.str();
}

TEST(OpenAiClientTest, RejectsBadOptionsAndRequests) {
  OpenAiClientOptions o;
  o.model = "m";
  EXPECT_TRUE(NewOpenAiClient(o).status().IsInvalidArgument());  // no base_url
  o.base_url = "ftp://127.0.0.1/v1";
  EXPECT_TRUE(NewOpenAiClient(o).status().IsInvalidArgument());
  o.base_url = "http://127.0.0.1:1/v1";
  o.model = "";
  EXPECT_TRUE(NewOpenAiClient(o).status().IsInvalidArgument());
  o.model = "m";
  o.api_key = "sk-SECRET\r\nX-Evil: 1";
  auto refused = NewOpenAiClient(o);
  EXPECT_TRUE(refused.status().IsInvalidArgument());
  EXPECT_EQ(refused.status().message().find("SECRET"), std::string::npos);

  FakeLlmServer server;
  auto client = MakeClient(FastOptions(server));
  LlmRequest r = VerdictRequest();
  r.schema_name = "has space";
  EXPECT_TRUE(client->Complete(r).status().IsInvalidArgument());
  r = VerdictRequest();
  r.schema = Json::array();
  EXPECT_TRUE(client->Complete(r).status().IsInvalidArgument());
  r = VerdictRequest();
  r.max_tokens = 0;
  EXPECT_TRUE(client->Complete(r).status().IsInvalidArgument());
  EXPECT_EQ(server.request_count(), 0);
}

class CachedClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("novelta_llm_cache_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "cache.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<LlmClient> Cached(const FakeLlmServer& server, const std::string& model = "test-model") {
    OpenAiClientOptions o = FastOptions(server);
    o.model = model;
    auto cached = NewCachedClient(MakeClient(o), path_);
    EXPECT_TRUE(cached.ok()) << cached.status().ToString();
    return cached.ok() ? std::move(cached).value() : nullptr;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(CachedClientTest, ASecondIdenticalRequestMakesNoCall) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat(GoodContent(), {{"prompt_tokens", 11}, {"completion_tokens", 3}}));
  auto client = Cached(server);
  auto first = client->Complete(VerdictRequest());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->cached);
  auto second = client->Complete(VerdictRequest());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->cached);
  EXPECT_EQ(second->content, first->content);
  EXPECT_EQ(second->prompt_tokens, 11);
  EXPECT_EQ(second->completion_tokens, 3);
  EXPECT_EQ(server.request_count(), 1);
  EXPECT_EQ(client->usage().calls, 1);
  EXPECT_EQ(client->usage().cache_hits, 1);
  EXPECT_EQ(client->usage().prompt_tokens, 11);  // a hit spends nothing
  EXPECT_EQ(client->model(), "test-model");
}

TEST_F(CachedClientTest, ADifferentPromptOrModelIsAMiss) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat(GoodContent()));
  {
    auto client = Cached(server, "model-a");
    ASSERT_TRUE(client->Complete(VerdictRequest("claim 1")).ok());
    ASSERT_TRUE(client->Complete(VerdictRequest("claim 2")).ok());
    EXPECT_EQ(server.request_count(), 2);
    LlmRequest r = VerdictRequest("claim 1");
    r.max_tokens = 100;
    ASSERT_TRUE(client->Complete(r).ok());
    EXPECT_EQ(server.request_count(), 3);
    EXPECT_EQ(client->usage().cache_hits, 0);
  }
  auto other = Cached(server, "model-b");
  auto answer = other->Complete(VerdictRequest("claim 1"));
  ASSERT_TRUE(answer.ok());
  EXPECT_FALSE(answer->cached);
  EXPECT_EQ(server.request_count(), 4);
}

TEST_F(CachedClientTest, InvalidAnswersAreNotCached) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat({{"verdict", "maybe"}, {"score", 0.5}}));
  auto client = Cached(server);
  EXPECT_TRUE(client->Complete(VerdictRequest()).status().IsCorruption());
  EXPECT_EQ(server.request_count(), 3);
  EXPECT_TRUE(client->Complete(VerdictRequest()).status().IsCorruption());
  EXPECT_EQ(server.request_count(), 6);  // asked again: nothing was stored
  EXPECT_EQ(client->usage().cache_hits, 0);
  EXPECT_EQ(client->usage().invalid_answers, 6);
}

TEST_F(CachedClientTest, TheCacheSurvivesReopening) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(GoodContent()));
  ASSERT_TRUE(Cached(server)->Complete(VerdictRequest()).ok());
  ASSERT_EQ(server.request_count(), 1);
  auto reopened = Cached(server);
  auto answer = reopened->Complete(VerdictRequest());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE(answer->cached);
  EXPECT_EQ(answer->content, GoodContent());
  EXPECT_EQ(server.request_count(), 1);
}

TEST_F(CachedClientTest, ConcurrentCallersShareTheCache) {
  FakeLlmServer server;
  server.SetFallback(FakeLlmServer::Chat(GoodContent()));
  auto client = Cached(server);
  ASSERT_TRUE(client->Complete(VerdictRequest("warm")).ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      if (client->Complete(VerdictRequest(i % 2 ? "warm" : "cold " + std::to_string(i))).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(client->usage().cache_hits, 4);
  EXPECT_EQ(server.request_count(), 5);
}

TEST_F(CachedClientTest, AnUnwritablePathIsAnError) {
  FakeLlmServer server;
  OpenAiClientOptions o = FastOptions(server);
  auto cached = NewCachedClient(MakeClient(o), (dir_ / "missing" / "cache.db").string());
  EXPECT_FALSE(cached.ok());
  EXPECT_FALSE(NewCachedClient(nullptr, path_).ok());
}

}  // namespace
}  // namespace novelta
