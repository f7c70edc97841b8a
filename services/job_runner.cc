#include "services/job_runner.h"

#include <omp.h>
#include <spdlog/spdlog.h>

#include "base/json.h"

#include <condition_variable>
#include <map>
#include <mutex>

namespace novelta {

struct JobRunner::State {
  std::shared_ptr<JobStore> store;
  std::shared_ptr<const Assessor> assessor;
  std::shared_ptr<ServiceMetrics> metrics;
  int n_workers = 1;
  FinishedCallback on_finished;
  std::chrono::milliseconds renew_every{10000};

  std::mutex mu;
  std::condition_variable work_cv;  // wakes workers
  std::condition_variable renew_cv;  // wakes the renewer at Stop
  std::condition_variable idle_cv;  // wakes Stop when a job ends
  bool started = false;
  bool stopping = false;
  bool abandoned = false;
  uint64_t wakeups = 0;
  int in_callback = 0;  // workers inside on_finished; Stop waits for them
  int requeued_by_workers = 0;  // jobs claimed just as Stop began, given back by their worker
  std::map<std::string, int> running;  // job id -> attempt
};

JobRunner::JobRunner(std::shared_ptr<JobStore> store, std::shared_ptr<const Assessor> assessor,
                     std::shared_ptr<ServiceMetrics> metrics, int workers, FinishedCallback on_finished,
                     std::chrono::milliseconds renew_every)
    : state_(std::make_shared<State>()) {
  state_->renew_every = renew_every;
  state_->store = std::move(store);
  state_->assessor = std::move(assessor);
  state_->metrics = std::move(metrics);
  state_->n_workers = workers;
  state_->on_finished = std::move(on_finished);
}

JobRunner::~JobRunner() { Stop(std::chrono::milliseconds(0)); }

void JobRunner::Start() {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->started || state_->stopping) return;
  state_->started = true;
  for (int i = 0; i < state_->n_workers; ++i) threads_.emplace_back(&JobRunner::Work, state_);
  threads_.emplace_back(&JobRunner::Renew, state_);
}

void JobRunner::Renew(std::shared_ptr<State> st) {
  std::unique_lock<std::mutex> lock(st->mu);
  while (!st->stopping) {
    st->renew_cv.wait_for(lock, st->renew_every, [&] { return st->stopping; });
    if (st->stopping || st->running.empty()) continue;
    lock.unlock();
    auto renewed = st->store->RenewLeases();
    if (!renewed.ok()) spdlog::error("job runner: {}", renewed.status().ToString());
    lock.lock();
  }
}

void JobRunner::Notify() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    ++state_->wakeups;
  }
  state_->work_cv.notify_one();
}

int JobRunner::running() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return static_cast<int>(state_->running.size());
}

int JobRunner::Stop(std::chrono::milliseconds grace) {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->stopping = true;
  state_->work_cv.notify_all();
  state_->renew_cv.notify_all();
  state_->idle_cv.wait_for(lock, grace, [this] { return state_->running.empty(); });
  int requeued = 0;
  if (!state_->running.empty()) {
    // An assessment cannot be interrupted: give its job back to the queue so
    // the next start runs it, and make sure this worker records nothing.
    state_->abandoned = true;
    for (const auto& [id, attempt] : state_->running) {
      Status s = state_->store->Requeue(id, attempt);
      if (s.ok()) ++requeued;
      else spdlog::error("could not re-queue job {}: {}", id, s.ToString());
    }
    state_->running.clear();
  }
  // Callbacks reach back into the owner: let them end before it goes away.
  state_->idle_cv.wait(lock, [this] { return state_->in_callback == 0; });
  bool abandon = state_->abandoned;
  std::vector<std::thread> threads = std::move(threads_);
  lock.unlock();
  for (auto& t : threads) {
    if (abandon) t.detach();
    else t.join();
  }
  // Workers that claimed a job just as Stop began gave it back themselves;
  // once they are joined, that count is final.
  lock.lock();
  return requeued + state_->requeued_by_workers;
}

void JobRunner::Work(std::shared_ptr<State> st) {
  omp_set_num_threads(1);  // one core per query; parallelism comes from the workers
  uint64_t seen_wakeups = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(st->mu);
      if (st->stopping) return;
    }
    auto claimed = st->store->ClaimNext();
    if (!claimed.ok()) {
      spdlog::error("job runner: {}", claimed.status().ToString());
      std::unique_lock<std::mutex> lock(st->mu);
      st->work_cv.wait_for(lock, std::chrono::seconds(1), [&] { return st->stopping; });
      continue;
    }
    if (!claimed->has_value()) {
      // Wait for Notify(); the periodic wake-up is a safety net.
      std::unique_lock<std::mutex> lock(st->mu);
      st->work_cv.wait_for(lock, std::chrono::milliseconds(500),
                           [&] { return st->stopping || st->wakeups != seen_wakeups; });
      seen_wakeups = st->wakeups;
      continue;
    }
    JobRecord job = std::move(**claimed);
    {
      std::lock_guard<std::mutex> lock(st->mu);
      if (st->stopping) {
        Status s = st->store->Requeue(job.id, job.attempts);
        if (s.ok()) ++st->requeued_by_workers;
        else spdlog::error("could not re-queue job {}: {}", job.id, s.ToString());
        return;
      }
      st->running[job.id] = job.attempts;
    }
    auto queued = st->store->CountQueued();
    if (queued.ok()) st->metrics->SetQueueDepth(*queued);

    Status outcome;
    NoveltyReport report;
    std::string report_json;
    auto parsed = ParseJson(job.submission_json, "stored submission " + job.id);
    StatusOr<Submission> submission =
        parsed.ok() ? SubmissionFromJson(*parsed, "stored submission " + job.id) : parsed.status();
    if (!submission.ok()) {
      outcome = submission.status();
    } else {
      AssessParams params;
      params.top_k = job.top_k;
      if (!job.cutoff.empty()) {
        auto cutoff = Date::Parse(job.cutoff);
        if (cutoff.ok()) params.cutoff = *cutoff;
      }
      StatusOr<NoveltyReport> result = Status::Internal("assessment did not run");
      try {
        result = st->assessor->Assess(*submission, params);
      } catch (const std::exception& e) {
        result = Status::Internal(std::string("assessment threw: ") + e.what());
      }
      if (result.ok()) {
        report = std::move(*result);
        report_json = DumpJson(ToJson(report));
      } else {
        outcome = result.status();
      }
    }

    Status write;
    for (int tries = 1;; ++tries) {
      std::unique_lock<std::mutex> lock(st->mu);
      if (st->abandoned) return;  // shutdown gave the job back to the queue
      write = outcome.ok() ? st->store->Finish(job.id, job.attempts, report_json)
                           : st->store->Fail(job.id, job.attempts, outcome.ToString());
      // Storage full: keep the outcome and try again every second, so it is
      // recorded as soon as space is freed instead of waiting for a restart
      // to re-run the job. Stop ends the wait (the job is then re-queued).
      if (write.ok() || write.code() != Status::Code::kResourceExhausted || st->stopping) {
        st->running.erase(job.id);
        if (write.ok() && st->on_finished) ++st->in_callback;
        break;
      }
      if (tries == 1)
        spdlog::error("job {}: could not record the outcome, retrying every second: {}", job.id,
                      write.ToString());
      st->work_cv.wait_for(lock, std::chrono::seconds(1), [&] { return st->stopping; });
    }
    st->idle_cv.notify_all();
    if (!write.ok()) {
      // The job stays "running" in the store; the next start re-queues it.
      spdlog::error("job {}: could not record the outcome: {}", job.id, write.ToString());
      continue;
    }
    st->metrics->ObserveJobOutcome(outcome.ok());
    if (outcome.ok()) st->metrics->ObserveStages(report.timing_ms);
    else spdlog::warn("job {} failed: {}", job.id, outcome.ToString());
    if (st->on_finished) {
      st->on_finished(job.id);
      {
        std::lock_guard<std::mutex> lock(st->mu);
        --st->in_callback;
      }
      st->idle_cv.notify_all();
    }
  }
}

}  // namespace novelta
