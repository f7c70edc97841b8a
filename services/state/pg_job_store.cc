// JobStore on PostgreSQL, shared by every replica that opens the same
// database. Jobs are claimed with FOR UPDATE SKIP LOCKED, so replicas
// claiming together skip each other's rows instead of waiting on them.
#include <algorithm>

#include "services/state/backends.h"
#include "services/state/pg_conn.h"

namespace novelta {
namespace state_internal {
namespace {

constexpr const char* kColumns =
    "id, seq, status, owner, idempotency_key, request_hash, submission, top_k, cutoff, report, "
    "error, attempts, created_us, started_us, finished_us, lease_owner, lease_expires_us";
constexpr const char* kListColumns =
    "id, seq, status, owner, idempotency_key, request_hash, '', top_k, cutoff, '', "
    "error, attempts, created_us, started_us, finished_us, lease_owner, lease_expires_us";

JobRecord ReadRecord(const PgResult& r, int row) {
  JobRecord j;
  j.id = r.Text(row, 0);
  j.seq = r.Int(row, 1);
  auto status = ParseJobStatus(r.Text(row, 2));
  j.status = status.ok() ? *status : JobStatus::kFailed;
  j.owner = r.Text(row, 3);
  j.idempotency_key = r.Text(row, 4);
  j.request_hash = r.Text(row, 5);
  j.submission_json = r.Text(row, 6);
  j.top_k = static_cast<int>(r.Int(row, 7));
  j.cutoff = r.Text(row, 8);
  j.report_json = r.Text(row, 9);
  j.error = r.Text(row, 10);
  j.attempts = static_cast<int>(r.Int(row, 11));
  j.created_us = r.Int(row, 12);
  j.started_us = r.Int(row, 13);
  j.finished_us = r.Int(row, 14);
  j.lease_owner = r.Text(row, 15);
  j.lease_expires_us = r.Int(row, 16);
  return j;
}

std::string Str(int64_t v) { return std::to_string(v); }

class PgJobStore : public JobStore {
 public:
  PgJobStore(const StateLocation& location, const JobStoreOptions& options)
      : pool_(location, options.pg_connections, "job store"),
        replica_(options.replica_id.empty() ? RandomHex(8) : options.replica_id),
        lease_us_(static_cast<int64_t>(options.lease_seconds * 1e6)) {}

  PgPool* pool() { return &pool_; }

  StatusOr<std::vector<InsertedJob>> Insert(const std::vector<NewJob>& jobs, int64_t max_queued) override;
  StatusOr<JobRecord> Get(const std::string& id) override;
  StatusOr<std::vector<JobRecord>> List(const std::optional<std::string>& owner,
                                        const std::optional<JobStatus>& status, int64_t before_seq,
                                        int limit) override;
  Status Delete(const std::string& id) override;
  StatusOr<std::vector<std::string>> Settled(const std::vector<std::string>& ids) override;
  StatusOr<std::optional<JobRecord>> ClaimNext() override;
  StatusOr<int64_t> RenewLeases() override;
  Status Finish(const std::string& id, int attempt, const std::string& report_json) override {
    return Record(id, attempt, "done", "report", report_json, "finish");
  }
  Status Fail(const std::string& id, int attempt, const std::string& error) override {
    return Record(id, attempt, "failed", "error", error, "fail");
  }
  Status Requeue(const std::string& id, int attempt) override;
  StatusOr<std::map<std::string, int64_t>> CountByStatus() override;
  StatusOr<int64_t> CountQueued() override { return Count("SELECT COUNT(*) FROM jobs WHERE status='queued'", {}); }
  StatusOr<int64_t> QueuedAhead(int64_t seq) override {
    return Count("SELECT COUNT(*) FROM jobs WHERE status='queued' AND seq < $1::bigint", {Str(seq)});
  }
  Status Ping() override { return Count("SELECT 1", {}).status(); }
  const std::string& replica_id() const override { return replica_; }
  std::string Describe() const override { return "PostgreSQL " + pool_.location().Display(); }

 private:
  StatusOr<int64_t> Count(const char* sql, const std::vector<PgParam>& params);
  // Inserts one job inside Insert's transaction, or finds its replay.
  StatusOr<InsertedJob> InsertOne(PgPool::Conn& conn, const NewJob& job, int64_t max_queued, int64_t* room);
  // The claimable job `pick` selects (one seq, FOR UPDATE SKIP LOCKED), claimed.
  StatusOr<std::optional<JobRecord>> Claim(PgPool::Conn& conn, const char* pick, int64_t now);
  Status Record(const std::string& id, int attempt, const char* status, const char* column,
                const std::string& value, const char* what);

  PgPool pool_;
  const std::string replica_;
  const int64_t lease_us_;
};

StatusOr<int64_t> PgJobStore::Count(const char* sql, const std::vector<PgParam>& params) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec(sql, params, "count"));
  return r.rows() > 0 ? r.Int(0, 0) : 0;
}

StatusOr<InsertedJob> PgJobStore::InsertOne(PgPool::Conn& conn, const NewJob& job, int64_t max_queued,
                                            int64_t* room) {
  auto existing = [&]() -> StatusOr<std::optional<InsertedJob>> {
    NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("SELECT id, request_hash FROM jobs WHERE owner=$1 AND "
                                               "idempotency_key=$2",
                                               {job.owner, job.idempotency_key}, "idempotency lookup"));
    if (r.rows() == 0) return std::optional<InsertedJob>();
    if (r.Text(0, 1) != job.request_hash) {
      return Status::AlreadyExists("Idempotency-Key '" + job.idempotency_key +
                                   "' was already used with a different request");
    }
    return std::optional<InsertedJob>(InsertedJob{r.Text(0, 0), true});
  };
  if (!job.idempotency_key.empty()) {
    NOVELTA_ASSIGN_OR_RETURN(auto found, existing());
    if (found) return *found;
  }
  if (*room <= 0) {
    return Status::ResourceExhausted("the job queue is full (" + std::to_string(max_queued) + " queued); retry later");
  }
  std::string id = "asm_" + RandomHex(12);
  PgParam key = job.idempotency_key.empty() ? PgParam() : PgParam(job.idempotency_key);
  // A replica inserting the same idempotency key at the same time: the
  // unique index lets one row in; the other finds it as a replay.
  NOVELTA_ASSIGN_OR_RETURN(
      auto r, conn.Exec("INSERT INTO jobs(id, status, owner, idempotency_key, request_hash, submission, top_k, "
                        "cutoff, created_us) VALUES($1,'queued',$2,$3,$4,$5,$6::integer,$7,$8::bigint) "
                        "ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
                        "RETURNING id",
                        {id, job.owner, key, job.request_hash, job.submission_json, Str(job.top_k), job.cutoff,
                         Str(NowUs())},
                        "insert"));
  if (r.rows() == 1) {
    --*room;
    return InsertedJob{id, false};
  }
  NOVELTA_ASSIGN_OR_RETURN(auto found, existing());
  if (found) return *found;
  return Status::IOError("job store: insert: idempotency conflict on a job that is gone; retry");
}

StatusOr<std::vector<InsertedJob>> PgJobStore::Insert(const std::vector<NewJob>& jobs, int64_t max_queued) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  NOVELTA_RETURN_IF_ERROR(conn.Run("BEGIN", {}, "insert"));
  auto fail = [&](Status s) {
    (void)conn.Run("ROLLBACK", {}, "rollback");
    return s;
  };
  auto queued = conn.Exec("SELECT COUNT(*) FROM jobs WHERE status='queued'", {}, "count");
  if (!queued.ok()) return fail(queued.status());
  int64_t room = max_queued - queued->Int(0, 0);
  std::vector<InsertedJob> out;
  for (const auto& job : jobs) {
    auto one = InsertOne(conn, job, max_queued, &room);
    if (!one.ok()) return fail(one.status());
    out.push_back(*one);
  }
  Status s = conn.Run("COMMIT", {}, "commit");
  if (!s.ok()) return fail(s);
  return out;
}

StatusOr<JobRecord> PgJobStore::Get(const std::string& id) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::string sql = std::string("SELECT ") + kColumns + " FROM jobs WHERE id=$1";
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec(sql.c_str(), {id}, "get"));
  if (r.rows() == 0) return Status::NotFound("no assessment with id '" + id + "'");
  return ReadRecord(r, 0);
}

StatusOr<std::vector<JobRecord>> PgJobStore::List(const std::optional<std::string>& owner,
                                                  const std::optional<JobStatus>& status, int64_t before_seq,
                                                  int limit) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::string sql = std::string("SELECT ") + kListColumns +
                    " FROM jobs WHERE ($1::bigint = 0 OR seq < $1::bigint) AND ($2::text IS NULL OR owner = $2) "
                    "AND ($3::text IS NULL OR status = $3) ORDER BY seq DESC LIMIT $4::bigint";
  PgParam st = status ? PgParam(JobStatusName(*status)) : PgParam();
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec(sql.c_str(), {Str(before_seq), owner, st, Str(limit)}, "list"));
  std::vector<JobRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadRecord(r, i));
  return out;
}

Status PgJobStore::Delete(const std::string& id) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("DELETE FROM jobs WHERE id=$1", {id}, "delete"));
  if (r.affected() == 0) return Status::NotFound("no assessment with id '" + id + "'");
  return Status::OK();
}

StatusOr<std::vector<std::string>> PgJobStore::Settled(const std::vector<std::string>& ids) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("SELECT status FROM jobs WHERE id=$1", {id}, "settled"));
    if (r.rows() == 0 || r.Text(0, 0) == "done" || r.Text(0, 0) == "failed") out.push_back(id);
  }
  return out;
}

StatusOr<std::optional<JobRecord>> PgJobStore::Claim(PgPool::Conn& conn, const char* pick, int64_t now) {
  std::string sql = std::string("UPDATE jobs SET status='running', attempts=attempts+1, started_us=$1::bigint, "
                                "lease_owner=$2, lease_expires_us=$3::bigint WHERE seq = (") +
                    pick + ") RETURNING " + kColumns;
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec(sql.c_str(), {Str(now), replica_, Str(now + lease_us_)}, "claim"));
  if (r.rows() == 0) return std::optional<JobRecord>();
  return std::optional<JobRecord>(ReadRecord(r, 0));
}

StatusOr<std::optional<JobRecord>> PgJobStore::ClaimNext() {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  const int64_t now = NowUs();
  // First a job whose replica stopped renewing its lease, then the oldest queued one.
  NOVELTA_ASSIGN_OR_RETURN(auto expired,
                           Claim(conn,
                                 "SELECT seq FROM jobs WHERE status='running' AND lease_expires_us < $1::bigint "
                                 "ORDER BY lease_expires_us LIMIT 1 FOR UPDATE SKIP LOCKED",
                                 now));
  if (expired) return expired;
  return Claim(conn, "SELECT seq FROM jobs WHERE status='queued' ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED",
               now);
}

StatusOr<int64_t> PgJobStore::RenewLeases() {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("UPDATE jobs SET lease_expires_us=$2::bigint "
                                             "WHERE status='running' AND lease_owner=$1",
                                             {replica_, Str(NowUs() + lease_us_)}, "renew leases"));
  return r.affected();
}

Status PgJobStore::Record(const std::string& id, int attempt, const char* status, const char* column,
                          const std::string& value, const char* what) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::string sql = std::string("UPDATE jobs SET status='") + status + "', " + column +
                    "=$3, finished_us=$4::bigint, lease_owner='', lease_expires_us=0 "
                    "WHERE id=$1 AND attempts=$2::integer AND status='running'";
  return conn.Run(sql.c_str(), {id, Str(attempt), value, Str(NowUs())}, what);
}

Status PgJobStore::Requeue(const std::string& id, int attempt) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn.Run("UPDATE jobs SET status='queued', started_us=0, lease_owner='', lease_expires_us=0 "
                  "WHERE id=$1 AND attempts=$2::integer AND status='running'",
                  {id, Str(attempt)}, "requeue");
}

StatusOr<std::map<std::string, int64_t>> PgJobStore::CountByStatus() {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("SELECT status, COUNT(*) FROM jobs GROUP BY status", {}, "count"));
  std::map<std::string, int64_t> out = {{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}};
  for (int i = 0; i < r.rows(); ++i) out[r.Text(i, 0)] = r.Int(i, 1);
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<JobStore>> OpenPgJobStore(const StateLocation& location, const JobStoreOptions& options) {
  auto store = std::make_unique<PgJobStore>(location, options);
  NOVELTA_RETURN_IF_ERROR(MigratePg(store->pool(), "job store"));
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace state_internal
}  // namespace novelta
