// NoveltyService's operational routes: liveness, readiness, Prometheus
// metrics and the OpenAPI document. They answer at once, never behind
// pipeline work, so probes and scrapes see the process as it is.
#include <spdlog/spdlog.h>

#include "services/service_context.h"

namespace novelta {

void NoveltyService::Healthz(Context& ctx) { ctx.Json(200, {{"status", "ok"}}); }

void NoveltyService::Readyz(Context& ctx) {
  if (!ready()) {
    HttpResponse r = MakeProblem(503, "unavailable", "The service is not ready",
                                 shutting_down_ ? "shutting down" : "the index is not loaded", ctx.request_id);
    r.headers["Retry-After"] = "5";
    ctx.Reply(std::move(r));
    return;
  }
  // The database answers: a replica that lost it is taken out of the load
  // balancer's rotation until it is back (the pool reconnects by itself).
  auto queued = store_->CountQueued();
  if (!queued.ok()) {
    spdlog::warn("not ready: {}", queued.status().ToString());
    HttpResponse r = MakeProblem(503, "unavailable", "The service is not ready", "the job database is unavailable",
                                 ctx.request_id);
    r.headers["Retry-After"] = "5";
    ctx.Reply(std::move(r));
    return;
  }
  IndexSummary idx = assessor_->index_summary();
  ctx.Json(200, {{"status", "ready"},
                 {"index", {{"index_id", idx.index_id}, {"papers", idx.n_papers}, {"built_at", idx.built_at}}},
                 {"queued", *queued},
                 {"replica", store_->replica_id()}});
}

void NoveltyService::Metrics(Context& ctx) {
  auto queued = store_->CountQueued();
  if (queued.ok()) metrics_->SetQueueDepth(*queued);
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

}  // namespace novelta
