// JobStore: the queue of assessment jobs, shared by every replica that opens
// the same state: a directory (SQLite, WAL, synchronous=FULL) or a PostgreSQL
// database. An accepted job survives a crash or kill -9 of any replica.
//
// Leases: a replica claims a job with a lease of `lease_seconds` and renews
// the leases of the jobs it runs (RenewLeases, every third of the lease). A
// replica that dies stops renewing; once its lease has run out, any replica
// claims the job again. On SQLite, processes sharing the directory also take
// over within a second the jobs of a process on this machine that died (each
// holds a lock file while it lives). An outcome is recorded at most
// once: Finish and Fail only take effect for the attempt that holds the job.
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_STATE_JOB_STORE_H_
#define NOVELTA_SERVICES_STATE_JOB_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"
#include "services/state/state_location.h"

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
  int attempts = 0;             // times a replica claimed it
  int64_t created_us = 0, started_us = 0, finished_us = 0;  // wall clock, 0 = not yet
  std::string lease_owner;      // the replica running it, "" when not running
  int64_t lease_expires_us = 0;
};

struct InsertedJob {
  std::string id;
  bool replayed = false;  // an earlier job with the same idempotency key and request
};

struct JobStoreOptions {
  // How long a claimed job stays with its replica without a renewal. Default 30.
  double lease_seconds = 30;
  // This replica's name in leases. Default "": a random one per process.
  std::string replica_id;
  // PostgreSQL: connections this replica keeps open at most. Default 8.
  int pg_connections = 8;
};

class JobStore {
 public:
  // Errors of every method: a full disk is ResourceExhausted ("storage full",
  // nothing half-written); a database that cannot be reached is
  // FailedPrecondition ("database unavailable"); both answer 503. Other
  // failures are IOError.
  virtual ~JobStore() = default;

  // Inserts all jobs or none. A job whose (owner, idempotency key) exists
  // already is not inserted: with the same request hash the existing id is
  // returned (replayed), with a different one the call fails with
  // AlreadyExists; this holds across replicas. Fails with ResourceExhausted
  // when the new jobs would take the queue past `max_queued` (on PostgreSQL,
  // replicas inserting at the same instant may together pass it by their
  // batch sizes).
  virtual StatusOr<std::vector<InsertedJob>> Insert(const std::vector<NewJob>& jobs, int64_t max_queued) = 0;

  // NotFound when no such job.
  virtual StatusOr<JobRecord> Get(const std::string& id) = 0;
  // Newest first, jobs with seq < `before_seq` (0 = from the newest), at most
  // `limit`; filtered by owner and status when given. Omits submission and report.
  virtual StatusOr<std::vector<JobRecord>> List(const std::optional<std::string>& owner,
                                                const std::optional<JobStatus>& status, int64_t before_seq,
                                                int limit) = 0;
  // Removes a job in any state. NotFound when no such job.
  virtual Status Delete(const std::string& id) = 0;
  // Of `ids`, those that are done, failed or gone.
  virtual StatusOr<std::vector<std::string>> Settled(const std::vector<std::string>& ids) = 0;

  // Takes the oldest job that is queued or whose lease ran out, marks it
  // running under this replica's lease (attempts + 1) and returns it; nullopt
  // when there is none. Replicas claiming together never get the same job.
  virtual StatusOr<std::optional<JobRecord>> ClaimNext() = 0;
  // Extends the lease of every job this replica holds. Returns how many.
  virtual StatusOr<int64_t> RenewLeases() = 0;
  // Records the outcome of attempt `attempt`. OK but without effect when the
  // job was deleted, re-queued or claimed again meanwhile.
  virtual Status Finish(const std::string& id, int attempt, const std::string& report_json) = 0;
  virtual Status Fail(const std::string& id, int attempt, const std::string& error) = 0;
  // Puts a running job back in the queue (shutdown before it finished).
  virtual Status Requeue(const std::string& id, int attempt) = 0;

  // Jobs per status ("queued" -> 3, ...), every status present.
  virtual StatusOr<std::map<std::string, int64_t>> CountByStatus() = 0;
  virtual StatusOr<int64_t> CountQueued() = 0;
  // Queued jobs that run before the job with insertion order `seq`.
  virtual StatusOr<int64_t> QueuedAhead(int64_t seq) = 0;

  // OK when the database answers now (readiness).
  virtual Status Ping() = 0;
  virtual const std::string& replica_id() const = 0;
  // "SQLite DIR/novelta.db" or "PostgreSQL URI" (password masked), for logs.
  virtual std::string Describe() const = 0;
};

// Opens the job store at `location`, creating the database (SQLite) and
// applying schema migrations (both; several replicas may start together).
// A directory or database that cannot be written is FailedPrecondition
// naming it; a PostgreSQL server that cannot be reached also.
StatusOr<std::unique_ptr<JobStore>> OpenJobStore(const StateLocation& location,
                                                 const JobStoreOptions& options = {});

// Lower-case hex of `bytes` cryptographically random bytes.
std::string RandomHex(size_t bytes);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_JOB_STORE_H_
