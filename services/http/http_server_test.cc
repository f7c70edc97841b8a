// End-to-end tests of the REST service over real HTTP on loopback, with the
// fake Assessor behind it.
// _TURN_OFF_PLATFORM_STRING (cpprest's U() would break gtest) comes from the build.
#include "services/http/http_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cpprest/http_client.h>

#include <set>
#include <thread>

#include "services/fake_assessor.h"
#include "services/service.h"

namespace novelta {
namespace {

namespace http = web::http;

struct Resp {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  Json json() const {
    auto j = ParseJson(body, "response");
    return j.ok() ? *j : Json();
  }
};

class TestServer {
 public:
  TestServer(const std::string& state_dir, std::shared_ptr<FakeAssessor> assessor, ServiceConfig config = {})
      : assessor_(std::move(assessor)) {
    config.state_dir = state_dir;
    config.port = 0;
    config.max_body_bytes = std::max<int64_t>(config.max_body_bytes == (16ll << 20) ? 64 * 1024 : config.max_body_bytes, 1024);
    auto svc = NoveltyService::Open(config, assessor_);
    EXPECT_TRUE(svc.ok()) << svc.status().ToString();
    service_ = std::move(*svc);
    HttpServerOptions opts;
    opts.port = 0;
    opts.max_body_bytes = config.max_body_bytes;
    opts.threads = 8;
    NoveltyService* s = service_.get();
    auto server = HttpServer::Start(opts, [s](HttpRequest r, HttpReply reply) { s->Handle(std::move(r), std::move(reply)); });
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  ~TestServer() { Close(); }
  void Close() {
    if (server_) server_->Stop();
    if (service_) service_->Shutdown(std::chrono::seconds(5));
    server_.reset();
    service_.reset();
  }
  std::string Key(const std::string& name, Scope scope) {
    auto k = service_->keys()->Create(name, scope);
    EXPECT_TRUE(k.ok());
    return k.ok() ? *k : "";
  }

  Resp Do(const std::string& method, const std::string& path, const std::string& key = "",
          const std::string& body = "", const std::string& content_type = "application/json",
          std::map<std::string, std::string> headers = {}) {
    http::client::http_client client("http://127.0.0.1:" + std::to_string(server_->port()));
    http::http_request req(method);
    req.set_request_uri(path);
    if (!key.empty()) req.headers().add("Authorization", "Bearer " + key);
    for (const auto& [k, v] : headers) req.headers().add(k, v);
    if (!body.empty() || method == "POST") req.set_body(body, content_type);
    Resp out;
    try {
      http::http_response resp = client.request(req).get();
      out.status = resp.status_code();
      for (const auto& [k, v] : resp.headers()) out.headers[k] = v;
      out.body = resp.extract_utf8string(true).get();
    } catch (const std::exception& e) {
      ADD_FAILURE() << method << " " << path << ": " << e.what();
    }
    return out;
  }

  // Polls until the job is done or failed.
  Json WaitDone(const std::string& id, const std::string& key) {
    for (int i = 0; i < 400; ++i) {
      Resp r = Do("GET", "/v1/assessments/" + id, key);
      Json j = r.json();
      if (j.value("status", "") == "done" || j.value("status", "") == "failed") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return Json();
  }

  FakeAssessor& assessor() { return *assessor_; }
  NoveltyService& service() { return *service_; }
  int port() const { return server_->port(); }

 private:
  std::shared_ptr<FakeAssessor> assessor_;
  std::unique_ptr<NoveltyService> service_;
  std::unique_ptr<HttpServer> server_;
};

std::string StateDir(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/novelta_http_" + name + "_" + std::to_string(::getpid());
  Env::Default()->RemoveTree(dir);
  return dir;
}

std::string SubmissionBody(const std::string& title, const std::string& abstract = "We propose a method. It works.") {
  return DumpJson(Json{{"title", title}, {"abstract", abstract}, {"submitted", "2025-05-15"}});
}

TEST(HttpServiceTest, SubmitPollAndFetchReports) {
  TestServer server(StateDir("happy"), std::make_shared<FakeAssessor>());
  std::string key = server.Key("writer", Scope::kWrite);
  Resp r = server.Do("POST", "/v1/assessments", key,
                     SubmissionBody("<script>alert(1)</script> Routing", "We propose sparse routing. It is fast."),
                     "application/json", {{"X-Request-Id", "req-123"}});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.headers["X-Request-Id"], "req-123");
  std::string id = r.json()["id"];
  EXPECT_EQ(r.headers["Location"], "/v1/assessments/" + id);
  EXPECT_EQ(r.json()["status"], "queued");
  EXPECT_FALSE(r.headers["RateLimit-Limit"].empty());

  Json done = server.WaitDone(id, key);
  ASSERT_EQ(done["status"], "done");
  EXPECT_EQ(done["report"]["claims"].size(), 2u);
  EXPECT_EQ(done["report"]["conclusion"], "incremental");

  Resp html = server.Do("GET", "/v1/assessments/" + id + "/report.html", key);
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.headers["Content-Type"].find("text/html"), std::string::npos);
  EXPECT_NE(html.body.find("&lt;script&gt;alert(1)&lt;/script&gt; Routing"), std::string::npos);
  EXPECT_EQ(html.body.find("<script>"), std::string::npos);
  EXPECT_NE(html.headers["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);
  Resp md = server.Do("GET", "/v1/assessments/" + id + "/report.md", key);
  ASSERT_EQ(md.status, 200);
  EXPECT_NE(md.body.find("# Novelty report: \\<script\\>"), std::string::npos);

  // ?wait answers with the finished report.
  Resp waited = server.Do("POST", "/v1/assessments?wait=10", key, SubmissionBody("Waited paper"));
  ASSERT_EQ(waited.status, 200) << waited.body;
  EXPECT_EQ(waited.json()["status"], "done");
  EXPECT_TRUE(waited.json().contains("report"));

  // Single stages.
  Resp claims = server.Do("POST", "/v1/claims", key, SubmissionBody("Claims paper", "One. Two. Three."));
  ASSERT_EQ(claims.status, 200) << claims.body;
  EXPECT_EQ(claims.json()["claims"].size(), 3u);
  Resp related = server.Do("POST", "/v1/related?top_k=2", key, SubmissionBody("Related paper"));
  ASSERT_EQ(related.status, 200) << related.body;
  EXPECT_EQ(related.json()["related_work"].size(), 2u);

  // Operational routes.
  EXPECT_EQ(server.Do("GET", "/healthz").status, 200);
  EXPECT_EQ(server.Do("GET", "/readyz").status, 200);
  EXPECT_EQ(server.Do("GET", "/openapi.json").status, 200);
  Resp metrics = server.Do("GET", "/metrics", key);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("novelta_http_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.body.find("novelta_stage_duration_seconds_bucket{"), std::string::npos);
  EXPECT_NE(metrics.body.find("novelta_jobs{status=\"done\"} 2"), std::string::npos);
  EXPECT_NE(metrics.body.find("novelta_index_papers 3"), std::string::npos);

  // Delete.
  EXPECT_EQ(server.Do("DELETE", "/v1/assessments/" + id, key).status, 204);
  EXPECT_EQ(server.Do("GET", "/v1/assessments/" + id, key).status, 404);
}

TEST(HttpServiceTest, ErrorClassesAreProblems) {
  TestServer server(StateDir("errors"), std::make_shared<FakeAssessor>());
  std::string writer = server.Key("writer", Scope::kWrite);
  std::string reader = server.Key("reader", Scope::kRead);
  auto expect_problem = [](const Resp& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.headers.count("Content-Type") ? r.headers.at("Content-Type") : "", "application/problem+json");
    Json j = ParseJson(r.body, "problem").ok() ? *ParseJson(r.body, "problem") : Json();
    EXPECT_EQ(j.value("status", 0), status);
    EXPECT_FALSE(j.value("request_id", "").empty());
    EXPECT_NE(j.value("detail", "").find(needle), std::string::npos) << j.dump();
  };
  expect_problem(server.Do("GET", "/v1/assessments"), 401, "API key");
  expect_problem(server.Do("GET", "/v1/assessments", "nvk_bogus"), 401, "not valid");
  expect_problem(server.Do("POST", "/v1/assessments", reader, SubmissionBody("x")), 403, "scope 'read'");
  EXPECT_EQ(server.Do("GET", "/v1/assessments", reader).status, 200);  // read keys can GET
  expect_problem(server.Do("POST", "/v1/assessments", writer, "title: x", "text/plain"), 415, "text/plain");
  expect_problem(server.Do("POST", "/v1/assessments", writer, "{\"title\": ", "application/json"), 400, "request body");
  expect_problem(server.Do("POST", "/v1/assessments", writer, "{\"title\": \"T\", \"abstract\": 5}"), 400,
                 "'abstract' must be a string");
  expect_problem(server.Do("POST", "/v1/assessments", writer, "{\"title\": \"T\", \"abstract\": \"A\", \"submitted\": \"May\"}"),
                 400, "'submitted'");
  expect_problem(server.Do("POST", "/v1/assessments?wait=9999", writer, SubmissionBody("x")), 400, "'wait'");
  expect_problem(server.Do("GET", "/v1/assessments/asm_nope", writer), 404, "asm_nope");
  expect_problem(server.Do("GET", "/v2/whatever", writer), 404, "no route");
  Resp wrong = server.Do("PATCH", "/v1/assessments", writer);
  expect_problem(wrong, 405, "allowed");
  EXPECT_NE(wrong.headers["Allow"].find("GET"), std::string::npos);
  std::string big = SubmissionBody("Big", std::string(100 * 1024, 'a'));
  expect_problem(server.Do("POST", "/v1/assessments", writer, big), 413, "limit");
  expect_problem(server.Do("GET", "/v1/assessments?status=bogus", writer), 400, "'status'");
  expect_problem(server.Do("GET", "/v1/assessments?cursor=zzz", writer), 400, "'cursor'");
  // Report of an unfinished or failed job: 409.
  Resp failed = server.Do("POST", "/v1/assessments?wait=10", writer, SubmissionBody("FAIL me"));
  ASSERT_EQ(failed.status, 200);
  EXPECT_EQ(failed.json()["status"], "failed");
  EXPECT_NE(failed.json()["error"].get<std::string>().find("fails this submission"), std::string::npos);
  expect_problem(server.Do("GET", "/v1/assessments/" + failed.json()["id"].get<std::string>() + "/report.html", writer),
                 409, "failed");
  // Another key cannot see this key's jobs.
  std::string other = server.Key("other", Scope::kWrite);
  EXPECT_EQ(server.Do("GET", "/v1/assessments/" + failed.json()["id"].get<std::string>(), other).status, 404);
}

TEST(HttpServiceTest, RateLimitAnswers429WithHeaders) {
  ServiceConfig config;
  config.rate_limit_burst = 3;
  config.rate_limit_per_second = 0.5;
  TestServer server(StateDir("ratelimit"), std::make_shared<FakeAssessor>(), config);
  std::string key = server.Key("k", Scope::kRead);
  for (int i = 0; i < 3; ++i) {
    Resp r = server.Do("GET", "/v1/assessments", key);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["RateLimit-Remaining"], std::to_string(2 - i));
  }
  Resp r = server.Do("GET", "/v1/assessments", key);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["RateLimit-Limit"], "3");
  EXPECT_EQ(r.headers["Retry-After"], "2");
  EXPECT_EQ(server.Do("GET", "/healthz").status, 200);  // public routes are not limited
}

TEST(HttpServiceTest, IdempotencyKeys) {
  TestServer server(StateDir("idem"), std::make_shared<FakeAssessor>());
  std::string key = server.Key("writer", Scope::kWrite);
  Resp a = server.Do("POST", "/v1/assessments", key, SubmissionBody("Same"), "application/json", {{"Idempotency-Key", "abc"}});
  Resp b = server.Do("POST", "/v1/assessments", key, SubmissionBody("Same"), "application/json", {{"Idempotency-Key", "abc"}});
  ASSERT_EQ(a.status, 202);
  ASSERT_EQ(b.status, 202);
  EXPECT_EQ(a.json()["id"], b.json()["id"]);
  EXPECT_EQ(b.headers["Idempotent-Replayed"], "true");
  Resp c = server.Do("POST", "/v1/assessments", key, SubmissionBody("Different"), "application/json", {{"Idempotency-Key", "abc"}});
  EXPECT_EQ(c.status, 422);
  server.WaitDone(a.json()["id"], key);
  EXPECT_EQ(server.assessor().assess_calls()["Same"], 1);
}

TEST(HttpServiceTest, BatchAndCursorPagination) {
  TestServer server(StateDir("pages"), std::make_shared<FakeAssessor>());
  std::string key = server.Key("writer", Scope::kWrite);
  Json batch = {{"submissions", Json::array()}};
  for (int i = 0; i < 5; ++i) batch["submissions"].push_back(Json::parse(SubmissionBody("Paper " + std::to_string(i))));
  Resp r = server.Do("POST", "/v1/assessments:batch", key, DumpJson(batch));
  ASSERT_EQ(r.status, 202) << r.body;
  const Json jobs = r.json()["jobs"];  // a copy: r.json() is a temporary
  ASSERT_EQ(jobs.size(), 5u);
  Json bad = {{"submissions", {Json::parse(SubmissionBody("ok")), Json{{"title", "no abstract"}}}}};
  Resp rb = server.Do("POST", "/v1/assessments:batch", key, DumpJson(bad));
  EXPECT_EQ(rb.status, 400);
  EXPECT_NE(rb.body.find("submissions[1]"), std::string::npos);

  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    Resp page = server.Do("GET", "/v1/assessments?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), key);
    ASSERT_EQ(page.status, 200) << page.body;
    Json j = page.json();
    EXPECT_LE(j["items"].size(), 2u);
    for (const auto& item : j["items"]) EXPECT_TRUE(seen.insert(item["id"].get<std::string>()).second);
    cursor = j["next_cursor"].is_string() ? j["next_cursor"].get<std::string>() : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);
  for (const auto& job : jobs) EXPECT_TRUE(seen.count(job["id"].get<std::string>()));
  for (const auto& job : jobs) {
    Json j = server.WaitDone(job["id"], key);
    EXPECT_EQ(j["status"], "done") << j.dump();
  }
  Resp done = server.Do("GET", "/v1/assessments?status=done&limit=50", key);
  EXPECT_EQ(done.json()["items"].size(), 5u) << done.body;
}

TEST(HttpServiceTest, RestartFinishesQueuedJobsExactlyOnce) {
  std::string dir = StateDir("restart");
  std::vector<std::string> ids;
  std::string key;
  auto slow = std::make_shared<FakeAssessor>(/*delay_ms=*/300);
  {
    TestServer first(dir, slow);
    key = first.Key("writer", Scope::kWrite);
    for (int i = 0; i < 4; ++i) {
      Resp r = first.Do("POST", "/v1/assessments", key, SubmissionBody("Restart " + std::to_string(i)));
      ASSERT_EQ(r.status, 202);
      ids.push_back(r.json()["id"]);
    }
    first.Close();  // one job at most has run; the rest are still queued
  }
  int first_calls = slow->total_assess_calls();
  EXPECT_LT(first_calls, 4);
  auto fast = std::make_shared<FakeAssessor>();
  TestServer second(dir, fast);
  for (const auto& id : ids) EXPECT_EQ(second.WaitDone(id, key)["status"], "done");
  // Every job ran exactly once across both processes.
  std::map<std::string, int> calls = slow->assess_calls();
  for (const auto& [title, n] : fast->assess_calls()) calls[title] += n;
  EXPECT_EQ(calls.size(), 4u);
  for (const auto& [title, n] : calls) EXPECT_EQ(n, 1) << title;
}

TEST(HttpServiceTest, ThirtyTwoConcurrentClients) {
  ServiceConfig config;
  config.workers = 2;
  TestServer server(StateDir("concurrent"), std::make_shared<FakeAssessor>(), config);
  std::string key = server.Key("writer", Scope::kWrite);
  std::vector<std::thread> clients;
  std::vector<std::string> ids(32);
  std::atomic<int> accepted{0};
  for (int i = 0; i < 32; ++i) {
    clients.emplace_back([&, i] {
      Resp r = server.Do("POST", "/v1/assessments", key, SubmissionBody("Concurrent " + std::to_string(i)));
      if (r.status == 202) {
        ++accepted;
        ids[i] = r.json()["id"];
      }
      server.Do("GET", "/healthz");
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(accepted.load(), 32);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 32u);
  for (const auto& id : ids) {
    if (!id.empty()) EXPECT_EQ(server.WaitDone(id, key)["status"], "done");
  }
  EXPECT_EQ(server.assessor().total_assess_calls(), 32);
}

}  // namespace
}  // namespace novelta

namespace novelta {
namespace {

// The adapter hands the core the body's bytes unchanged, whatever the media type.
TEST(HttpAdapterTest, BodiesArriveByteForByteForEveryMediaType) {
  HttpServerOptions opts;
  opts.port = 0;
  auto server = HttpServer::Start(opts, [](HttpRequest r, HttpReply reply) {
    HttpResponse resp;
    resp.status = 200;
    resp.headers["Content-Type"] = "application/octet-stream";
    resp.body = r.body;
    reply(std::move(resp));
  });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  const std::pair<std::string, std::string> cases[] = {
      {"text/markdown", "# Title\n\n## Abstract\n\nWe propose a method. Caf\xc3\xa9.\n"},
      {"text/markdown; charset=utf-8", "# T\n\nplain text"},
      {"text/plain", "hello world"},
      {"application/pdf", "%PDF-1.4\n" + binary},
      {"application/json", "{\"title\":\"x\"}"},
  };
  for (const auto& [type, body] : cases) {
    http::client::http_client client("http://127.0.0.1:" + std::to_string((*server)->port()));
    http::http_request req(http::methods::POST);
    req.set_request_uri("/echo");
    req.set_body(std::vector<unsigned char>(body.begin(), body.end()));
    req.headers().set_content_type(type);
    http::http_response resp = client.request(req).get();
    EXPECT_EQ(resp.status_code(), 200) << type;
    std::vector<unsigned char> got = resp.extract_vector().get();
    EXPECT_EQ(got.size(), body.size()) << type;
    EXPECT_TRUE(std::string(got.begin(), got.end()) == body) << type << ": the bytes differ";
  }
  (*server)->Stop();
}

}  // namespace
}  // namespace novelta
