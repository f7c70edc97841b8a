// NoveltyService: the REST API of novelta over our own HttpRequest /
// HttpResponse (see http_types.h), independent of any HTTP library.
//
// All routes live in one table (see service_routes.cc; GET /openapi.json
// documents them): assessments are queued as jobs in the JobStore and run by the
// JobRunner's workers; POST /v1/claims and /v1/related run one stage at once
// on a small pool of their own; health, readiness and metrics are answered
// without waiting behind pipeline work. Every error is a problem+json body.
//
// Thread-safety: Handle may be called concurrently from any number of threads.
#ifndef NOVELTA_SERVICES_SERVICE_H_
#define NOVELTA_SERVICES_SERVICE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/env.h"
#include "base/json.h"
#include "novelta/assessor.h"
#include "services/api_keys.h"
#include "services/config.h"
#include "services/executor.h"
#include "services/http_types.h"
#include "services/job_runner.h"
#include "services/state/job_store.h"
#include "services/metrics.h"

namespace novelta {

class NoveltyService {
 public:
  // Opens the job store and keys at config.state_dir (a directory, created
  // if needed, or a PostgreSQL URI), registers the bootstrap key if
  // configured, and starts the workers. Several services may share one
  // state: they share its queue, and each runs the jobs of one that died
  // once their leases run out (JobStore).
  static StatusOr<std::unique_ptr<NoveltyService>> Open(const ServiceConfig& config,
                                                        std::shared_ptr<const Assessor> assessor);
  ~NoveltyService();  // Shutdown(no grace)
  NoveltyService(const NoveltyService&) = delete;
  NoveltyService& operator=(const NoveltyService&) = delete;

  // Answers one request through `reply`, exactly once, possibly later and on
  // another thread (?wait=SECONDS answers when the job finishes).
  void Handle(HttpRequest request, HttpReply reply);

  // Readiness turns false and new submissions are refused; then running jobs
  // get up to `grace` to finish (the rest go back to the queue) and requests
  // waiting on jobs are answered. Returns the number of jobs re-queued.
  int Shutdown(std::chrono::milliseconds grace);
  bool ready() const;

  const ServiceConfig& config() const { return config_; }
  KeyStore* keys() { return keys_.get(); }
  JobStore* jobs() { return store_.get(); }

  // The OpenAPI 3 document of every route.
  static Json OpenApiDocument();

  struct Context;  // one request being handled (service_context.h)
  using Handler = void (NoveltyService::*)(Context& ctx);

 private:
  friend struct ServiceRoutes;  // the route table (service_routes.cc)
  NoveltyService(const ServiceConfig& config, std::shared_ptr<const Assessor> assessor);

  // Authenticates, authorises and rate-limits the request for its route;
  // false after answering 401, 403, 429 or the key store's error.
  bool Admit(Context& ctx);

  // Handlers, one per route (service_operations.cc, service_assessments.cc,
  // service_stages.cc).
  void Healthz(Context& ctx);
  void Readyz(Context& ctx);
  void Metrics(Context& ctx);
  void OpenApi(Context& ctx);
  void CreateAssessment(Context& ctx);
  void CreateBatch(Context& ctx);
  void ListAssessments(Context& ctx);
  void GetAssessment(Context& ctx);
  void DeleteAssessment(Context& ctx);
  void GetReportHtml(Context& ctx);
  void GetReportMarkdown(Context& ctx);
  // Either page of a finished job: 409 while it runs, 404 for ids the caller cannot see.
  void ServeReportPage(Context& ctx, const char* content_type,
                       std::string (*render)(const NoveltyReport&));
  void ExtractClaims(Context& ctx);
  void FindRelated(Context& ctx);

  StatusOr<JobRecord> GetOwnedJob(Context& ctx);
  Json JobToJson(const JobRecord& job, bool with_report) const;
  void RunStage(Context& ctx, bool claims);
  void RunStageOn(Context& ctx, bool claims, int top_k, Submission submission);
  // CreateAssessment once its submission is read: the job queued, the answer sent.
  void QueueAssessment(Context& ctx, const std::string& media, int wait, int top_k, const Submission& submission);
  // Reads the request's submission, then calls `then` with it; a PDF is read
  // on the PDF pool (service_stages.cc), a full pool answering 503. Errors
  // are answered here and `then` is not called.
  void WithSubmission(Context& ctx, const std::string& media, std::function<void(Submission)> then);
  // Answers `reply` with the job's state once it is done or failed, or at
  // `deadline` with whatever state it has then.
  void ReplyWhenFinished(const std::string& id, std::chrono::steady_clock::time_point deadline,
                         std::function<void()> on_ready);
  void OnJobFinished(const std::string& id);
  void WaiterLoop();

  ServiceConfig config_;
  std::shared_ptr<const Assessor> assessor_;
  std::shared_ptr<JobStore> store_;
  std::unique_ptr<KeyStore> keys_;
  std::shared_ptr<ServiceMetrics> metrics_;
  RateLimiter limiter_;
  RateLimiter auth_failures_;  // per client address
  std::unique_ptr<BoundedExecutor> stage_pool_;
  std::unique_ptr<BoundedExecutor> pdf_pool_;
  std::unique_ptr<JobRunner> runner_;
  std::atomic<bool> shutting_down_{false};

  // Requests waiting for a job (?wait). Each waiter runs once: on completion
  // of its job, at its deadline, or at shutdown, whichever comes first.
  struct Waiter {
    std::string job_id;
    std::chrono::steady_clock::time_point deadline;
    std::function<void()> fire;
  };
  std::mutex waiters_mu_;
  std::condition_variable waiters_cv_;
  uint64_t next_waiter_ = 0;
  std::map<uint64_t, Waiter> waiters_;
  bool waiters_stop_ = false;
  std::thread waiter_thread_;
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_SERVICE_H_
