// NoveltyService's single-stage routes: POST /v1/claims (stage 1) and
// POST /v1/related (stage 2) run one stage of the pipeline synchronously, on
// a small pool of their own so they never wait behind queued assessments; a
// full pool answers 503 at once. And reading a request's submission: a PDF on
// a pool of its own, with a time limit, never on a request thread.
#include "services/service_context.h"
#include "services/service_request.h"

namespace novelta {

using service_internal::IntParam;
using service_internal::ReadSubmission;
using service_internal::UploadMediaType;

void NoveltyService::ExtractClaims(Context& ctx) { RunStage(ctx, true); }
void NoveltyService::FindRelated(Context& ctx) { RunStage(ctx, false); }

void NoveltyService::WithSubmission(Context& ctx, const std::string& media,
                                    std::function<void(Submission)> then) {
  IngestLimits limits;
  limits.max_pdf_seconds = config_.pdf_seconds;
  if (!config_.pdf_reader.empty() && config_.pdf_reader != "none") {
    limits.pdf_reader = {config_.pdf_reader, "pdf-text"};
    limits.max_pdf_memory_bytes = static_cast<uint64_t>(config_.pdf_memory_bytes);
  }
  if (media != "application/pdf") {
    Submission submission;
    if (ReadSubmission(ctx, media, limits, &submission)) then(std::move(submission));
    return;
  }
  std::shared_ptr<Context> c = ctx.self.lock();
  auto task = [c, limits, media, then = std::move(then)]() {
    Submission submission;
    try {
      if (ReadSubmission(*c, media, limits, &submission)) then(std::move(submission));
    } catch (const std::exception& e) {
      c->Fail(Status::Internal(e.what()));
    }
  };
  if (!pdf_pool_->TrySubmit(std::move(task))) {
    ctx.RetryLater(503, "overloaded", "The service is at capacity",
                   "too many PDF uploads being read; retry later", 5);
  }
}

void NoveltyService::RunStage(Context& ctx, bool claims) {
  if (shutting_down_) return ctx.Fail(Status::FailedPrecondition("the service is shutting down"));
  std::string media = UploadMediaType(ctx);
  if (media.empty()) return;
  auto top_k = IntParam(ctx.req, "top_k", config_.top_k, 1, 1000);
  if (!top_k.ok()) return ctx.Fail(top_k.status());
  WithSubmission(ctx, media, [this, claims, k = *top_k, c = ctx.self.lock()](Submission submission) {
    RunStageOn(*c, claims, k, std::move(submission));
  });
}

void NoveltyService::RunStageOn(Context& ctx, bool claims, int top_k, Submission submission) {
  std::shared_ptr<Context> c = ctx.self.lock();
  auto task = [this, c, claims, s = std::move(submission), k = top_k]() {
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
    ctx.RetryLater(503, "overloaded", "The service is at capacity",
                   "too many synchronous stage requests; retry later", 5);
  }
}

}  // namespace novelta
