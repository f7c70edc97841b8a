// The service on PostgreSQL, as replicas run it: readiness follows the
// database, and a request waiting on a job (?wait) is answered when another
// replica finishes it.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "services/fake_assessor.h"
#include "services/service.h"
#include "services/state/pg_test_cluster.h"

namespace novelta {
namespace {

using namespace std::chrono_literals;
using testing_support::PgTestCluster;

HttpResponse Call(NoveltyService& svc, const std::string& method, const std::string& path,
                  const std::string& body = "", const std::string& key = "") {
  HttpRequest req;
  if (!key.empty()) req.headers["authorization"] = "Bearer " + key;
  req.method = method;
  size_t q = path.find('?');
  req.path = path.substr(0, q);
  if (q != std::string::npos) {
    std::string kv = path.substr(q + 1);
    size_t eq = kv.find('=');
    req.query[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  req.body = body;
  if (!body.empty()) req.headers["content-type"] = "application/json";
  std::promise<HttpResponse> p;
  auto f = p.get_future();
  svc.Handle(req, [&p](HttpResponse r) { p.set_value(std::move(r)); });
  return f.get();
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    cluster_ = testing_support::SharedPgCluster(&why);
    ASSERT_NE(cluster_, nullptr) << why;
  }

  ServiceConfig Config(const std::string& db) {
    auto uri = cluster_->NewDatabase(db);
    EXPECT_TRUE(uri.ok()) << uri.status().ToString();
    ServiceConfig c;
    c.state_dir = uri.ok() ? *uri : "";
    c.require_api_keys = false;
    c.lease_seconds = 3;
    return c;
  }
  PgTestCluster* cluster_ = nullptr;
};

TEST_F(ReplicaTest, ReadinessFollowsTheDatabase) {
  auto svc = NoveltyService::Open(Config("ready"), std::make_shared<FakeAssessor>());
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  HttpResponse ready = Call(**svc, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  cluster_->Halt();
  HttpResponse down = Call(**svc, "GET", "/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_NE(down.body.find("the job database is unavailable"), std::string::npos) << down.body;
  EXPECT_EQ(down.body.find("127.0.0.1"), std::string::npos) << "readiness must not describe the database";
  EXPECT_EQ(Call(**svc, "GET", "/healthz").status, 200);  // alive, only not ready
  ASSERT_TRUE(cluster_->Resume().ok());
  EXPECT_EQ(Call(**svc, "GET", "/readyz").status, 200);
}

TEST_F(ReplicaTest, AWaitingRequestIsAnsweredWhenAnotherReplicaFinishesTheJob) {
  ServiceConfig config = Config("wait");
  auto slow = std::make_shared<FakeAssessor>(/*delay_ms=*/4000);
  auto fast = std::make_shared<FakeAssessor>();
  auto a = NoveltyService::Open(config, slow);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // The first replica's only worker is busy for 4 s with the first job.
  HttpResponse first = Call(**a, "POST", "/v1/assessments", R"({"title":"first","abstract":"We propose X."})");
  ASSERT_EQ(first.status, 202) << first.body;
  auto until = std::chrono::steady_clock::now() + 3s;
  while (slow->total_assess_calls() == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(slow->total_assess_calls(), 1);
  auto b = NoveltyService::Open(config, fast);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  // Submitted to the busy replica, run by the other, answered by the first.
  auto t0 = std::chrono::steady_clock::now();
  HttpResponse waited =
      Call(**a, "POST", "/v1/assessments?wait=20", R"({"title":"second","abstract":"We propose Y."})");
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(waited.status, 200) << waited.body;
  EXPECT_NE(waited.body.find("\"status\":\"done\""), std::string::npos) << waited.body.substr(0, 300);
  EXPECT_EQ(fast->assess_calls()["second"], 1);
  EXPECT_EQ(slow->assess_calls().count("second"), 0u);
  EXPECT_LT(took, 3500ms) << "answered only when the first replica's worker was free";
  (*a)->Shutdown(10s);
  (*b)->Shutdown(10s);
}

TEST_F(ReplicaTest, AKeysRateLimitHoldsAcrossReplicas) {
  ServiceConfig config = Config("limits");
  config.require_api_keys = true;
  config.rate_limit_burst = 5;
  config.rate_limit_per_second = 0.01;  // no token comes back within the test
  auto a = NoveltyService::Open(config, std::make_shared<FakeAssessor>());
  auto b = NoveltyService::Open(config, std::make_shared<FakeAssessor>());
  ASSERT_TRUE(a.ok() && b.ok());
  auto key = (*a)->keys()->Create("reader", Scope::kRead);
  ASSERT_TRUE(key.ok());
  // Five tokens in all, whichever replica the requests reach.
  std::vector<int> statuses;
  for (int i = 0; i < 7; ++i) {
    NoveltyService& replica = i % 2 == 0 ? **a : **b;
    HttpResponse r = Call(replica, "GET", "/v1/assessments", "", *key);
    statuses.push_back(r.status);
    if (i == 4) EXPECT_EQ(r.headers["RateLimit-Remaining"], "0");
    if (r.status == 429) EXPECT_FALSE(r.headers["Retry-After"].empty());
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 200, 200, 429, 429}));
}

}  // namespace
}  // namespace novelta
