// JobStore: assessment jobs in SQLite (WAL, synchronous=FULL) under the state
// directory, so an accepted job survives a crash or kill -9: on open, jobs that
// were running are put back in the queue and run again. A job's result is
// recorded at most once: finishing is conditional on the attempt that claimed
// the job still owning it.
//
// Thread-safety: all methods may be called concurrently (one connection,
// serialised by a mutex).
#ifndef NOVELTA_SERVICES_JOB_STORE_H_
#define NOVELTA_SERVICES_JOB_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "novelta/status.h"

struct sqlite3;

namespace novelta {

enum class JobStatus { kQueued, kRunning, kDone, kFailed };
const char* JobStatusName(JobStatus s);  // "queued", "running", "done", "failed"
StatusOr<JobStatus> ParseJobStatus(std::string_view name);

struct NewJob {
  std::string owner;            // API key name that submitted it ("" without keys)
  std::string idempotency_key;  // "" when none
  std::string request_hash;     // hash of what was submitted, for idempotency checks
  std::string submission_json;  // the Submission as JSON
  int top_k = 20;
  std::string cutoff;           // Date::ToString(), "" when unknown
};

struct JobRecord {
  std::string id;
  int64_t seq = 0;  // insertion order; cursors are built from it
  JobStatus status = JobStatus::kQueued;
  std::string owner;
  std::string idempotency_key;
  std::string request_hash;
  std::string submission_json;  // empty in List results
  int top_k = 20;
  std::string cutoff;
  std::string report_json;      // set when done; empty in List results
  std::string error;            // set when failed
  int attempts = 0;             // times a worker claimed it
  int64_t created_us = 0, started_us = 0, finished_us = 0;  // wall clock, 0 = not yet
};

struct InsertedJob {
  std::string id;
  bool replayed = false;  // an earlier job with the same idempotency key and request
};

class JobStore {
 public:
  // Opens (creating if needed) `<state_dir>/novelta.db` and re-queues jobs
  // left running by a previous process. A state directory or database that
  // cannot be written is FailedPrecondition naming the directory.
  //
  // Errors of every method: a full disk is ResourceExhausted ("storage full",
  // naming the database), nothing is half-written and the store stays usable
  // once space is freed; other database failures are IOError.
  static StatusOr<std::unique_ptr<JobStore>> Open(const std::string& state_dir);
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // Inserts all jobs or none. A job whose (owner, idempotency key) exists
  // already is not inserted: with the same request hash the existing id is
  // returned (replayed), with a different one the call fails with
  // AlreadyExists. Fails with ResourceExhausted when the new jobs would take
  // the queue past `max_queued`.
  StatusOr<std::vector<InsertedJob>> Insert(const std::vector<NewJob>& jobs, int64_t max_queued);

  // NotFound when no such job.
  StatusOr<JobRecord> Get(const std::string& id);
  // Newest first, jobs with seq < `before_seq` (0 = from the newest), at most
  // `limit`; filtered by owner and status when given. Omits submission and report.
  StatusOr<std::vector<JobRecord>> List(const std::optional<std::string>& owner,
                                        const std::optional<JobStatus>& status, int64_t before_seq,
                                        int limit);
  // Removes a job in any state. NotFound when no such job.
  Status Delete(const std::string& id);

  // Marks the oldest queued job running (attempts + 1) and returns it, or
  // nullopt when the queue is empty.
  StatusOr<std::optional<JobRecord>> ClaimNext();
  // Records the outcome of attempt `attempt`. OK but without effect when the
  // job was deleted or re-queued meanwhile.
  Status Finish(const std::string& id, int attempt, const std::string& report_json);
  Status Fail(const std::string& id, int attempt, const std::string& error);
  // Puts a running job back in the queue (shutdown before it finished).
  Status Requeue(const std::string& id, int attempt);

  // Jobs per status ("queued" -> 3, ...), every status present.
  StatusOr<std::map<std::string, int64_t>> CountByStatus();
  int64_t queued() const;  // cached count of queued jobs
  // Queued jobs that run before the job with insertion order `seq`.
  StatusOr<int64_t> QueuedAhead(int64_t seq);

 private:
  JobStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Runs `sql`; a failure names `what` and the database file.
  Status Exec(const char* sql, const char* what);
  // COMMIT, rolling back when it fails.
  Status CommitLocked();
  Status RefreshQueuedLocked();

  mutable std::mutex mu_;
  sqlite3* db_;
  const std::string path_;  // <state_dir>/novelta.db
  int64_t queued_ = 0;
};

// Lower-case hex of `bytes` cryptographically random bytes.
std::string RandomHex(size_t bytes);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_JOB_STORE_H_
