// JobRunner: the worker pool that runs queued assessment jobs from the
// JobStore through the Assessor, one job per worker at a time, renews the
// leases of the jobs it runs, and records each outcome once.
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_JOB_RUNNER_H_
#define NOVELTA_SERVICES_JOB_RUNNER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "novelta/assessor.h"
#include "services/state/job_store.h"
#include "services/metrics.h"

namespace novelta {

class JobRunner {
 public:
  // Called after a job finished or failed, with its id (on a worker thread).
  using FinishedCallback = std::function<void(const std::string& id)>;

  // While jobs run, their leases are renewed every `renew_every` (a third of
  // the store's lease).
  JobRunner(std::shared_ptr<JobStore> store, std::shared_ptr<const Assessor> assessor,
            std::shared_ptr<ServiceMetrics> metrics, int workers, FinishedCallback on_finished,
            std::chrono::milliseconds renew_every = std::chrono::seconds(10));
  ~JobRunner();  // Stop(no grace)
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void Start();
  // Wakes a worker: new jobs were queued.
  void Notify();
  // Stops taking jobs and waits up to `grace` for running ones to finish.
  // Jobs still running then are put back in the queue (the next start runs
  // them again) and their workers are left to end on their own; they record
  // nothing and call no callback. Returns the number of jobs re-queued.
  int Stop(std::chrono::milliseconds grace);
  // Jobs being assessed now, or holding an outcome the store could not yet
  // record: on a full disk a worker keeps the outcome and retries every
  // second until it is recorded (or Stop is called), so freeing space lets it
  // land without running the job again.
  int running() const;

 private:
  struct State;  // shared with the workers, so an abandoned worker stays memory-safe
  static void Work(std::shared_ptr<State> state);
  // Renews the leases of running jobs until Stop.
  static void Renew(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
  std::vector<std::thread> threads_;  // the workers, then the renewer
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_JOB_RUNNER_H_
