#include "services/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "base/hash.h"
#include "base/text.h"
#include "services/problem.h"
#include "services/report_pages.h"
#ifdef NOVELTA_HAVE_INGEST
#include "pipeline/ingest/ingest.h"
#endif

namespace novelta {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// Routes

namespace {

enum class Access { kPublic, kRead, kWrite };

struct Route {
  const char* method;
  const char* pattern;  // "{id}" matches one path segment
  Access access;
  NoveltyService::Handler handler;
  const char* operation_id;
  const char* summary;
  const char* request_types;  // comma-separated media types of the body, "" for none
  const char* success;        // comma-separated success codes
  const char* produces;       // media type of the success body
};

}  // namespace

struct NoveltyService::Context {
  HttpRequest req;
  std::string request_id;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;  // path parameters
  ApiKeyInfo key;                             // the caller (name "" without keys)
  HttpHeaders extra_headers;                  // rate-limit headers, added to every answer
  HttpReply reply;                            // finishes the request (logs, metrics)
  std::weak_ptr<Context> self;                // for handlers that answer later

  void Reply(HttpResponse r) { reply(std::move(r)); }
  void Json(int status, const novelta::Json& body) {
    HttpResponse r;
    r.SetJsonBody(DumpJson(body), status);
    reply(std::move(r));
  }
  void Problem(int status, std::string_view slug, std::string_view title, std::string_view detail) {
    reply(MakeProblem(status, slug, title, detail, request_id));
  }
  void Fail(const Status& s) { reply(ProblemFromStatus(s, request_id)); }
};

struct ServiceRoutes {
  static const std::vector<Route>& Get();
};

const std::vector<Route>& ServiceRoutes::Get() {
  using S = NoveltyService;
  static const std::vector<Route> routes = {
      {"GET", "/healthz", Access::kPublic, &S::Healthz, "healthz", "Liveness: the process answers", "", "200",
       "application/json"},
      {"GET", "/readyz", Access::kPublic, &S::Readyz, "readyz",
       "Readiness: the index is loaded and the service is not shutting down", "", "200", "application/json"},
      {"GET", "/metrics", Access::kRead, &S::Metrics, "metrics", "Prometheus metrics", "", "200",
       "text/plain"},
      {"GET", "/openapi.json", Access::kPublic, &S::OpenApi, "openapi", "This OpenAPI document", "", "200",
       "application/json"},
      {"POST", "/v1/assessments", Access::kWrite, &S::CreateAssessment, "createAssessment",
       "Queue a novelty assessment of one submission (JSON, PDF or Markdown); ?wait=SECONDS answers 200 "
       "with the report when it finishes in time",
       "application/json,application/pdf,text/markdown", "202,200", "application/json"},
      {"POST", "/v1/assessments:batch", Access::kWrite, &S::CreateBatch, "createAssessmentBatch",
       "Queue one assessment per submission of {\"submissions\": [...]}", "application/json", "202",
       "application/json"},
      {"GET", "/v1/assessments", Access::kRead, &S::ListAssessments, "listAssessments",
       "List assessments, newest first (?status=&limit=&cursor=)", "", "200", "application/json"},
      {"GET", "/v1/assessments/{id}", Access::kRead, &S::GetAssessment, "getAssessment",
       "An assessment's status, and its report when done", "", "200", "application/json"},
      {"DELETE", "/v1/assessments/{id}", Access::kWrite, &S::DeleteAssessment, "deleteAssessment",
       "Delete an assessment (a queued one will not run)", "", "204", ""},
      {"GET", "/v1/assessments/{id}/report.html", Access::kRead, &S::GetReportHtml, "getReportHtml",
       "The finished report as a self-contained HTML page", "", "200", "text/html"},
      {"GET", "/v1/assessments/{id}/report.md", Access::kRead, &S::GetReportMarkdown, "getReportMarkdown",
       "The finished report as Markdown", "", "200", "text/markdown"},
      {"POST", "/v1/claims", Access::kWrite, &S::ExtractClaims, "extractClaims",
       "Stage 1 alone: the claims of a submission, synchronously", "application/json,application/pdf,text/markdown",
       "200", "application/json"},
      {"POST", "/v1/related", Access::kWrite, &S::FindRelated, "findRelated",
       "Stage 2 alone: related prior work of a submission, synchronously (?top_k=)",
       "application/json,application/pdf,text/markdown", "200", "application/json"},
  };
  return routes;
}

namespace {

const std::vector<Route>& Routes() { return ServiceRoutes::Get(); }

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool MatchPattern(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                  std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> p;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& seg = pattern[i];
    // "{id}" or "{id}/report.html"-style segments: a parameter then a fixed suffix.
    if (!seg.empty() && seg.front() == '{') {
      size_t close = seg.find('}');
      std::string suffix = seg.substr(close + 1);
      if (path[i].size() <= suffix.size() || !EndsWith(path[i], suffix)) return false;
      p[seg.substr(1, close - 1)] = path[i].substr(0, path[i].size() - suffix.size());
    } else if (seg != path[i]) {
      return false;
    }
  }
  *params = std::move(p);
  return true;
}

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(const HttpRequest& req) {
  std::string ct = req.Header("Content-Type");
  size_t semi = ct.find(';');
  if (semi != std::string::npos) ct.resize(semi);
  return ToLowerAscii(Trim(ct));
}

std::string PresentedKey(const HttpRequest& req) {
  std::string auth = req.Header("Authorization");
  if (auth.size() > 7 && ToLowerAscii(auth.substr(0, 7)) == "bearer ") return std::string(Trim(auth.substr(7)));
  return std::string(Trim(req.Header("X-API-Key")));
}

std::string IsoTime(int64_t micros) {
  if (micros <= 0) return "";
  time_t secs = static_cast<time_t>(micros / 1000000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

StatusOr<int> IntParam(const HttpRequest& req, const char* name, int def, int lo, int hi) {
  const std::string* v = req.Query(name);
  if (!v) return def;
  char* end = nullptr;
  errno = 0;
  long x = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno != 0 || x < lo || x > hi) {
    return Status::InvalidArgument("query parameter '" + std::string(name) + "' must be an integer in " +
                                   std::to_string(lo) + ".." + std::to_string(hi));
  }
  return static_cast<int>(x);
}

// A submission from a JSON object: {"title","abstract","fulltext"?,"submitted"?,"external_id"?}.
// `what` names the object in errors ("request body", "submissions[3]").
StatusOr<Submission> SubmissionFromRequestJson(const Json& j, const std::string& what) {
  if (!j.is_object()) return Status::InvalidArgument(what + ": must be a JSON object");
  for (const char* field : {"title", "abstract", "fulltext", "submitted", "external_id"}) {
    auto it = j.find(field);
    if (it != j.end() && !it->is_string() && !it->is_null()) {
      return Status::InvalidArgument(what + ": field '" + field + "' must be a string");
    }
  }
  auto str = [&](const char* field) {
    auto it = j.find(field);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (Trim(str("title")).empty()) return Status::InvalidArgument(what + ": field 'title' is required");
  if (Trim(str("abstract")).empty() && Trim(str("fulltext")).empty()) {
    return Status::InvalidArgument(what + ": field 'abstract' is required");
  }
  Date submitted;
  if (!str("submitted").empty()) {
    auto d = Date::Parse(str("submitted"));
    if (!d.ok()) {
      return Status::InvalidArgument(what + ": field 'submitted' must be a date like 2025-05-15: " +
                                     d.status().message());
    }
    submitted = *d;
  }
#ifdef NOVELTA_HAVE_INGEST
  Json core = {{"title", str("title")}, {"abstract", str("abstract")}};
  if (!str("fulltext").empty()) core["fulltext"] = str("fulltext");
  if (submitted.known()) core["submitted"] = submitted.ToString();
  NOVELTA_ASSIGN_OR_RETURN(Submission s, ParseSubmissionJsonValue(core, what));
#else
  Submission s;
  s.title = str("title");
  s.abstract = str("abstract");
  s.fulltext = str("fulltext");
  s.format = "json";
#endif
  s.title = SanitizeUtf8(s.title);
  s.abstract = SanitizeUtf8(s.abstract);
  s.submitted = submitted;
  s.id = str("external_id");
  s.source = "request";
  return s;
}

// The submission in a request body, by Content-Type. `media` is set for error mapping.
StatusOr<Submission> SubmissionFromBody(const HttpRequest& req, const std::string& media) {
  if (media == "application/json") {
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(req.body, "request body"));
    return SubmissionFromRequestJson(j, "request body");
  }
#ifdef NOVELTA_HAVE_INGEST
  StatusOr<Submission> parsed = Status::Internal("unreachable");
  if (media == "application/pdf") parsed = ParsePdfSubmission(req.body, "uploaded PDF");
  else parsed = ParseMarkdownSubmission(req.body, "uploaded Markdown");
  if (!parsed.ok()) return parsed.status();
  Submission s = std::move(*parsed);
  if (const std::string* id = req.Query("external_id")) s.id = *id;
  if (const std::string* d = req.Query("submitted")) {
    auto date = Date::Parse(*d);
    if (!date.ok()) return Status::InvalidArgument("query parameter 'submitted' must be a date like 2025-05-15");
    s.submitted = *date;
  }
  s.source = "request";
  return s;
#else
  return Status::FailedPrecondition("this build cannot read " + media + " uploads");
#endif
}

bool SupportedUpload(const std::string& media) {
  return media == "application/json" || media == "application/pdf" || media == "text/markdown";
}

}  // namespace

// ---------------------------------------------------------------------------
// Lifecycle

NoveltyService::NoveltyService(const ServiceConfig& config, std::shared_ptr<const Assessor> assessor)
    : config_(config),
      assessor_(std::move(assessor)),
      metrics_(std::make_shared<ServiceMetrics>()),
      limiter_(config.rate_limit_per_second, config.rate_limit_burst) {}

StatusOr<std::unique_ptr<NoveltyService>> NoveltyService::Open(const ServiceConfig& config,
                                                               std::shared_ptr<const Assessor> assessor) {
  NOVELTA_RETURN_IF_ERROR(config.Validate());
  if (!assessor) return Status::InvalidArgument("service: no assessor");
  NOVELTA_RETURN_IF_ERROR(Env::Default()->CreateDirs(config.state_dir));
  std::unique_ptr<NoveltyService> s(new NoveltyService(config, std::move(assessor)));
  NOVELTA_ASSIGN_OR_RETURN(s->store_, JobStore::Open(config.state_dir));
  NOVELTA_ASSIGN_OR_RETURN(s->keys_, KeyStore::Open(config.state_dir));
  if (!config.bootstrap_api_key.empty()) {
    NOVELTA_RETURN_IF_ERROR(s->keys_->Put("bootstrap", config.bootstrap_api_key, Scope::kAdmin));
  }
  s->metrics_->SetIndexPapers(static_cast<int64_t>(s->assessor_->index_summary().n_papers));
  s->stage_pool_ = std::make_unique<BoundedExecutor>(std::max(1, config.workers), config.http_queue);
  NoveltyService* self = s.get();
  s->runner_ = std::make_unique<JobRunner>(s->store_, s->assessor_, s->metrics_, config.workers,
                                           [self](const std::string& id) { self->OnJobFinished(id); });
  s->waiter_thread_ = std::thread([self] { self->WaiterLoop(); });
  s->runner_->Start();
  int64_t queued = s->store_->queued();
  if (queued > 0) spdlog::info("resuming {} queued assessment job(s)", queued);
  return s;
}

NoveltyService::~NoveltyService() { Shutdown(std::chrono::milliseconds(0)); }

bool NoveltyService::ready() const { return !shutting_down_.load() && assessor_ != nullptr; }

int NoveltyService::Shutdown(std::chrono::milliseconds grace) {
  shutting_down_ = true;
  int requeued = 0;
  if (runner_) requeued = runner_->Stop(grace);
  if (stage_pool_) stage_pool_->Shutdown();
  // Answer every remaining waiter with the job's state now.
  std::map<uint64_t, Waiter> pending;
  {
    std::lock_guard<std::mutex> lock(waiters_mu_);
    waiters_stop_ = true;
    pending.swap(waiters_);
  }
  waiters_cv_.notify_all();
  for (auto& [token, w] : pending) w.fire();
  if (waiter_thread_.joinable()) waiter_thread_.join();
  return requeued;
}

// ---------------------------------------------------------------------------
// Dispatch

void NoveltyService::Handle(HttpRequest request, HttpReply reply) {
  auto ctx = std::make_shared<Context>();
  ctx->self = ctx;
  ctx->req = std::move(request);
  std::string given_id = ctx->req.Header("X-Request-Id");
  ctx->request_id = ValidRequestId(given_id) ? given_id : RandomHex(8);

  // Finishing a request: common headers, the access log line and metrics.
  auto start = Clock::now();
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Context* raw = ctx.get();
  ctx->reply = [this, raw, start, answered, reply = std::move(reply)](HttpResponse r) {
    if (answered->exchange(true)) return;
    r.headers["X-Request-Id"] = raw->request_id;
    for (const auto& [k, v] : raw->extra_headers) r.headers[k] = v;
    if (!r.headers.count("Cache-Control")) r.headers["Cache-Control"] = "no-store";
    r.headers["X-Content-Type-Options"] = "nosniff";
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::string route = raw->route ? raw->route->pattern : "unmatched";
    metrics_->ObserveRequest(raw->req.method, route, r.status, seconds);
    // Never the body, query values or the key: only what identifies the request.
    spdlog::info("access {} \"{} {}\" {} {}B {:.1f}ms rid={} key={}", raw->req.remote.empty() ? "-" : raw->req.remote,
                 raw->req.method, raw->req.path.size() > 200 ? raw->req.path.substr(0, 200) : raw->req.path,
                 r.status, r.body.size(), seconds * 1000.0, raw->request_id,
                 raw->key.name.empty() ? "-" : raw->key.name);
    reply(std::move(r));
  };

  // Route: 404 for unknown paths, 405 for a known path with another method.
  std::vector<std::string> segments = SplitPath(ctx->req.path);
  std::string allowed;
  for (const Route& route : Routes()) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(SplitPath(route.pattern), segments, &params)) continue;
    if (ctx->req.method == route.method) {
      ctx->route = &route;
      ctx->params = std::move(params);
      break;
    }
    allowed += allowed.empty() ? route.method : std::string(", ") + route.method;
  }
  if (!ctx->route) {
    if (!allowed.empty()) {
      HttpResponse r = MakeProblem(405, "method-not-allowed", "Method not allowed",
                                   ctx->req.method + " is not allowed on " + ctx->req.path + "; allowed: " + allowed,
                                   ctx->request_id);
      r.headers["Allow"] = allowed;
      ctx->Reply(std::move(r));
    } else {
      ctx->Problem(404, "not-found", "Not found", "no route for " + ctx->req.path);
    }
    return;
  }

  // Authenticate, authorise and rate-limit.
  const Route& route = *ctx->route;
  if (route.access != Access::kPublic && config_.require_api_keys) {
    std::string key = PresentedKey(ctx->req);
    if (key.empty()) {
      HttpResponse r = MakeProblem(401, "unauthenticated", "Authentication required",
                                   "send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                                   ctx->request_id);
      r.headers["WWW-Authenticate"] = "Bearer realm=\"novelta\"";
      ctx->Reply(std::move(r));
      return;
    }
    auto info = keys_->Verify(key);
    if (!info.ok()) {
      HttpResponse r = info.status().code() == Status::Code::kUnauthenticated
                           ? MakeProblem(401, "unauthenticated", "Authentication required",
                                         info.status().message(), ctx->request_id)
                           : ProblemFromStatus(info.status(), ctx->request_id);
      if (r.status == 401) r.headers["WWW-Authenticate"] = "Bearer realm=\"novelta\", error=\"invalid_token\"";
      ctx->Reply(std::move(r));
      return;
    }
    ctx->key = *info;
    Scope needed = route.access == Access::kRead ? Scope::kRead : Scope::kWrite;
    if (static_cast<int>(ctx->key.scope) < static_cast<int>(needed)) {
      ctx->Problem(403, "forbidden", "Forbidden",
                   std::string("the key '") + ctx->key.name + "' has scope '" + ScopeName(ctx->key.scope) +
                       "'; " + route.method + " " + route.pattern + " needs '" + ScopeName(needed) + "'");
      return;
    }
    RateLimiter::Decision d = limiter_.Take(ctx->key.name);
    ctx->extra_headers["RateLimit-Limit"] = std::to_string(d.limit);
    ctx->extra_headers["RateLimit-Remaining"] = std::to_string(d.remaining);
    ctx->extra_headers["RateLimit-Reset"] = std::to_string(d.reset_seconds);
    if (!d.allowed) {
      HttpResponse r = MakeProblem(429, "rate-limited", "Too many requests",
                                   "the key '" + ctx->key.name + "' is over its rate limit; retry in " +
                                       std::to_string(d.retry_after) + " s",
                                   ctx->request_id);
      r.headers["Retry-After"] = std::to_string(d.retry_after);
      ctx->Reply(std::move(r));
      return;
    }
  } else if (route.access == Access::kWrite || route.access == Access::kRead) {
    ctx->key.scope = Scope::kAdmin;  // keys disabled: local use, full access
  }

  // A handler that answers later holds ctx->self.lock() until it does.
  try {
    (this->*route.handler)(*ctx);
  } catch (const std::exception& e) {
    spdlog::error("request {}: handler threw: {}", ctx->request_id, e.what());
    ctx->Fail(Status::Internal(e.what()));
  }
}

// ---------------------------------------------------------------------------
// Operational routes

void NoveltyService::Healthz(Context& ctx) { ctx.Json(200, {{"status", "ok"}}); }

void NoveltyService::Readyz(Context& ctx) {
  if (!ready()) {
    HttpResponse r = MakeProblem(503, "unavailable", "The service is not ready",
                                 shutting_down_ ? "shutting down" : "the index is not loaded", ctx.request_id);
    r.headers["Retry-After"] = "5";
    ctx.Reply(std::move(r));
    return;
  }
  IndexSummary idx = assessor_->index_summary();
  ctx.Json(200, {{"status", "ready"},
                 {"index", {{"index_id", idx.index_id}, {"papers", idx.n_papers}, {"built_at", idx.built_at}}},
                 {"queued", store_->queued()}});
}

void NoveltyService::Metrics(Context& ctx) {
  metrics_->SetQueueDepth(store_->queued());
  auto counts = store_->CountByStatus();
  if (counts.ok()) metrics_->SetJobsByStatus(*counts);
  HttpResponse r;
  r.status = 200;
  r.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_->Render();
  ctx.Reply(std::move(r));
}

void NoveltyService::OpenApi(Context& ctx) {
  HttpResponse r;
  r.SetJsonBody(DumpJson(OpenApiDocument(), 2), 200);
  r.headers["Cache-Control"] = "public, max-age=3600";
  ctx.Reply(std::move(r));
}

// ---------------------------------------------------------------------------
// Assessments

Json NoveltyService::JobToJson(const JobRecord& job, bool with_report) const {
  Json j = {{"id", job.id},
            {"status", JobStatusName(job.status)},
            {"created_at", IsoTime(job.created_us)},
            {"attempts", job.attempts},
            {"links",
             {{"self", "/v1/assessments/" + job.id},
              {"report_html", "/v1/assessments/" + job.id + "/report.html"},
              {"report_md", "/v1/assessments/" + job.id + "/report.md"}}}};
  if (job.started_us > 0) j["started_at"] = IsoTime(job.started_us);
  if (job.finished_us > 0) j["finished_at"] = IsoTime(job.finished_us);
  // Progress: how many jobs run first while queued, how long it has run while running.
  if (job.status == JobStatus::kQueued && with_report) {
    auto ahead = store_->QueuedAhead(job.seq);
    if (ahead.ok()) j["progress"] = {{"stage", "queued"}, {"queued_ahead", *ahead}};
  }
  if (job.status == JobStatus::kRunning) {
    int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    double elapsed = job.started_us > 0 ? std::max<int64_t>(0, now_us - job.started_us) / 1e6 : 0.0;
    j["progress"] = {{"stage", "assessing"}, {"elapsed_seconds", elapsed}};
  }
  if (job.status == JobStatus::kDone) j["progress"] = {{"stage", "done"}};
  if (job.status == JobStatus::kFailed) j["error"] = job.error;
  if (with_report && job.status == JobStatus::kDone) {
    auto report = ParseJson(job.report_json, "stored report " + job.id, 256);
    if (report.ok()) j["report"] = std::move(*report);
  }
  return j;
}

StatusOr<JobRecord> NoveltyService::GetOwnedJob(Context& ctx) {
  const std::string& id = ctx.params["id"];
  NOVELTA_ASSIGN_OR_RETURN(JobRecord job, store_->Get(id));
  // Keys see their own jobs; admin keys (and keyless local use) see all.
  if (ctx.key.scope != Scope::kAdmin && job.owner != ctx.key.name) {
    return Status::NotFound("no assessment with id '" + id + "'");
  }
  return job;
}

void NoveltyService::CreateAssessment(Context& ctx) {
  if (shutting_down_) {
    ctx.Fail(Status::FailedPrecondition("the service is shutting down"));
    return;
  }
  std::string media = MediaType(ctx.req);
  if (!SupportedUpload(media)) {
    ctx.Problem(415, "unsupported-media-type", "Unsupported media type",
                "Content-Type must be application/json, application/pdf or text/markdown, got '" + media + "'");
    return;
  }
  auto wait = IntParam(ctx.req, "wait", 0, 0, config_.max_wait_seconds);
  if (!wait.ok()) return ctx.Fail(wait.status());
  auto top_k = IntParam(ctx.req, "top_k", config_.top_k, 1, 1000);
  if (!top_k.ok()) return ctx.Fail(top_k.status());
  auto submission = SubmissionFromBody(ctx.req, media);
  if (!submission.ok()) {
    if (submission.status().code() == Status::Code::kFailedPrecondition) {
      return ctx.Problem(415, "unsupported-media-type", "Unsupported media type", submission.status().message());
    }
    return ctx.Problem(400, "invalid-request", "The request is invalid", submission.status().message());
  }
  std::string idem = std::string(Trim(ctx.req.Header("Idempotency-Key")));
  if (idem.size() > 255) return ctx.Problem(400, "invalid-request", "The request is invalid",
                                            "header 'Idempotency-Key' must be at most 255 characters");
  NewJob job;
  job.owner = ctx.key.name;
  job.idempotency_key = idem;
  job.request_hash = Sha256Hex(media + "\n" + std::to_string(*top_k) + "\n" + ctx.req.body);
  job.submission_json = DumpJson(ToJson(*submission));
  job.top_k = *top_k;
  job.cutoff = submission->submitted.ToString();
  auto inserted = store_->Insert({job}, config_.max_queue);
  if (!inserted.ok()) {
    if (inserted.status().code() == Status::Code::kAlreadyExists) {
      return ctx.Problem(422, "idempotency-key-reused", "Idempotency key reused", inserted.status().message());
    }
    HttpResponse r = ProblemFromStatus(inserted.status(), ctx.request_id);
    if (r.status == 503) r.headers["Retry-After"] = "30";
    return ctx.Reply(std::move(r));
  }
  runner_->Notify();
  const InsertedJob& ij = inserted->front();
  std::shared_ptr<Context> c = ctx.self.lock();
  auto answer = [this, c, id = ij.id, replayed = ij.replayed]() {
    auto rec = store_->Get(id);
    HttpResponse r;
    if (!rec.ok()) {
      r = ProblemFromStatus(rec.status(), c->request_id);
    } else {
      bool finished = rec->status == JobStatus::kDone || rec->status == JobStatus::kFailed;
      bool waited = c->req.Query("wait") != nullptr;
      // A new job is queued when accepted, whatever a worker did since.
      if (!replayed && !waited) rec->status = JobStatus::kQueued;
      r.SetJsonBody(DumpJson(finished && waited ? JobToJson(*rec, true)
                                                : Json{{"id", id}, {"status", JobStatusName(rec->status)}}),
                    finished && waited ? 200 : 202);
    }
    r.headers["Location"] = "/v1/assessments/" + id;
    if (replayed) r.headers["Idempotent-Replayed"] = "true";
    c->Reply(std::move(r));
  };
  if (*wait > 0) {
    ReplyWhenFinished(ij.id, Clock::now() + std::chrono::seconds(*wait), answer);
  } else {
    answer();
  }
}

void NoveltyService::CreateBatch(Context& ctx) {
  if (shutting_down_) return ctx.Fail(Status::FailedPrecondition("the service is shutting down"));
  std::string media = MediaType(ctx.req);
  if (media != "application/json") {
    return ctx.Problem(415, "unsupported-media-type", "Unsupported media type",
                       "a batch must be application/json, got '" + media + "'");
  }
  auto body = ParseJson(ctx.req.body, "request body");
  if (!body.ok()) return ctx.Problem(400, "invalid-request", "The request is invalid", body.status().message());
  auto it = body->is_object() ? body->find("submissions") : body->end();
  if (!body->is_object() || it == body->end() || !it->is_array()) {
    return ctx.Problem(400, "invalid-request", "The request is invalid",
                       "request body: field 'submissions' must be an array of submissions");
  }
  if (it->empty() || it->size() > static_cast<size_t>(config_.max_batch)) {
    return ctx.Problem(400, "invalid-request", "The request is invalid",
                       "request body: field 'submissions' must hold 1 to " + std::to_string(config_.max_batch) +
                           " submissions, got " + std::to_string(it->size()));
  }
  auto top_k = IntParam(ctx.req, "top_k", config_.top_k, 1, 1000);
  if (!top_k.ok()) return ctx.Fail(top_k.status());
  std::string idem = std::string(Trim(ctx.req.Header("Idempotency-Key")));
  std::vector<NewJob> jobs;
  for (size_t i = 0; i < it->size(); ++i) {
    std::string what = "submissions[" + std::to_string(i) + "]";
    auto s = SubmissionFromRequestJson((*it)[i], what);
    if (!s.ok()) return ctx.Problem(400, "invalid-request", "The request is invalid", s.status().message());
    NewJob job;
    job.owner = ctx.key.name;
    if (!idem.empty()) job.idempotency_key = idem + "#" + std::to_string(i);
    job.request_hash = Sha256Hex("batch\n" + std::to_string(*top_k) + "\n" + DumpJson((*it)[i]));
    job.submission_json = DumpJson(ToJson(*s));
    job.top_k = *top_k;
    job.cutoff = s->submitted.ToString();
    jobs.push_back(std::move(job));
  }
  auto inserted = store_->Insert(jobs, config_.max_queue);
  if (!inserted.ok()) {
    if (inserted.status().code() == Status::Code::kAlreadyExists) {
      return ctx.Problem(422, "idempotency-key-reused", "Idempotency key reused", inserted.status().message());
    }
    HttpResponse r = ProblemFromStatus(inserted.status(), ctx.request_id);
    if (r.status == 503) r.headers["Retry-After"] = "30";
    return ctx.Reply(std::move(r));
  }
  runner_->Notify();
  Json out = Json::array();
  for (const auto& ij : *inserted) {
    out.push_back({{"id", ij.id}, {"status", "queued"}, {"location", "/v1/assessments/" + ij.id}});
  }
  ctx.Json(202, {{"jobs", out}});
}

void NoveltyService::ListAssessments(Context& ctx) {
  std::optional<JobStatus> status;
  if (const std::string* s = ctx.req.Query("status")) {
    auto parsed = ParseJobStatus(*s);
    if (!parsed.ok()) return ctx.Fail(Status::InvalidArgument("query parameter 'status': " + parsed.status().message()));
    status = *parsed;
  }
  auto limit = IntParam(ctx.req, "limit", std::min(50, config_.max_page_size), 1, config_.max_page_size);
  if (!limit.ok()) return ctx.Fail(limit.status());
  int64_t before = 0;
  if (const std::string* cursor = ctx.req.Query("cursor")) {
    char* end = nullptr;
    long long v = cursor->size() > 1 && (*cursor)[0] == 'c' ? std::strtoll(cursor->c_str() + 1, &end, 10) : 0;
    if (v <= 0 || !end || *end != '\0') {
      return ctx.Fail(Status::InvalidArgument("query parameter 'cursor' is not a cursor this service returned"));
    }
    before = v;
  }
  std::optional<std::string> owner;
  if (ctx.key.scope != Scope::kAdmin) owner = ctx.key.name;
  auto jobs = store_->List(owner, status, before, *limit + 1);
  if (!jobs.ok()) return ctx.Fail(jobs.status());
  Json items = Json::array();
  bool more = jobs->size() > static_cast<size_t>(*limit);
  if (more) jobs->pop_back();
  for (const auto& j : *jobs) items.push_back(JobToJson(j, false));
  Json out = {{"items", items}, {"next_cursor", nullptr}};
  if (more) out["next_cursor"] = "c" + std::to_string(jobs->back().seq);
  ctx.Json(200, out);
}

void NoveltyService::GetAssessment(Context& ctx) {
  auto job = GetOwnedJob(ctx);
  if (!job.ok()) return ctx.Fail(job.status());
  ctx.Json(200, JobToJson(*job, true));
}

void NoveltyService::DeleteAssessment(Context& ctx) {
  auto job = GetOwnedJob(ctx);
  if (!job.ok()) return ctx.Fail(job.status());
  Status s = store_->Delete(job->id);
  if (!s.ok()) return ctx.Fail(s);
  HttpResponse r;
  r.status = 204;
  ctx.Reply(std::move(r));
}

namespace {

StatusOr<NoveltyReport> FinishedReport(const JobRecord& job) {
  if (job.status != JobStatus::kDone) {
    return Status::Cancelled("assessment '" + job.id + "' is " + JobStatusName(job.status) +
                             "; its report exists once it is done");
  }
  NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(job.report_json, "stored report " + job.id, 256));
  return ReportFromJson(j);
}

}  // namespace

void NoveltyService::ServeReportPage(Context& ctx, const char* content_type,
                                     std::string (*render)(const NoveltyReport&)) {
  auto job = GetOwnedJob(ctx);
  if (!job.ok()) return ctx.Fail(job.status());
  auto report = FinishedReport(*job);
  if (!report.ok()) {
    if (report.status().code() == Status::Code::kCancelled) {
      return ctx.Problem(409, "not-finished", "The assessment has not finished", report.status().message());
    }
    return ctx.Fail(report.status());
  }
  HttpResponse r;
  r.status = 200;
  r.headers["Content-Type"] = content_type;
  // A page needs nothing but its own inline styles.
  r.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
  r.body = render(*report);
  ctx.Reply(std::move(r));
}

void NoveltyService::GetReportHtml(Context& ctx) {
  ServeReportPage(ctx, "text/html; charset=utf-8", &RenderReportHtml);
}

void NoveltyService::GetReportMarkdown(Context& ctx) {
  ServeReportPage(ctx, "text/markdown; charset=utf-8", &RenderReportMarkdown);
}

// ---------------------------------------------------------------------------
// Single stages, synchronous, on their own small pool

void NoveltyService::ExtractClaims(Context& ctx) { RunStage(ctx, true); }
void NoveltyService::FindRelated(Context& ctx) { RunStage(ctx, false); }

void NoveltyService::RunStage(Context& ctx, bool claims) {
  if (shutting_down_) return ctx.Fail(Status::FailedPrecondition("the service is shutting down"));
  std::string media = MediaType(ctx.req);
  if (!SupportedUpload(media)) {
    return ctx.Problem(415, "unsupported-media-type", "Unsupported media type",
                       "Content-Type must be application/json, application/pdf or text/markdown, got '" + media + "'");
  }
  auto top_k = IntParam(ctx.req, "top_k", config_.top_k, 1, 1000);
  if (!top_k.ok()) return ctx.Fail(top_k.status());
  auto submission = SubmissionFromBody(ctx.req, media);
  if (!submission.ok()) {
    if (submission.status().code() == Status::Code::kFailedPrecondition) {
      return ctx.Problem(415, "unsupported-media-type", "Unsupported media type", submission.status().message());
    }
    return ctx.Problem(400, "invalid-request", "The request is invalid", submission.status().message());
  }
  std::shared_ptr<Context> c = ctx.self.lock();
  auto task = [this, c, claims, s = std::move(*submission), k = *top_k]() {
    try {
      if (claims) {
        auto out = assessor_->ExtractClaims(s);
        if (!out.ok()) return c->Fail(out.status());
        Json arr = Json::array();
        for (const auto& claim : *out) arr.push_back(ToJson(claim));
        c->Json(200, {{"claims", arr}});
      } else {
        AssessParams params;
        params.top_k = k;
        params.cutoff = s.submitted;
        auto out = assessor_->FindRelated(s, params);
        if (!out.ok()) return c->Fail(out.status());
        Json arr = Json::array();
        for (const auto& p : *out) arr.push_back(ToJson(p));
        c->Json(200, {{"related_work", arr}});
      }
    } catch (const std::exception& e) {
      c->Fail(Status::Internal(e.what()));
    }
  };
  if (!stage_pool_->TrySubmit(std::move(task))) {
    HttpResponse r = MakeProblem(503, "overloaded", "The service is at capacity",
                                 "too many synchronous stage requests; retry later", ctx.request_id);
    r.headers["Retry-After"] = "5";
    ctx.Reply(std::move(r));
  }
}

// ---------------------------------------------------------------------------
// Waiting for jobs (?wait=SECONDS) without holding a thread

void NoveltyService::ReplyWhenFinished(const std::string& id, Clock::time_point deadline,
                                       std::function<void()> on_ready) {
  uint64_t token;
  {
    std::lock_guard<std::mutex> lock(waiters_mu_);
    if (waiters_stop_) {
      on_ready();
      return;
    }
    token = next_waiter_++;
    waiters_[token] = Waiter{id, deadline, std::move(on_ready)};
  }
  waiters_cv_.notify_all();
  // The job may have finished before the waiter was registered.
  auto job = store_->Get(id);
  if (!job.ok() || job->status == JobStatus::kDone || job->status == JobStatus::kFailed) {
    std::function<void()> fire;
    {
      std::lock_guard<std::mutex> lock(waiters_mu_);
      auto it = waiters_.find(token);
      if (it == waiters_.end()) return;  // already answered
      fire = std::move(it->second.fire);
      waiters_.erase(it);
    }
    fire();
  }
}

void NoveltyService::OnJobFinished(const std::string& id) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(waiters_mu_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.job_id == id) {
        ready.push_back(std::move(it->second.fire));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& f : ready) f();
}

void NoveltyService::WaiterLoop() {
  std::unique_lock<std::mutex> lock(waiters_mu_);
  while (!waiters_stop_) {
    auto now = Clock::now();
    Clock::time_point next = now + std::chrono::seconds(1);
    std::vector<std::function<void()>> due;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.deadline <= now) {
        due.push_back(std::move(it->second.fire));
        it = waiters_.erase(it);
      } else {
        next = std::min(next, it->second.deadline);
        ++it;
      }
    }
    if (!due.empty()) {
      lock.unlock();
      for (auto& f : due) f();
      lock.lock();
      continue;
    }
    waiters_cv_.wait_until(lock, next);
  }
}

// ---------------------------------------------------------------------------
// OpenAPI

Json NoveltyService::OpenApiDocument() {
  Json problem = {{"type", "object"},
                  {"required", {"type", "title", "status", "detail", "request_id"}},
                  {"properties",
                   {{"type", {{"type", "string"}}},
                    {"title", {{"type", "string"}}},
                    {"status", {{"type", "integer"}}},
                    {"detail", {{"type", "string"}}},
                    {"request_id", {{"type", "string"}}}}}};
  Json submission = {{"type", "object"},
                     {"required", {"title", "abstract"}},
                     {"properties",
                      {{"title", {{"type", "string"}}},
                       {"abstract", {{"type", "string"}}},
                       {"fulltext", {{"type", "string"}, {"description", "Markdown full text"}}},
                       {"submitted", {{"type", "string"}, {"description", "YYYY, YYYY-MM or YYYY-MM-DD"}}},
                       {"external_id", {{"type", "string"}}}}}};
  Json job = {{"type", "object"},
              {"required", {"id", "status"}},
              {"properties",
               {{"id", {{"type", "string"}}},
                {"status", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed"}}}},
                {"progress", {{"type", "object"}}},
                {"error", {{"type", "string"}}},
                {"report", {{"type", "object"}, {"description", "NoveltyReport (docs/report.schema.json)"}}}}}};
  Json components = {
      {"schemas", {{"Problem", problem}, {"Submission", submission}, {"Assessment", job}}},
      {"securitySchemes",
       {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
        {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}}};
  Json paths = Json::object();
  for (const Route& r : Routes()) {
    std::string method = ToLowerAscii(r.method);
    std::string path = r.pattern;
    Json op = {{"operationId", r.operation_id}, {"summary", r.summary}};
    if (path.find("{id}") != std::string::npos) {
      op["parameters"] = Json::array({{{"name", "id"}, {"in", "path"}, {"required", true},
                                       {"schema", {{"type", "string"}}}}});
    }
    if (r.access == Access::kPublic) {
      op["security"] = Json::array();
    } else {
      op["security"] = Json::array({{{"bearer", Json::array()}}, {{"apiKey", Json::array()}}});
    }
    std::string types = r.request_types;
    if (!types.empty()) {
      Json content = Json::object();
      size_t start = 0;
      while (start < types.size()) {
        size_t comma = types.find(',', start);
        if (comma == std::string::npos) comma = types.size();
        std::string t = types.substr(start, comma - start);
        if (t == "application/json") {
          content[t] = {{"schema", {{"$ref", "#/components/schemas/Submission"}}}};
        } else {
          content[t] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
        }
        start = comma + 1;
      }
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    Json responses = Json::object();
    std::string codes = r.success;
    size_t start = 0;
    while (start < codes.size()) {
      size_t comma = codes.find(',', start);
      if (comma == std::string::npos) comma = codes.size();
      std::string code = codes.substr(start, comma - start);
      Json resp = {{"description", HttpReasonPhrase(std::atoi(code.c_str()))}};
      if (*r.produces) {
        Json schema = std::string(r.produces) == "application/json" && path.rfind("/v1/assessments", 0) == 0
                          ? Json{{"$ref", "#/components/schemas/Assessment"}}
                          : Json{{"type", std::string(r.produces) == "application/json" ? "object" : "string"}};
        resp["content"] = {{r.produces, {{"schema", schema}}}};
      }
      responses[code] = resp;
      start = comma + 1;
    }
    responses["default"] = {{"description", "A problem (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 503)"},
                            {"content", {{"application/problem+json",
                                          {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    op["responses"] = responses;
    paths[path][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "novelta"},
            {"version", "0.1.0"},
            {"description", "Evidence-backed novelty assessment of paper submissions"}}},
          {"paths", paths},
          {"components", components}};
}

}  // namespace novelta
