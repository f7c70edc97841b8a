// Tests of the service core without sockets: configuration layering, the job
// store's durability rules, keys, the rate limiter and the router.
#include "services/service.h"

#include <gtest/gtest.h>

#include <thread>

#include <future>
#include <set>
#include <sstream>
#include <unistd.h>

#include "base/hash.h"
#include "base/text.h"
#include "services/fake_assessor.h"
#include "services/service_context.h"

namespace novelta {
namespace {

std::string TempDir(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/novelta_svc_" + name + "_" + std::to_string(::getpid());
  Env::Default()->RemoveTree(dir);
  EXPECT_TRUE(Env::Default()->CreateDirs(dir).ok());
  return dir;
}

TEST(ConfigTest, LayersFileThenEnvironment) {
  ServiceConfig c;
  EXPECT_EQ(c.port, 8080);
  ASSERT_TRUE(ApplyConfigJson(Json{{"port", 9000}, {"workers", 3}, {"host", "0.0.0.0"}}, "cfg.json", &c).ok());
  std::map<std::string, std::string> env = {{"NOVELTA_PORT", "9100"}, {"NOVELTA_REQUIRE_API_KEYS", "false"}};
  ASSERT_TRUE(ApplyConfigEnv(&c, [&](const char* n) -> const char* {
                auto it = env.find(n);
                return it == env.end() ? nullptr : it->second.c_str();
              }).ok());
  EXPECT_EQ(c.port, 9100);      // environment beats file
  EXPECT_EQ(c.workers, 3);      // file beats default
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_FALSE(c.require_api_keys);
}

TEST(ConfigTest, TheLlmEngineNeedsItsServerAndItsKeyIsNeverShown) {
  ServiceConfig c;
  c.state_dir = "/tmp/x";
  EXPECT_EQ(c.engine, "offline");
  std::map<std::string, std::string> env = {{"NOVELTA_ENGINE", "llm"}, {"NOVELTA_LLM_API_KEY", "sk-never-shown"}};
  ASSERT_TRUE(ApplyConfigEnv(&c, [&](const char* n) -> const char* {
                auto it = env.find(n);
                return it == env.end() ? nullptr : it->second.c_str();
              }).ok());
  EXPECT_EQ(c.llm_api_key, "sk-never-shown");
  Status s = c.Validate();
  EXPECT_NE(s.message().find("engine llm needs llm_url and llm_model"), std::string::npos) << s.ToString();
  ASSERT_TRUE(ApplyConfigJson(Json{{"llm_url", "http://127.0.0.1:8000/v1"}, {"llm_model", "m"}}, "cfg.json", &c).ok());
  EXPECT_TRUE(c.Validate().ok());
  EXPECT_EQ(DumpJson(c.ToRedactedJson()).find("sk-never-shown"), std::string::npos);
  c.engine = "gpt";
  EXPECT_FALSE(c.Validate().ok());
}

TEST(ConfigTest, RejectsUnknownAndMistypedSettings) {
  ServiceConfig c;
  Status s = ApplyConfigJson(Json{{"prot", 1}}, "cfg.json", &c);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("prot"), std::string::npos);
  s = ApplyConfigJson(Json{{"port", "eighty"}}, "cfg.json", &c);
  EXPECT_NE(s.message().find("'port' must be an integer"), std::string::npos);
  s = ApplyConfigEnv(&c, [](const char* n) -> const char* { return std::string(n) == "NOVELTA_WORKERS" ? "x" : nullptr; });
  EXPECT_NE(s.message().find("NOVELTA_WORKERS"), std::string::npos);
  c.state_dir = "/tmp/x";
  c.workers = 0;
  EXPECT_FALSE(c.Validate().ok());
  c.workers = 1;
  ASSERT_TRUE(ApplyConfigJson(Json{{"pdf_threads", 3}, {"pdf_queue", 4}, {"pdf_seconds", 2.5}}, "cfg.json", &c).ok());
  EXPECT_EQ(c.pdf_threads, 3);
  EXPECT_DOUBLE_EQ(c.pdf_seconds, 2.5);
  EXPECT_TRUE(c.Validate().ok());
  c.pdf_queue = 0;
  Status q = c.Validate();
  EXPECT_NE(q.message().find("pdf_queue"), std::string::npos) << q.ToString();
  c.pdf_queue = 1;
  c.pdf_seconds = 0;
  EXPECT_NE(c.Validate().message().find("pdf_seconds"), std::string::npos);
}

TEST(ConfigTest, RedactsSecrets) {
  ServiceConfig c;
  c.bootstrap_api_key = "supersecretkey-1234567890";
  std::string dumped = DumpJson(c.ToRedactedJson());
  EXPECT_EQ(dumped.find("supersecret"), std::string::npos);
  EXPECT_NE(dumped.find("<redacted>"), std::string::npos);
}

NewJob MakeJob(const std::string& title, const std::string& idem = "") {
  NewJob j;
  j.owner = "alice";
  j.idempotency_key = idem;
  j.request_hash = Sha256Hex(title);
  Submission s;
  s.title = title;
  s.abstract = "An abstract.";
  j.submission_json = DumpJson(ToJson(s));
  return j;
}

TEST(JobStoreTest, RunningJobsAreRequeuedOnReopenAndRecordedOnce) {
  std::string dir = TempDir("store");
  std::string id;
  {
    auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, dir});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto ins = (*store)->Insert({MakeJob("a"), MakeJob("b")}, 10);
    ASSERT_TRUE(ins.ok());
    EXPECT_EQ(*(*store)->CountQueued(), 2);
    auto claimed = (*store)->ClaimNext();
    ASSERT_TRUE(claimed.ok() && claimed->has_value());
    id = (*claimed)->id;
    EXPECT_EQ((*claimed)->attempts, 1);
    // The process "crashes" here, with the job running.
  }
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, dir});
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->CountQueued(), 2);
  auto job = (*store)->Get(id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->status, JobStatus::kQueued);
  auto again = (*store)->ClaimNext();
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->id, id);
  EXPECT_EQ((*again)->attempts, 2);
  // A late result from the first attempt changes nothing.
  ASSERT_TRUE((*store)->Finish(id, 1, "{\"stale\":true}").ok());
  EXPECT_EQ((*store)->Get(id)->status, JobStatus::kRunning);
  ASSERT_TRUE((*store)->Finish(id, 2, "{}").ok());
  EXPECT_EQ((*store)->Get(id)->status, JobStatus::kDone);
  EXPECT_EQ((*store)->Get(id)->report_json, "{}");
}

TEST(JobStoreTest, QueuedAheadCountsOnlyEarlierQueuedJobs) {
  std::string dir = TempDir("ahead");
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, dir});
  ASSERT_TRUE(store.ok());
  auto ins = (*store)->Insert({MakeJob("a"), MakeJob("b"), MakeJob("c"), MakeJob("d")}, 10);
  ASSERT_TRUE(ins.ok());
  std::vector<int64_t> seqs;
  for (const auto& j : *ins) seqs.push_back((*store)->Get(j.id)->seq);
  EXPECT_EQ(*(*store)->QueuedAhead(seqs[0]), 0);
  EXPECT_EQ(*(*store)->QueuedAhead(seqs[3]), 3);
  // The first job starts running: it no longer waits ahead of the others.
  auto claimed = (*store)->ClaimNext();
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, (*ins)[0].id);
  EXPECT_EQ(*(*store)->QueuedAhead(seqs[1]), 0);
  EXPECT_EQ(*(*store)->QueuedAhead(seqs[3]), 2);
  ASSERT_TRUE((*store)->Delete((*ins)[2].id).ok());
  EXPECT_EQ(*(*store)->QueuedAhead(seqs[3]), 1);
}

TEST(JobStoreTest, IdempotencyAndQueueBound) {
  std::string dir = TempDir("idem");
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, dir});
  ASSERT_TRUE(store.ok());
  auto first = (*store)->Insert({MakeJob("a", "k1")}, 2);
  ASSERT_TRUE(first.ok());
  auto replay = (*store)->Insert({MakeJob("a", "k1")}, 2);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->front().replayed);
  EXPECT_EQ(replay->front().id, first->front().id);
  auto conflict = (*store)->Insert({MakeJob("b", "k1")}, 2);
  EXPECT_EQ(conflict.status().code(), Status::Code::kAlreadyExists);
  // All or nothing: two more jobs do not fit in a queue of 2 holding 1.
  auto full = (*store)->Insert({MakeJob("c"), MakeJob("d")}, 2);
  EXPECT_EQ(full.status().code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(*(*store)->CountQueued(), 1);
}

TEST(KeyStoreTest, StoresOnlyHashesAndChecksScopes) {
  std::string dir = TempDir("keys");
  auto keys = KeyStore::Open(dir);
  ASSERT_TRUE(keys.ok());
  auto key = (*keys)->Create("reader", Scope::kRead);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->rfind("nvk_", 0), 0u);
  EXPECT_EQ((*keys)->Create("reader", Scope::kRead).status().code(), Status::Code::kAlreadyExists);
  EXPECT_TRUE((*keys)->Create("bad name!", Scope::kRead).status().IsInvalidArgument());
  auto info = (*keys)->Verify(*key);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->name, "reader");
  EXPECT_EQ(info->scope, Scope::kRead);
  EXPECT_EQ((*keys)->Verify("nvk_wrong").status().code(), Status::Code::kUnauthenticated);
  // The database holds no key in clear.
  std::string db;
  ASSERT_TRUE(Env::Default()->ReadFile(dir + "/novelta.db", &db).ok());
  std::string wal;
  Env::Default()->ReadFile(dir + "/novelta.db-wal", &wal);
  EXPECT_EQ((db + wal).find(*key), std::string::npos);
  EXPECT_NE((db + wal).find(Sha256Hex(*key)), std::string::npos);
  ASSERT_TRUE((*keys)->Revoke("reader").ok());
  EXPECT_EQ((*keys)->Verify(*key).status().code(), Status::Code::kUnauthenticated);
}

// A key revoked elsewhere (`novelta keys revoke`, another store on the same
// database) stops working once the verifying store's cache entry expires; with
// key_cache_seconds 0, at once.
TEST(KeyStoreTest, RevocationElsewhereTakesEffectWithinTheCacheTime) {
  std::string dir = TempDir("keys_cache");
  auto admin = KeyStore::Open(dir);
  ASSERT_TRUE(admin.ok());
  auto key = (*admin)->Create("client", Scope::kWrite);
  ASSERT_TRUE(key.ok());
  auto cached = KeyStore::Open(dir, 0.3);
  auto uncached = KeyStore::Open(dir, 0);
  ASSERT_TRUE(cached.ok() && uncached.ok());
  ASSERT_TRUE((*cached)->Verify(*key).ok());
  ASSERT_TRUE((*uncached)->Verify(*key).ok());
  ASSERT_TRUE((*admin)->Revoke("client").ok());
  EXPECT_EQ((*uncached)->Verify(*key).status().code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE((*cached)->Verify(*key).ok()) << "still remembered within its cache time";
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ((*cached)->Verify(*key).status().code(), Status::Code::kUnauthenticated);
}

TEST(RateLimiterTest, BucketEmptiesAndRefills) {
  RateLimiter limiter(2.0, 3);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("k", t0).allowed);
  auto refused = limiter.Take("k", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.limit, 3);
  EXPECT_EQ(refused.retry_after, 1);
  EXPECT_TRUE(limiter.Take("other", t0).allowed);  // buckets are per key
  EXPECT_TRUE(limiter.Take("k", t0 + std::chrono::milliseconds(600)).allowed);
}

// Runs one request through the core and waits for its answer.
HttpResponse Call(NoveltyService& svc, const std::string& method, const std::string& path,
                  const std::string& body = "", HttpHeaders headers = {}) {
  HttpRequest req;
  req.method = method;
  req.path = path;
  req.body = body;
  req.headers = std::move(headers);
  std::promise<HttpResponse> p;
  auto f = p.get_future();
  svc.Handle(req, [&p](HttpResponse r) { p.set_value(std::move(r)); });
  return f.get();
}

TEST(RouterTest, UnknownRoutesWrongMethodsAndOpenApi) {
  ServiceConfig c;
  c.state_dir = TempDir("router");
  c.require_api_keys = false;
  auto svc = NoveltyService::Open(c, std::make_shared<FakeAssessor>());
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  HttpResponse r = Call(**svc, "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers["Content-Type"], "application/problem+json");
  r = Call(**svc, "PUT", "/v1/assessments");
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.headers["Allow"].find("POST"), std::string::npos);
  r = Call(**svc, "GET", "/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = ParseJson(r.body, "openapi");
  ASSERT_TRUE(doc.ok());
  for (const char* p : {"/v1/assessments", "/v1/assessments/{id}", "/v1/assessments/{id}/report.html",
                        "/v1/assessments:batch", "/v1/claims", "/v1/related", "/healthz", "/readyz", "/metrics"}) {
    EXPECT_TRUE((*doc)["paths"].contains(p)) << p;
  }
  EXPECT_TRUE((*doc)["paths"]["/v1/assessments/{id}"].contains("delete"));
  r = Call(**svc, "POST", "/v1/assessments", "{\"title\":\"T\"}", {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("abstract"), std::string::npos);
}

// Resolves a local "$ref" ("#/components/...") in the document; nullptr when it names nothing.
const Json* ResolveRef(const Json& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  const Json* at = &doc;
  std::istringstream parts(ref.substr(2));
  for (std::string part; std::getline(parts, part, '/');) {
    if (!at->is_object() || !at->contains(part)) return nullptr;
    at = &(*at)[part];
  }
  return at;
}

void ExpectRefsResolve(const Json& doc, const Json& node, int* refs) {
  if (node.is_object()) {
    auto ref = node.find("$ref");
    if (ref != node.end() && ref->is_string()) {
      ++*refs;
      EXPECT_NE(ResolveRef(doc, *ref), nullptr) << *ref;
    }
    for (const auto& [k, v] : node.items()) ExpectRefsResolve(doc, v, refs);
  } else if (node.is_array()) {
    for (const Json& v : node) ExpectRefsResolve(doc, v, refs);
  }
}

// The OpenAPI document: the report's schema is docs/report.schema.json itself,
// every operation lists the problems its route can answer with, each an
// application/problem+json Problem, and every reference resolves.
TEST(OpenApiTest, ReportSchemaIsTheFileAndEveryOperationListsItsProblems) {
  Json doc = NoveltyService::OpenApiDocument();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_FALSE(doc["servers"].empty());
  std::string file;
  ASSERT_TRUE(Env::Default()->ReadFile(std::string(NOVELTA_SOURCE_DIR) + "/docs/report.schema.json", &file).ok());
  auto schema = ParseJson(file, "docs/report.schema.json");
  ASSERT_TRUE(schema.ok());
  schema->erase("$id");
  schema->erase("$schema");
  const Json& schemas = doc["components"]["schemas"];
  EXPECT_EQ(schemas["NoveltyReport"], *schema);
  EXPECT_EQ(schemas["Assessment"]["properties"]["report"]["$ref"], "#/components/schemas/NoveltyReport");
  EXPECT_EQ(schemas["Problem"]["required"],
            Json::array({"type", "title", "status", "detail", "request_id"}));

  for (const service_internal::Route& route : service_internal::Routes()) {
    std::string where = std::string(route.method) + " " + route.pattern;
    const Json& op = doc["paths"][route.pattern][ToLowerAscii(route.method)];
    ASSERT_TRUE(op.is_object()) << where;
    const Json& responses = op["responses"];
    std::set<int> expected(route.problems.begin(), route.problems.end());
    bool keyed = route.access != service_internal::Access::kPublic;
    if (keyed) expected.insert({401, 429});
    if (route.access == service_internal::Access::kWrite) expected.insert(403);
    if (*route.request_types) expected.insert(413);
    for (int status : {400, 401, 403, 404, 409, 413, 415, 422, 429, 503}) {
      std::string code = std::to_string(status);
      EXPECT_EQ(responses.contains(code), expected.count(status) == 1) << where << " " << code;
      if (!responses.contains(code)) continue;
      const Json* response = ResolveRef(doc, responses[code].value("$ref", ""));
      ASSERT_NE(response, nullptr) << where << " " << code;
      EXPECT_EQ((*response)["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem")
          << where << " " << code;
    }
    EXPECT_TRUE(responses.contains("4XX")) << where;
    EXPECT_EQ(op["security"].empty(), !keyed) << where;
  }
  int refs = 0;
  ExpectRefsResolve(doc, doc, &refs);
  EXPECT_GT(refs, 50);
}

}  // namespace
}  // namespace novelta

namespace novelta {
namespace {

TEST(UploadTest, MarkdownAndPlainJsonUploadsReachTheAssessor) {
  ServiceConfig c;
  c.state_dir = TempDir("upload");
  c.require_api_keys = false;
  auto svc = NoveltyService::Open(c, std::make_shared<FakeAssessor>());
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  const std::string markdown =
      "# Sparse Attention for Long Documents\n\n## Abstract\n\nTransformers scale quadratically with sequence "
      "length. We propose a sparse attention pattern that attends to local windows and a few global tokens.\n\n"
      "## 1 Introduction\n\nLong documents are common.\n";
  HttpResponse r = Call(**svc, "POST", "/v1/claims", markdown, {{"Content-Type", "text/markdown; charset=utf-8"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = ParseJson(r.body, "claims");
  ASSERT_TRUE(j.ok());
  EXPECT_FALSE((*j)["claims"].empty()) << r.body;
  r = Call(**svc, "POST", "/v1/claims", std::string("\x01\x02\x03\xff\xfe", 5) + std::string(100, '\x01'),
           {{"Content-Type", "text/markdown"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("uploaded Markdown"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace novelta
