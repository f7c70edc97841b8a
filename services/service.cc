// NoveltyService's lifecycle and dispatch: opening the stores and starting
// the workers, shutting down, taking a request from its route through
// authentication, authorisation and rate limiting to its handler, and
// answering requests that wait for a job (?wait=SECONDS) without holding a
// thread. The route table is in service_routes.cc, request reading in
// service_request.cc, the handlers in one file per resource.
#include "services/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/text.h"
#include "services/service_context.h"
#include "services/service_request.h"

namespace novelta {

using Clock = std::chrono::steady_clock;
using service_internal::Access;
using service_internal::FindRoute;
using service_internal::PresentedKey;
using service_internal::Route;
using service_internal::ValidRequestId;

namespace {

// Finds the request's route; else answers 404 for an unknown path, 405 for a
// known path with another method, and returns false.
// The methods of HTTP/1.1 (RFC 9110, and PATCH); anything else is not a
// method this service implements on any route.
bool IsHttpMethod(const std::string& m) {
  static const char* const kMethods[] = {"GET",     "HEAD",  "POST",  "PUT",  "DELETE",
                                         "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (const char* k : kMethods)
    if (m == k) return true;
  return false;
}

bool FindRouteOf(NoveltyService::Context& ctx) {
  if (!IsHttpMethod(ctx.req.method)) {
    ctx.Problem(501, "not-implemented", "Method not implemented",
                "the method is not one of HTTP's; this service answers GET, POST and DELETE");
    return false;
  }
  std::string allowed;
  ctx.route = FindRoute(ctx.req.method, ctx.req.path, &ctx.params, &allowed);
  if (ctx.route) return true;
  if (!allowed.empty()) {
    HttpResponse r = MakeProblem(405, "method-not-allowed", "Method not allowed",
                                 ctx.req.method + " is not allowed on " + ctx.req.path + "; allowed: " + allowed,
                                 ctx.request_id);
    r.headers["Allow"] = allowed;
    ctx.Reply(std::move(r));
  } else {
    ctx.Problem(404, "not-found", "Not found", "no route for " + ctx.req.path);
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------
// Lifecycle

NoveltyService::NoveltyService(const ServiceConfig& config, std::shared_ptr<const Assessor> assessor)
    : config_(config),
      assessor_(std::move(assessor)),
      metrics_(std::make_shared<ServiceMetrics>()),
      limiter_(config.rate_limit_per_second, config.rate_limit_burst),
      auth_failures_(config.auth_failures_per_second, config.auth_failure_burst) {}

StatusOr<std::unique_ptr<NoveltyService>> NoveltyService::Open(const ServiceConfig& config,
                                                               std::shared_ptr<const Assessor> assessor) {
  NOVELTA_RETURN_IF_ERROR(config.Validate());
  if (!assessor) return Status::InvalidArgument("service: no assessor");
  NOVELTA_ASSIGN_OR_RETURN(StateLocation state, ParseStateLocation(config.state_dir));
  if (state.kind == StateLocation::Kind::kDirectory) {
    NOVELTA_RETURN_IF_ERROR(Env::Default()->CreateDirs(config.state_dir));
  }
  std::unique_ptr<NoveltyService> s(new NoveltyService(config, std::move(assessor)));
  JobStoreOptions store_options;
  store_options.lease_seconds = config.lease_seconds;
  store_options.pg_connections = config.db_connections;
  NOVELTA_ASSIGN_OR_RETURN(s->store_, OpenJobStore(state, store_options));
  NOVELTA_ASSIGN_OR_RETURN(s->keys_, KeyStore::Open(state, config.key_cache_seconds));
  // Per-key limits hold across replicas on PostgreSQL; on a directory they are per process.
  NOVELTA_ASSIGN_OR_RETURN(auto shared_limits, OpenRateLimitTable(state));
  s->limiter_.ShareThrough(std::move(shared_limits));
  spdlog::info("state: {} (replica {}, lease {} s)", s->store_->Describe(), s->store_->replica_id(),
               config.lease_seconds);
  if (!config.bootstrap_api_key.empty()) {
    NOVELTA_RETURN_IF_ERROR(s->keys_->Put("bootstrap", config.bootstrap_api_key, Scope::kAdmin));
  }
  s->metrics_->SetIndexPapers(static_cast<int64_t>(s->assessor_->index_summary().n_papers));
  s->stage_pool_ = std::make_unique<BoundedExecutor>(std::max(1, config.workers), config.http_queue);
  s->pdf_pool_ = std::make_unique<BoundedExecutor>(config.pdf_threads, config.pdf_queue);
  NoveltyService* self = s.get();
  s->runner_ = std::make_unique<JobRunner>(s->store_, s->assessor_, s->metrics_, config.workers,
                                           [self](const std::string& id) { self->OnJobFinished(id); },
                                           std::chrono::milliseconds(static_cast<int64_t>(config.lease_seconds * 1000 / 3)));
  s->waiter_thread_ = std::thread([self] { self->WaiterLoop(); });
  s->runner_->Start();
  auto queued = s->store_->CountQueued();
  if (queued.ok() && *queued > 0) spdlog::info("resuming {} queued assessment job(s)", *queued);
  return s;
}

NoveltyService::~NoveltyService() { Shutdown(std::chrono::milliseconds(0)); }

bool NoveltyService::ready() const { return !shutting_down_.load() && assessor_ != nullptr; }

int NoveltyService::Shutdown(std::chrono::milliseconds grace) {
  shutting_down_ = true;
  int requeued = 0;
  if (runner_) requeued = runner_->Stop(grace);
  if (pdf_pool_) pdf_pool_->Shutdown();
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
    r.headers["X-Frame-Options"] = "DENY";  // no answer of the service is to be framed
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::string route = raw->route ? raw->route->pattern : "unmatched";
    metrics_->ObserveRequest(raw->req.method, route, r.status, seconds);
    // Never the body, query values or the key: only what identifies the request.
    // Method and path as the client sent them, with control bytes escaped:
    // a decoded CR/LF cannot end the line and forge another.
    spdlog::info("access {} \"{} {}\" {} {}B {:.1f}ms rid={} key={}", raw->req.remote.empty() ? "-" : raw->req.remote,
                 LogSafe(raw->req.method, 32), LogSafe(raw->req.path), r.status, r.body.size(), seconds * 1000.0,
                 raw->request_id, raw->key.name.empty() ? "-" : raw->key.name);
    reply(std::move(r));
  };

  if (!FindRouteOf(*ctx)) return;
  if (!Admit(*ctx)) return;

  // A handler that answers later holds ctx->self.lock() until it does.
  try {
    (this->*ctx->route->handler)(*ctx);
  } catch (const std::exception& e) {
    spdlog::error("request {}: handler threw: {}", ctx->request_id, e.what());
    ctx->Fail(Status::Internal(e.what()));
  }
}

bool NoveltyService::Admit(Context& ctx) {
  const Route& route = *ctx.route;
  if (route.access != Access::kPublic && config_.require_api_keys) {
    std::string key = PresentedKey(ctx.req);
    if (key.empty()) {
      HttpResponse r = MakeProblem(401, "unauthenticated", "Authentication required",
                                   "send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                                   ctx.request_id);
      r.headers["WWW-Authenticate"] = "Bearer realm=\"novelta\"";
      ctx.Reply(std::move(r));
      return false;
    }
    // An address that failed too often waits before any key of it is checked.
    const std::string address = ctx.req.remote.empty() ? "-" : ctx.req.remote;
    RateLimiter::Decision failures = auth_failures_.Peek(address);
    if (!failures.allowed) {
      ctx.RetryLater(429, "rate-limited", "Too many requests",
                     "too many failed authentications from this address; retry in " +
                         std::to_string(failures.retry_after) + " s",
                     failures.retry_after);
      return false;
    }
    auto info = keys_->Verify(key);
    if (!info.ok() && info.status().code() == Status::Code::kUnauthenticated) auth_failures_.Take(address);
    if (!info.ok()) {
      HttpResponse r = info.status().code() == Status::Code::kUnauthenticated
                           ? MakeProblem(401, "unauthenticated", "Authentication required",
                                         info.status().message(), ctx.request_id)
                           : ProblemFromStatus(info.status(), ctx.request_id);
      if (r.status == 401) r.headers["WWW-Authenticate"] = "Bearer realm=\"novelta\", error=\"invalid_token\"";
      ctx.Reply(std::move(r));
      return false;
    }
    ctx.key = *info;
    Scope needed = route.access == Access::kRead ? Scope::kRead : Scope::kWrite;
    if (static_cast<int>(ctx.key.scope) < static_cast<int>(needed)) {
      ctx.Problem(403, "forbidden", "Forbidden",
                  std::string("the key '") + ctx.key.name + "' has scope '" + ScopeName(ctx.key.scope) + "'; " +
                      route.method + " " + route.pattern + " needs '" + ScopeName(needed) + "'");
      return false;
    }
    RateLimiter::Decision d = limiter_.Take(ctx.key.name);
    ctx.extra_headers["RateLimit-Limit"] = std::to_string(d.limit);
    ctx.extra_headers["RateLimit-Remaining"] = std::to_string(d.remaining);
    ctx.extra_headers["RateLimit-Reset"] = std::to_string(d.reset_seconds);
    if (!d.allowed) {
      ctx.RetryLater(429, "rate-limited", "Too many requests",
                     "the key '" + ctx.key.name + "' is over its rate limit; retry in " +
                         std::to_string(d.retry_after) + " s",
                     d.retry_after);
      return false;
    }
  } else if (route.access == Access::kWrite || route.access == Access::kRead) {
    ctx.key.scope = Scope::kAdmin;  // keys disabled: local use, full access
  }
  return true;
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
  // A job may finish on another replica sharing the state: waiters look it
  // up in the store this often.
  constexpr auto kPoll = std::chrono::milliseconds(500);
  std::unique_lock<std::mutex> lock(waiters_mu_);
  Clock::time_point next_poll = Clock::now() + kPoll;
  while (!waiters_stop_) {
    auto now = Clock::now();
    Clock::time_point next = std::min(now + std::chrono::seconds(1), next_poll);
    std::vector<std::function<void()>> due;
    std::vector<std::string> ids;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.deadline <= now) {
        due.push_back(std::move(it->second.fire));
        it = waiters_.erase(it);
      } else {
        next = std::min(next, it->second.deadline);
        ids.push_back(it->second.job_id);
        ++it;
      }
    }
    if (!due.empty()) {
      lock.unlock();
      for (auto& f : due) f();
      lock.lock();
      continue;
    }
    if (now >= next_poll) {
      next_poll = now + kPoll;
      if (!ids.empty()) {
        lock.unlock();
        auto settled = store_->Settled(ids);
        if (settled.ok()) {
          for (const std::string& id : *settled) OnJobFinished(id);
        }
        lock.lock();
        continue;
      }
    }
    waiters_cv_.wait_until(lock, next);
  }
}

}  // namespace novelta
