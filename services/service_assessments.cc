// NoveltyService's assessment routes: queueing one submission or a batch as
// jobs (with idempotency keys and ?wait=SECONDS), listing, reading and
// deleting them, and a finished job's report as an HTML or Markdown page.
// Callers see only their own jobs; admin keys see all.
#include <algorithm>
#include <cstdlib>

#include "base/hash.h"
#include "base/text.h"
#include "services/report_pages.h"
#include "services/service_context.h"
#include "services/service_request.h"

namespace novelta {

using Clock = std::chrono::steady_clock;
using service_internal::IntParam;
using service_internal::MediaType;
using service_internal::SubmissionFromRequestJson;
using service_internal::UploadMediaType;

namespace {

std::string IsoTime(int64_t micros) {
  if (micros <= 0) return "";
  time_t secs = static_cast<time_t>(micros / 1000000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Answers a failed JobStore::Insert: 422 for an idempotency key used with
// another request, else the status's problem (a full queue or full storage
// is 503, to be retried in 30 s).
void ReplyInsertFailure(NoveltyService::Context& ctx, const Status& s) {
  if (s.code() == Status::Code::kAlreadyExists) {
    return ctx.Problem(422, "idempotency-key-reused", "Idempotency key reused", s.message());
  }
  HttpResponse r = ProblemFromStatus(s, ctx.request_id);
  if (r.status == 503) r.headers["Retry-After"] = "30";
  ctx.Reply(std::move(r));
}

// A done job's report; Cancelled while the job is queued, running or failed.
StatusOr<NoveltyReport> FinishedReport(const JobRecord& job) {
  if (job.status != JobStatus::kDone) {
    return Status::Cancelled("assessment '" + job.id + "' is " + JobStatusName(job.status) +
                             "; its report exists once it is done");
  }
  NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(job.report_json, "stored report " + job.id, 256));
  return ReportFromJson(j);
}

}  // namespace

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
  std::string media = UploadMediaType(ctx);
  if (media.empty()) return;
  auto wait = IntParam(ctx.req, "wait", 0, 0, config_.max_wait_seconds);
  if (!wait.ok()) return ctx.Fail(wait.status());
  auto top_k = IntParam(ctx.req, "top_k", config_.top_k, 1, 1000);
  if (!top_k.ok()) return ctx.Fail(top_k.status());
  WithSubmission(ctx, media, [this, media, wait = *wait, top_k = *top_k, c = ctx.self.lock()](Submission s) {
    QueueAssessment(*c, media, wait, top_k, std::move(s));
  });
}

void NoveltyService::QueueAssessment(Context& ctx, const std::string& media, int wait, int top_k,
                                     const Submission& submission) {
  std::string idem = std::string(Trim(ctx.req.Header("Idempotency-Key")));
  if (idem.size() > 255) return ctx.Problem(400, "invalid-request", "The request is invalid",
                                            "header 'Idempotency-Key' must be at most 255 characters");
  NewJob job;
  job.owner = ctx.key.name;
  job.idempotency_key = idem;
  job.request_hash = Sha256Hex(media + "\n" + std::to_string(top_k) + "\n" + ctx.req.body);
  job.submission_json = DumpJson(ToJson(submission));
  job.top_k = top_k;
  job.cutoff = submission.submitted.ToString();
  auto inserted = store_->Insert({job}, config_.max_queue);
  if (!inserted.ok()) return ReplyInsertFailure(ctx, inserted.status());
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
  if (wait > 0) {
    ReplyWhenFinished(ij.id, Clock::now() + std::chrono::seconds(wait), answer);
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
  if (!inserted.ok()) return ReplyInsertFailure(ctx, inserted.status());
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
  r.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  r.body = render(*report);
  ctx.Reply(std::move(r));
}

void NoveltyService::GetReportHtml(Context& ctx) {
  ServeReportPage(ctx, "text/html; charset=utf-8", &RenderReportHtml);
}

void NoveltyService::GetReportMarkdown(Context& ctx) {
  ServeReportPage(ctx, "text/markdown; charset=utf-8", &RenderReportMarkdown);
}

}  // namespace novelta
