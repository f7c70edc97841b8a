// The real `novelta serve` end to end, as a separate process over loopback:
// keys made with `novelta keys create`, JSON / Markdown / PDF submissions
// polled to the end and fetched as JSON, HTML and Markdown; kill -9 with jobs
// queued and running, then a restart on the same state that finishes every
// accepted job exactly once; SIGTERM exiting 0 with running jobs re-queued;
// and settings layered defaults < file < environment < flags.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <set>

#include "llm/fake_llm_server.h"
#include "tests/pdf_bytes.h"
#include "tests/service_process.h"

namespace novelta {
namespace {

using namespace novelta::testing_support;
using namespace std::chrono_literals;

class ServiceE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() / ("novelta_e2e_" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_);
    CommandResult r = RunCommand(std::string(NOVELTA_BINARY) + " index build --quiet --dimensions 24 --vocab-size 400" +
                                 " --corpus " + NOVELTA_SOURCE_DIR + "/corpora/fixtures/tiny-corpus.jsonl --out " +
                                 IndexDir());
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }
  static std::string IndexDir() { return (*root_ / "index").string(); }

  // A fresh state directory for one test.
  std::string NewState(const std::string& name) {
    fs::path p = *root_ / name;
    fs::remove_all(p);
    fs::create_directories(p);
    return p.string();
  }
  // `novelta keys create`: the key printed once on stdout.
  static std::string CreateKey(const std::string& state, const std::string& name, const std::string& scope) {
    CommandResult r = RunCommand(std::string(NOVELTA_BINARY) + " keys create --state " + state + " --name " + name +
                                 " --scope " + scope);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("not shown again"), std::string::npos) << r.err;
    return std::string(Trim(r.out));
  }
  std::unique_ptr<ServerProcess> StartServer(const std::string& state, int port,
                                             std::vector<std::string> extra_args = {},
                                             std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args = {"serve", "--index", IndexDir(), "--state", state, "--port",
                                     std::to_string(port), "--workers", "1"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    // Tests poll quickly; the rate limiter has its own tests.
    env.emplace("NOVELTA_RATE_LIMIT_PER_SECOND", "100000");
    env.emplace("NOVELTA_RATE_LIMIT_BURST", "100000");
    auto server = std::make_unique<ServerProcess>(NOVELTA_BINARY, args, fs::path(state) / "server.log", env);
    std::string why;
    EXPECT_TRUE(server->Start(port, 20s, &why)) << why;
    return server;
  }
  static std::map<std::string, std::string> Auth(const std::string& key) {
    return {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
  }
  // Polls one job until it is done or failed (bounded).
  static Json WaitFinished(int port, const std::string& key, const std::string& id,
                           std::chrono::seconds timeout = 30s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    Json last;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpResult r = HttpCall(port, "GET", "/v1/assessments/" + id, "", Auth(key));
      last = r.json();
      std::string status = last.value("status", "");
      if (status == "done" || status == "failed") return last;
      std::this_thread::sleep_for(30ms);
    }
    ADD_FAILURE() << "job " << id << " did not finish; last: " << DumpJson(last);
    return last;
  }
  // Every job visible to `key`, following the cursor.
  static std::vector<Json> ListAll(int port, const std::string& key, const std::string& status = "") {
    std::vector<Json> out;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      std::string target = "/v1/assessments?limit=50";
      if (!status.empty()) target += "&status=" + status;
      if (!cursor.empty()) target += "&cursor=" + cursor;
      HttpResult r = HttpCall(port, "GET", target, "", Auth(key));
      EXPECT_EQ(r.status, 200) << r.body;
      Json j = r.json();
      if (!j.contains("items")) break;
      for (const auto& item : j["items"]) out.push_back(item);
      if (!j["next_cursor"].is_string()) break;
      cursor = j["next_cursor"].get<std::string>();
    }
    return out;
  }

  static fs::path* root_;
};
fs::path* ServiceE2ETest::root_ = nullptr;

std::string Abstract(int i) {
  static const char* kTopics[] = {"graph neural networks", "diffusion models", "contrastive learning",
                                  "reinforcement learning", "transformer language models", "federated learning"};
  std::string topic = kTopics[i % 6];
  return "Deep " + topic + " lose accuracy as they grow deeper. We propose a normalization layer number " +
         std::to_string(i) + " that keeps pairwise distances between features constant across layers. We show that " +
         "it improves classification accuracy on citation networks and outperforms prior methods for " + topic + ".";
}

// A long Markdown full text makes one assessment take long enough for a test
// to observe jobs queued and running (40 paragraphs: about 10 ms on the
// fixture index; 400: about 100 ms).
std::string FullText(int i, int paragraphs) {
  std::string text = "# Study " + std::to_string(i) + "\n\n## Abstract\n\n" + Abstract(i) + "\n\n## 1 Introduction\n\n";
  for (int p = 0; p < paragraphs; ++p) {
    text += "We introduce a new regularizer " + std::to_string(p) + " for " + std::string(p % 2 ? "graph" : "image") +
            " models and prove that it converges. Our experiments show that it outperforms strong baselines "
            "on standard benchmarks. We propose a training schedule that reduces compute by half.\n\n";
  }
  return text;
}

Json SubmissionJson(int i, int fulltext_paragraphs = 0) {
  Json j = {{"title", "Pairwise Normalization Study " + std::to_string(i)},
            {"abstract", Abstract(i)},
            {"submitted", "2022-06-01"},
            {"external_id", "ext-" + std::to_string(i)}};
  if (fulltext_paragraphs > 0) j["fulltext"] = FullText(i, fulltext_paragraphs);
  return j;
}

// A one-page PDF 1.4 with a title, an abstract and an introduction, its
// cross-reference table computed so that strict readers accept it.
std::string TinyPdf() {
  const std::vector<std::string> lines = {
      "Pairwise Normalization Against Oversmoothing", "", "Abstract",
      "Deep graph neural networks lose accuracy as they grow deeper. We propose a normalization",
      "layer that keeps pairwise distances between node features constant across layers. We show",
      "that it improves node classification accuracy on citation networks.", "", "1 Introduction",
      "Graph neural networks are widely used for node classification on citation networks."};
  std::string content = "BT /F1 11 Tf 14 TL 72 720 Td";
  for (const auto& l : lines) content += " (" + l + ") Tj T*";
  content += " ET";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
      "/Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream"};
  return testing::AssemblePdf(objects);
}

const char* kMarkdown =
    "# Sparse Attention for Long Documents\n\n## Abstract\n\nTransformers scale quadratically with sequence "
    "length. We propose a sparse attention pattern that attends to local windows and a few global tokens. We "
    "show that it matches dense attention on long document classification while using linear memory.\n\n"
    "## 1 Introduction\n\nLong documents are common in science and law.\n";

TEST_F(ServiceE2ETest, JsonMarkdownAndPdfSubmissionsFetchedAsJsonHtmlAndMarkdown) {
  std::string state = NewState("happy");
  std::string writer = CreateKey(state, "writer", "write");
  std::string reader = CreateKey(state, "reader", "read");
  ASSERT_EQ(writer.size(), reader.size());
  ASSERT_NE(writer, reader);
  int port = PickFreePort();
  auto server = StartServer(state, port);

  // Public routes need no key; the others do, with the right scope.
  EXPECT_EQ(HttpCall(port, "GET", "/readyz").status, 200);
  EXPECT_EQ(HttpCall(port, "GET", "/openapi.json").json()["openapi"], "3.1.0");
  EXPECT_EQ(HttpCall(port, "GET", "/v1/assessments").status, 401);
  HttpResult forbidden = HttpCall(port, "POST", "/v1/assessments", DumpJson(SubmissionJson(0)), Auth(reader));
  EXPECT_EQ(forbidden.status, 403) << forbidden.body;
  EXPECT_EQ(forbidden.header("content-type"), "application/problem+json");

  struct Upload {
    std::string name, content_type, body, expected_title;
  };
  std::vector<Upload> uploads = {
      {"json", "application/json", DumpJson(SubmissionJson(1)), "Pairwise Normalization Study 1"},
      {"markdown", "text/markdown", kMarkdown, "Sparse Attention for Long Documents"},
      {"pdf", "application/pdf", TinyPdf(), "Pairwise Normalization Against Oversmoothing"},
  };
  for (const Upload& u : uploads) {
    SCOPED_TRACE(u.name);
    HttpResult accepted = HttpCall(port, "POST", "/v1/assessments?submitted=2023-01-01", u.body,
                                   {{"Authorization", "Bearer " + writer}, {"Content-Type", u.content_type}});
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    std::string id = accepted.json().value("id", "");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(accepted.json()["status"], "queued");
    EXPECT_EQ(accepted.header("location"), "/v1/assessments/" + id);

    Json job = WaitFinished(port, writer, id);
    ASSERT_EQ(job.value("status", ""), "done") << DumpJson(job);
    EXPECT_EQ(job["progress"]["stage"], "done");
    const Json& report = job["report"];
    EXPECT_EQ(report["submission"]["title"], u.expected_title);
    ASSERT_TRUE(report["claims"].is_array());
    ASSERT_FALSE(report["claims"].empty()) << DumpJson(report);
    EXPECT_FALSE(report["related_work"].empty());

    // The reader key of another owner cannot see the writer's job.
    EXPECT_EQ(HttpCall(port, "GET", "/v1/assessments/" + id, "", Auth(reader)).status, 404);

    HttpResult html = HttpCall(port, "GET", "/v1/assessments/" + id + "/report.html", "", Auth(writer));
    ASSERT_EQ(html.status, 200);
    EXPECT_EQ(html.header("content-type"), "text/html; charset=utf-8");
    HttpResult md = HttpCall(port, "GET", "/v1/assessments/" + id + "/report.md", "", Auth(writer));
    ASSERT_EQ(md.status, 200);
    EXPECT_EQ(md.header("content-type"), "text/markdown; charset=utf-8");
    for (const auto& claim : report["claims"]) {
      std::string claim_id = claim["id"];
      EXPECT_NE(html.body.find(claim_id), std::string::npos) << claim_id;
      EXPECT_NE(md.body.find(claim_id), std::string::npos) << claim_id;
    }
  }

  // Broken uploads are 400 problems naming the upload, never a crash.
  std::string pdf = TinyPdf();
  struct BadUpload {
    std::string content_type, body, expect;
  } bad_uploads[] = {
      {"application/pdf", pdf.substr(0, pdf.size() / 2), "uploaded PDF"},
      {"application/pdf", "%PDF-1.4\n" + std::string(3000, '\x01'), "uploaded PDF"},
      {"text/markdown", "# Only a title\n", "uploaded Markdown"},
  };
  for (const auto& b : bad_uploads) {
    HttpResult r = HttpCall(port, "POST", "/v1/assessments", b.body,
                            {{"Authorization", "Bearer " + writer}, {"Content-Type", b.content_type}});
    EXPECT_EQ(r.status, 400) << b.content_type << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_NE(r.json().value("detail", "").find(b.expect), std::string::npos) << r.body;
  }
  EXPECT_EQ(HttpCall(port, "GET", "/healthz").status, 200);

  // Stage 2 alone, synchronously, on the real index.
  HttpResult related = HttpCall(port, "POST", "/v1/related?top_k=3", DumpJson(SubmissionJson(2)), Auth(writer));
  ASSERT_EQ(related.status, 200) << related.body;
  EXPECT_GE(related.json()["related_work"].size(), 1u);

  // Metrics count what was served.
  HttpResult metrics = HttpCall(port, "GET", "/metrics", "", Auth(reader));
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("novelta_"), std::string::npos);

  server->Signal(SIGTERM);
  std::optional<int> code = server->Wait(20s);
  ASSERT_TRUE(code.has_value()) << "no exit after SIGTERM";
  EXPECT_EQ(*code, 0) << server->LogTail();
  // One access-log line per request, never the key.
  std::string log = server->Log();
  EXPECT_NE(log.find("access 127.0.0.1"), std::string::npos) << log.substr(0, 2000);
  EXPECT_EQ(log.find(writer), std::string::npos);
}

TEST_F(ServiceE2ETest, KillDashNineWithJobsQueuedAndRunningThenRestartFinishesEachExactlyOnce) {
  std::string state = NewState("kill9");
  std::string key = CreateKey(state, "admin", "admin");
  int port = PickFreePort();
  auto server = StartServer(state, port);

  const int kJobs = 80;
  Json batch = {{"submissions", Json::array()}};
  for (int i = 0; i < kJobs; ++i) batch["submissions"].push_back(SubmissionJson(i, /*fulltext_paragraphs=*/40));
  HttpResult accepted = HttpCall(port, "POST", "/v1/assessments:batch", DumpJson(batch), Auth(key));
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  std::set<std::string> ids;
  Json accepted_json = accepted.json();  // kept alive for the loop
  for (const auto& j : accepted_json["jobs"]) ids.insert(j["id"].get<std::string>());
  ASSERT_EQ(ids.size(), static_cast<size_t>(kJobs));

  // Wait until some job has finished and one is running, with more queued.
  std::vector<Json> running, queued, done;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    done = ListAll(port, key, "done");
    running = ListAll(port, key, "running");
    queued = ListAll(port, key, "queued");
    if (!done.empty() && !running.empty() && !queued.empty()) break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(done.empty());
  ASSERT_FALSE(running.empty()) << "no job running before the kill";
  ASSERT_FALSE(queued.empty()) << "every job finished before the kill; the jobs are too quick for this test";

  // A queued job reports its place in the queue.
  HttpResult last_queued = HttpCall(port, "GET", "/v1/assessments/" + queued.front()["id"].get<std::string>(), "",
                                    Auth(key));
  Json progress = last_queued.json()["progress"];
  if (last_queued.json()["status"] == "queued") {
    EXPECT_EQ(progress["stage"], "queued");
    EXPECT_GE(progress["queued_ahead"].get<int>(), 0);
  }

  server->Signal(SIGKILL);
  ASSERT_EQ(server->Wait(10s), std::optional<int>(-SIGKILL));

  // What had finished before the kill, as recorded then.
  std::map<std::string, Json> finished_before;
  for (const auto& j : done) finished_before[j["id"]] = j;

  server = StartServer(state, port);
  for (const std::string& id : ids) {
    Json job = WaitFinished(port, key, id, 60s);
    ASSERT_EQ(job.value("status", ""), "done") << DumpJson(job);
    ASSERT_TRUE(job.contains("report"));
    auto before = finished_before.find(id);
    if (before != finished_before.end()) {
      // Finished before the kill: not run again.
      EXPECT_EQ(job["attempts"], 1) << id;
      EXPECT_EQ(job["finished_at"], before->second["finished_at"]) << id;
    } else {
      EXPECT_GE(job["attempts"].get<int>(), 1) << id;
      EXPECT_LE(job["attempts"].get<int>(), 2) << id << ": run more than once after one restart";
    }
  }
  // Exactly the accepted jobs, each once, all done.
  std::vector<Json> all = ListAll(port, key);
  std::multiset<std::string> listed;
  for (const auto& j : all) listed.insert(j["id"].get<std::string>());
  EXPECT_EQ(listed.size(), ids.size());
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), ids);
  EXPECT_TRUE(ListAll(port, key, "queued").empty());
  EXPECT_TRUE(ListAll(port, key, "running").empty());
  EXPECT_NE(server->Log().find("resuming"), std::string::npos) << server->LogTail();

  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s), std::optional<int>(0));
}

TEST_F(ServiceE2ETest, SigtermExitsZeroAndRequeuesTheRunningJob) {
  std::string state = NewState("sigterm");
  std::string key = CreateKey(state, "admin", "admin");
  int port = PickFreePort();
  // No grace: a running job goes straight back to the queue.
  auto server = StartServer(state, port, {}, {{"NOVELTA_SHUTDOWN_GRACE_SECONDS", "0"}});

  const int kJobs = 6;
  Json batch = {{"submissions", Json::array()}};
  for (int i = 0; i < kJobs; ++i) batch["submissions"].push_back(SubmissionJson(100 + i, /*fulltext_paragraphs=*/400));
  HttpResult accepted = HttpCall(port, "POST", "/v1/assessments:batch", DumpJson(batch), Auth(key));
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  std::set<std::string> ids;
  Json accepted_json = accepted.json();  // kept alive for the loop
  for (const auto& j : accepted_json["jobs"]) ids.insert(j["id"].get<std::string>());

  std::vector<Json> running;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline && (running = ListAll(port, key, "running")).empty()) {
    std::this_thread::sleep_for(2ms);
  }
  ASSERT_EQ(running.size(), 1u) << "one worker runs one job at a time";
  server->Signal(SIGTERM);
  std::optional<int> code = server->Wait(20s);
  ASSERT_TRUE(code.has_value()) << "no exit within 20 s of SIGTERM: " << server->LogTail();
  EXPECT_EQ(*code, 0) << server->LogTail();
  std::string log = server->Log();
  EXPECT_NE(log.find("received SIGTERM"), std::string::npos) << log;
  int requeued = -1;
  size_t stopped = log.find("stopped; ");
  ASSERT_NE(stopped, std::string::npos) << log;
  std::sscanf(log.c_str() + stopped, "stopped; %d running job(s) re-queued", &requeued);
  // One worker: the job it was running (the one observed, or the next one if
  // that had just finished) went back to the queue, unless the signal fell
  // between two jobs.
  EXPECT_GE(requeued, 0) << log;
  EXPECT_LE(requeued, 1) << log;
  std::printf("SIGTERM with no grace re-queued %d job(s)\n", requeued);

  // Nothing was left running or lost: the next start finishes every job.
  server = StartServer(state, port);
  int run_twice = 0;
  for (const std::string& id : ids) {
    Json job = WaitFinished(port, key, id, 60s);
    EXPECT_EQ(job.value("status", ""), "done") << DumpJson(job);
    // An interrupted job ran again from the start; the others ran once.
    int attempts = job.value("attempts", 0);
    EXPECT_TRUE(attempts == 1 || attempts == 2) << id << ": " << attempts;
    if (attempts == 2) ++run_twice;
  }
  EXPECT_EQ(run_twice, requeued) << "the log's count of re-queued jobs is wrong";
  EXPECT_EQ(ListAll(port, key).size(), ids.size());
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s), std::optional<int>(0));
}

TEST_F(ServiceE2ETest, SettingsLayerDefaultsThenFileThenEnvironmentThenFlags) {
  std::string state = NewState("settings");
  int file_port = PickFreePort();
  int flag_port = PickFreePort();
  while (flag_port == file_port) flag_port = PickFreePort();
  fs::path config = fs::path(state) / "novelta.json";
  std::ofstream(config) << DumpJson(Json{{"port", file_port}, {"max_batch", 5}, {"max_page_size", 7}});
  const std::string bootstrap = "bootstrap-secret-0123456789abcdef";
  auto server = StartServer(state, flag_port, {"--config", config.string()},
                            {{"NOVELTA_MAX_BATCH", "2"}, {"NOVELTA_BOOTSTRAP_API_KEY", bootstrap}});
  // The flag's port beats the file's; the file's page size beats the default;
  // the environment's batch size beats the file's.
  EXPECT_EQ(HttpCall(file_port, "GET", "/healthz", "", {}, 2s).status, 0);
  HttpResult page = HttpCall(flag_port, "GET", "/v1/assessments?limit=8", "", Auth(bootstrap));
  EXPECT_EQ(page.status, 400) << page.body;
  EXPECT_NE(page.json().value("detail", "").find("1..7"), std::string::npos) << page.body;
  Json batch = {{"submissions", {SubmissionJson(1), SubmissionJson(2), SubmissionJson(3)}}};
  HttpResult too_many = HttpCall(flag_port, "POST", "/v1/assessments:batch", DumpJson(batch), Auth(bootstrap));
  EXPECT_EQ(too_many.status, 400) << too_many.body;
  EXPECT_NE(too_many.json().value("detail", "").find("1 to 2"), std::string::npos) << too_many.body;

  // The effective settings are logged once, the secret redacted.
  std::string log = server->Log();
  EXPECT_NE(log.find("\"max_batch\":2"), std::string::npos) << log;
  EXPECT_NE(log.find("\"port\":" + std::to_string(flag_port)), std::string::npos) << log;
  EXPECT_NE(log.find("<redacted>"), std::string::npos) << log;
  EXPECT_EQ(log.find(bootstrap), std::string::npos) << "the bootstrap key was logged";
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s), std::optional<int>(0));

  // A typo in the file, or a bad environment value, stops the start with the name of the problem.
  std::ofstream(config) << DumpJson(Json{{"max_batchh", 5}});
  CommandResult typo = RunCommand(std::string(NOVELTA_BINARY) + " serve --index " + IndexDir() + " --state " + state +
                                  " --config " + config.string());
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("max_batchh"), std::string::npos) << typo.err;
  CommandResult bad_env = RunCommand("NOVELTA_WORKERS=zero " + std::string(NOVELTA_BINARY) + " serve --index " +
                                     IndexDir() + " --state " + state);
  EXPECT_NE(bad_env.status, 0);
  EXPECT_NE(bad_env.err.find("NOVELTA_WORKERS"), std::string::npos) << bad_env.err;
  // A PDF reader that cannot run is refused at start, not at the first upload.
  CommandResult bad_reader = RunCommand("NOVELTA_PDF_READER=/nonexistent/reader " + std::string(NOVELTA_BINARY) +
                                        " serve --index " + IndexDir() + " --state " + state + " --port 0");
  EXPECT_EQ(bad_reader.status, 2);
  EXPECT_NE(bad_reader.err.find("pdf_reader /nonexistent/reader is not an executable program"), std::string::npos)
      << bad_reader.err;
}

// The job the replica `replica` runs now, read from the state directory's
// database ("" when it runs none).
std::string JobRunningOn(const std::string& state, const std::string& replica) {
  sqlite3* db = nullptr;
  std::string id;
  if (sqlite3_open_v2((state + "/novelta.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT id FROM jobs WHERE status='running' AND lease_owner=?1", -1, &st,
                           nullptr) == SQLITE_OK) {
      sqlite3_bind_text(st, 1, replica.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW) id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return id;
}

// Servers sharing a state directory share its queue. One killed with -9 while
// it runs a job loses that job to the other at once (its lock file is free),
// and every job is recorded once.
TEST_F(ServiceE2ETest, ServersSharingAStateDirectoryTakeOverAKilledOnesJobs) {
  std::string state = NewState("shared");
  std::string key = CreateKey(state, "admin", "admin");
  int port_b = PickFreePort();
  ServerProcess b(NOVELTA_BINARY,
                  {"serve", "--index", IndexDir(), "--state", state, "--port", std::to_string(port_b), "--workers",
                   "1"},
                  fs::path(state) / "server-b.log",
                  {{"NOVELTA_RATE_LIMIT_PER_SECOND", "100000"}, {"NOVELTA_RATE_LIMIT_BURST", "100000"}});
  std::string why;
  ASSERT_TRUE(b.Start(port_b, 20s, &why)) << why;

  // Kill the first server while the database shows it running a job; should it
  // finish that job in the instant before the kill, start it again and retry.
  std::set<std::string> ids;
  std::string orphan;
  for (int round = 0; round < 3 && orphan.empty(); ++round) {
    int port_a = PickFreePort();
    auto a = StartServer(state, port_a);
    std::string replica_a = HttpCall(port_a, "GET", "/readyz").json().value("replica", "");
    ASSERT_FALSE(replica_a.empty());
    Json batch = {{"submissions", Json::array()}};
    for (int i = 0; i < 30; ++i) batch["submissions"].push_back(SubmissionJson(round * 100 + i, 40));
    HttpResult accepted = HttpCall(port_a, "POST", "/v1/assessments:batch", DumpJson(batch), Auth(key));
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    Json accepted_json = accepted.json();
    for (const auto& j : accepted_json["jobs"]) ids.insert(j["id"].get<std::string>());
    std::string running;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (running.empty() && std::chrono::steady_clock::now() < deadline) running = JobRunningOn(state, replica_a);
    ASSERT_FALSE(running.empty()) << "the first server never ran a job";
    a->Signal(SIGKILL);
    ASSERT_EQ(a->Wait(10s), std::optional<int>(-SIGKILL));
    if (JobRunningOn(state, replica_a) == running) orphan = running;
  }
  ASSERT_FALSE(orphan.empty()) << "the first server finished its job before every kill";

  for (const std::string& id : ids) {
    Json job = WaitFinished(port_b, key, id, 90s);
    ASSERT_EQ(job.value("status", ""), "done") << DumpJson(job);
    EXPECT_LE(job["attempts"].get<int>(), 2) << id;
    if (id == orphan) EXPECT_EQ(job["attempts"], 2) << "the killed server's job was not run again";
  }
  std::vector<Json> all = ListAll(port_b, key);
  EXPECT_EQ(all.size(), ids.size());
  EXPECT_EQ(HttpCall(port_b, "GET", "/readyz").status, 200);
  b.Signal(SIGTERM);
  EXPECT_EQ(b.Wait(20s), std::optional<int>(0));
}

// A state URI of an unknown scheme is an error, never a directory named after it.
TEST_F(ServiceE2ETest, AStateUriOfAnUnknownSchemeIsRefused) {
  CommandResult serve = RunCommand(std::string(NOVELTA_BINARY) + " serve --index " + IndexDir() +
                                   " --state mysql://db/novelta --port " + std::to_string(PickFreePort()));
  EXPECT_NE(serve.status, 0);
  EXPECT_NE(serve.err.find("unknown state URI scheme 'mysql://'"), std::string::npos) << serve.err;
  EXPECT_FALSE(fs::exists("mysql:"));
  CommandResult keys = RunCommand(std::string(NOVELTA_BINARY) + " keys list --state redis://x");
  EXPECT_EQ(keys.status, 2) << keys.err;
  EXPECT_NE(keys.err.find("unknown state URI scheme 'redis://'"), std::string::npos) << keys.err;
}

// PDF uploads are read by `novelta pdf-text` in a child process: a deflate
// bomb is cut off at pdf_seconds whatever page it is on, and the server
// answers everything else meanwhile.
TEST_F(ServiceE2ETest, PdfUploadsAreReadInAChildKilledAtTheTimeLimit) {
  std::string state = NewState("pdfchild");
  std::string key = CreateKey(state, "writer", "write");
  int port = PickFreePort();
  auto server = StartServer(state, port, {}, {{"NOVELTA_PDF_SECONDS", "1"}});
  std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + key},
                                                {"Content-Type", "application/pdf"}};
  HttpResult fine = HttpCall(port, "POST", "/v1/claims", TinyPdf(), headers);
  EXPECT_EQ(fine.status, 200) << fine.body;
  EXPECT_NE(fine.body.find("normalization"), std::string::npos) << fine.body;
  const std::string bomb = testing::BombPdf(size_t{256} << 20);  // seconds of parsing
  auto start = std::chrono::steady_clock::now();
  auto bombed = std::async(std::launch::async, [&] { return HttpCall(port, "POST", "/v1/claims", bomb, headers, 30s); });
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(HttpCall(port, "GET", "/readyz").status, 200);
  HttpResult refused = bombed.get();
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("reading it took over 1 s"), std::string::npos) << refused.body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s), std::optional<int>(0));
}

}  // namespace
}  // namespace novelta

namespace novelta {
namespace {

// The service with the LLM engine, set from the environment, against a
// scripted OpenAI-compatible server on loopback: the report's claims are the
// model's, its answers are cached in the state directory, and the key never
// reaches the log.
TEST_F(ServiceE2ETest, TheServiceRunsTheLlmEngineItsSettingsName) {
  FakeLlmServer model;
  const std::string quote = "We propose a normalization layer number 7 that keeps pairwise distances between "
                            "features constant across layers.";
  model.Push(FakeLlmServer::Chat({{"methods", Json::array()}, {"problems", Json::array()},
                                  {"datasets", Json::array()}, {"metrics", Json::array()},
                                  {"results", Json::array()},
                                  {"claims", {{{"quote", quote}, {"type", "method"}, {"summary", "a layer"}}}}}));
  model.SetFallback({500, {}, "no more answers"});
  std::string state = NewState("llm");
  std::string key = CreateKey(state, "writer", "write");
  int port = PickFreePort();
  auto server = StartServer(state, port, {},
                            {{"NOVELTA_ENGINE", "llm"},
                             {"NOVELTA_LLM_URL", model.url()},
                             {"NOVELTA_LLM_MODEL", "fake-model"},
                             {"NOVELTA_LLM_API_KEY", "sk-service-secret"}});
  HttpResult r = HttpCall(port, "POST", "/v1/assessments?wait=60", DumpJson(SubmissionJson(7)), Auth(key));
  ASSERT_EQ(r.status, 200) << r.body;
  Json report = r.json()["report"];
  EXPECT_EQ(report["engine"]["name"], "llm");
  EXPECT_EQ(report["engine"]["model"], "fake-model");
  EXPECT_EQ(report["engine"]["claims_by"], "llm");
  EXPECT_EQ(report["engine"]["comparison_by"], "offline");  // the scripted server failed the judging
  ASSERT_EQ(report["claims"].size(), 1u);
  EXPECT_EQ(report["claims"][0]["text"], quote);
  EXPECT_EQ(model.requests().at(0).headers.at("authorization"), "Bearer sk-service-secret");
  EXPECT_TRUE(fs::exists(fs::path(state) / "llm-cache.db"));
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(20s), std::optional<int>(0));
  EXPECT_EQ(server->Log().find("sk-service-secret"), std::string::npos);
}

}  // namespace
}  // namespace novelta
