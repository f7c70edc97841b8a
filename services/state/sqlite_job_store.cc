// JobStore on SQLite under a state directory. One connection per store,
// serialised by a mutex; processes sharing the directory are serialised by
// SQLite's own locking (WAL). Each process holds `replicas/<id>.lock` while
// it lives, so the others can tell jobs of a dead process on this machine
// from jobs of a live one, and take them over at once (at start, and within a
// second while they claim jobs) instead of when the leases run out.
#include <sqlite3.h>

#include <atomic>
#include <mutex>

#include "base/env.h"
#include "base/sqlite.h"
#include "services/state/backends.h"

namespace novelta {
namespace state_internal {
namespace {

constexpr const char* kColumns =
    "id, seq, status, owner, idempotency_key, request_hash, submission, top_k, cutoff, report, "
    "error, attempts, created_us, started_us, finished_us, lease_owner, lease_expires_us";
constexpr const char* kListColumns =
    "id, seq, status, owner, idempotency_key, request_hash, '', top_k, cutoff, '', "
    "error, attempts, created_us, started_us, finished_us, lease_owner, lease_expires_us";

JobRecord ReadRecord(const SqliteStatement& s) {
  JobRecord r;
  r.id = s.Text(0);
  r.seq = s.Int(1);
  auto status = ParseJobStatus(s.Text(2));
  r.status = status.ok() ? *status : JobStatus::kFailed;
  r.owner = s.Text(3);
  r.idempotency_key = s.Text(4);
  r.request_hash = s.Text(5);
  r.submission_json = s.Text(6);
  r.top_k = static_cast<int>(s.Int(7));
  r.cutoff = s.Text(8);
  r.report_json = s.Text(9);
  r.error = s.Text(10);
  r.attempts = static_cast<int>(s.Int(11));
  r.created_us = s.Int(12);
  r.started_us = s.Int(13);
  r.finished_us = s.Int(14);
  r.lease_owner = s.Text(15);
  r.lease_expires_us = s.Int(16);
  return r;
}

class SqliteJobStore : public JobStore {
 public:
  SqliteJobStore(sqlite3* db, std::string dir, const JobStoreOptions& options)
      : db_(db),
        dir_(std::move(dir)),
        path_(dir_ + "/novelta.db"),
        replica_(options.replica_id.empty() ? RandomHex(8) : options.replica_id),
        lease_us_(static_cast<int64_t>(options.lease_seconds * 1e6)) {}
  ~SqliteJobStore() override { sqlite3_close(db_); }

  // Locks this process's replica file and re-queues the jobs of processes
  // whose replica file nobody holds any more.
  Status Start();

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
  StatusOr<int64_t> CountQueued() override;
  StatusOr<int64_t> QueuedAhead(int64_t seq) override;
  Status Ping() override { return CountQueued().status(); }
  const std::string& replica_id() const override { return replica_; }
  std::string Describe() const override { return "SQLite " + path_; }

 private:
  Status Exec(const char* sql, const char* what);
  Status Error(const char* what) { return SqliteError(db_, path_, std::string("job store: ") + what); }
  // COMMIT, rolling back when it fails.
  Status Commit();
  StatusOr<int64_t> CountLocked(const char* sql, int64_t arg, const char* what);
  // Sets a running attempt's outcome: status, and `column` to `value`.
  Status Record(const std::string& id, int attempt, const char* status, const char* column,
                const std::string& value, const char* what);
  Status TakeOverDeadReplicas();

  std::mutex mu_;
  sqlite3* db_;
  const std::string dir_;
  const std::string path_;  // <dir>/novelta.db
  const std::string replica_;
  const int64_t lease_us_;
  std::unique_ptr<FileLock> alive_;  // replicas/<replica_>.lock, held while this store lives
  std::atomic<int64_t> last_takeover_us_{0};
};

Status SqliteJobStore::Exec(const char* sql, const char* what) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return SqliteStatus(rc, sqlite3_system_errno(db_), msg, path_, std::string("job store: ") + what);
  }
  return Status::OK();
}

Status SqliteJobStore::Commit() {
  Status s = Exec("COMMIT", "commit");
  // A COMMIT that fails (a full disk) may leave the transaction open; every
  // later BEGIN would then fail. Roll it back so the store stays usable.
  if (!s.ok() && sqlite3_get_autocommit(db_) == 0) Exec("ROLLBACK", "rollback");
  return s;
}

Status SqliteJobStore::Start() {
  Env* env = Env::Default();
  const std::string replicas = dir_ + "/replicas";
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(replicas));
  NOVELTA_RETURN_IF_ERROR(env->LockFile(replicas + "/" + replica_ + ".lock", &alive_));
  return TakeOverDeadReplicas();
}

Status SqliteJobStore::TakeOverDeadReplicas() {
  std::vector<std::string> owners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteStatement s(db_, "SELECT DISTINCT lease_owner FROM jobs WHERE status='running'");
    if (!s.ok()) return Error("take over");
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) owners.push_back(s.Text(0));
    if (rc != SQLITE_DONE) return Error("take over");
  }
  Env* env = Env::Default();
  for (const std::string& owner : owners) {
    if (owner == replica_) continue;
    // A lock nobody holds: the owner died (a crash or kill -9), or is a
    // process from before leases. Its jobs are queued again now rather than
    // when their leases run out.
    const std::string lock_path = dir_ + "/replicas/" + (owner.empty() ? "_" : owner) + ".lock";
    std::unique_ptr<FileLock> held;
    if (owner.find('/') != std::string::npos || !env->LockFile(lock_path, &held).ok()) continue;
    std::lock_guard<std::mutex> lock(mu_);
    SqliteStatement s(db_, "UPDATE jobs SET status='queued', started_us=0, lease_owner='', lease_expires_us=0 "
                           "WHERE status='running' AND lease_owner=?1");
    if (!s.ok()) return Error("take over");
    s.Bind(1, owner);
    if (s.Step() != SQLITE_DONE) return Error("take over");
    env->RemoveFile(lock_path);
  }
  return Status::OK();
}

StatusOr<int64_t> SqliteJobStore::CountLocked(const char* sql, int64_t arg, const char* what) {
  SqliteStatement s(db_, sql);
  if (!s.ok()) return Error(what);
  s.Bind(1, arg);
  if (s.Step() != SQLITE_ROW) return Error(what);
  return s.Int(0);
}

StatusOr<int64_t> SqliteJobStore::CountQueued() {
  std::lock_guard<std::mutex> lock(mu_);
  return CountLocked("SELECT COUNT(*) FROM jobs WHERE status='queued' AND ?1 = ?1", 0, "count");
}

StatusOr<int64_t> SqliteJobStore::QueuedAhead(int64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  return CountLocked("SELECT COUNT(*) FROM jobs WHERE status='queued' AND seq < ?1", seq, "queue position");
}

StatusOr<std::vector<InsertedJob>> SqliteJobStore::Insert(const std::vector<NewJob>& jobs, int64_t max_queued) {
  std::lock_guard<std::mutex> lock(mu_);
  NOVELTA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "insert"));
  auto fail = [&](Status s) {
    Exec("ROLLBACK", "rollback");
    return s;
  };
  auto queued = CountLocked("SELECT COUNT(*) FROM jobs WHERE status='queued' AND ?1 = ?1", 0, "count");
  if (!queued.ok()) return fail(queued.status());
  std::vector<InsertedJob> out;
  int64_t added = 0;
  for (const auto& job : jobs) {
    if (!job.idempotency_key.empty()) {
      SqliteStatement find(db_, "SELECT id, request_hash FROM jobs WHERE owner=?1 AND idempotency_key=?2");
      if (!find.ok()) return fail(Error("idempotency lookup"));
      find.Bind(1, job.owner);
      find.Bind(2, job.idempotency_key);
      if (find.Step() == SQLITE_ROW) {
        if (find.Text(1) != job.request_hash) {
          return fail(Status::AlreadyExists("Idempotency-Key '" + job.idempotency_key +
                                            "' was already used with a different request"));
        }
        out.push_back({find.Text(0), true});
        continue;
      }
    }
    if (*queued + added + 1 > max_queued) {
      return fail(Status::ResourceExhausted("the job queue is full (" + std::to_string(max_queued) +
                                            " queued); retry later"));
    }
    SqliteStatement ins(db_,
                        "INSERT INTO jobs(id, status, owner, idempotency_key, request_hash, submission, top_k, "
                        "cutoff, created_us) VALUES(?1,'queued',?2,?3,?4,?5,?6,?7,?8)");
    if (!ins.ok()) return fail(Error("insert"));
    std::string id = "asm_" + RandomHex(12);
    ins.Bind(1, id);
    ins.Bind(2, job.owner);
    if (job.idempotency_key.empty()) ins.BindNull(3); else ins.Bind(3, job.idempotency_key);
    ins.Bind(4, job.request_hash);
    ins.Bind(5, job.submission_json);
    ins.Bind(6, static_cast<int64_t>(job.top_k));
    ins.Bind(7, job.cutoff);
    ins.Bind(8, NowUs());
    if (ins.Step() != SQLITE_DONE) return fail(Error("insert"));
    ++added;
    out.push_back({id, false});
  }
  NOVELTA_RETURN_IF_ERROR(Commit());
  return out;
}

StatusOr<JobRecord> SqliteJobStore::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, (std::string("SELECT ") + kColumns + " FROM jobs WHERE id=?1").c_str());
  if (!s.ok()) return Error("get");
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return ReadRecord(s);
  if (rc == SQLITE_DONE) return Status::NotFound("no assessment with id '" + id + "'");
  return Error("get");
}

StatusOr<std::vector<JobRecord>> SqliteJobStore::List(const std::optional<std::string>& owner,
                                                      const std::optional<JobStatus>& status,
                                                      int64_t before_seq, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = std::string("SELECT ") + kListColumns +
                    " FROM jobs WHERE (?1 = 0 OR seq < ?1) AND (?2 IS NULL OR owner = ?2) "
                    "AND (?3 IS NULL OR status = ?3) ORDER BY seq DESC LIMIT ?4";
  SqliteStatement s(db_, sql.c_str());
  if (!s.ok()) return Error("list");
  s.Bind(1, before_seq);
  if (owner) s.Bind(2, *owner); else s.BindNull(2);
  if (status) s.Bind(3, std::string(JobStatusName(*status))); else s.BindNull(3);
  s.Bind(4, static_cast<int64_t>(limit));
  std::vector<JobRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadRecord(s));
  if (rc != SQLITE_DONE) return Error("list");
  return out;
}

Status SqliteJobStore::Delete(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "DELETE FROM jobs WHERE id=?1");
  if (!s.ok()) return Error("delete");
  s.Bind(1, id);
  if (s.Step() != SQLITE_DONE) return Error("delete");
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no assessment with id '" + id + "'");
  return Status::OK();
}

StatusOr<std::vector<std::string>> SqliteJobStore::Settled(const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  SqliteStatement s(db_, "SELECT status FROM jobs WHERE id=?1");
  if (!s.ok()) return Error("settled");
  for (const std::string& id : ids) {
    s.Reset();
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_DONE || (rc == SQLITE_ROW && (s.Text(0) == "done" || s.Text(0) == "failed"))) {
      out.push_back(id);
    } else if (rc != SQLITE_ROW) {
      return Error("settled");
    }
  }
  return out;
}

StatusOr<std::optional<JobRecord>> SqliteJobStore::ClaimNext() {
  // Jobs of a process that died on this machine go back to the queue within
  // a second, rather than when their leases run out.
  const int64_t now_us = NowUs();
  if (now_us - last_takeover_us_.load() > 1000000) {
    last_takeover_us_ = now_us;
    NOVELTA_RETURN_IF_ERROR(TakeOverDeadReplicas());
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = std::string(
                        "UPDATE jobs SET status='running', attempts=attempts+1, started_us=?1, lease_owner=?2, "
                        "lease_expires_us=?3 WHERE seq = (SELECT seq FROM jobs WHERE status='queued' OR "
                        "(status='running' AND lease_expires_us < ?1) ORDER BY seq LIMIT 1) RETURNING ") +
                    kColumns;
  SqliteStatement s(db_, sql.c_str());
  if (!s.ok()) return Error("claim");
  const int64_t now = NowUs();
  s.Bind(1, now);
  s.Bind(2, replica_);
  s.Bind(3, now + lease_us_);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<JobRecord>();
  if (rc != SQLITE_ROW) return Error("claim");
  JobRecord r = ReadRecord(s);
  while ((rc = s.Step()) == SQLITE_ROW) {}
  if (rc != SQLITE_DONE) return Error("claim");
  return std::optional<JobRecord>(std::move(r));
}

StatusOr<int64_t> SqliteJobStore::RenewLeases() {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "UPDATE jobs SET lease_expires_us=?2 WHERE status='running' AND lease_owner=?1");
  if (!s.ok()) return Error("renew leases");
  s.Bind(1, replica_);
  s.Bind(2, NowUs() + lease_us_);
  if (s.Step() != SQLITE_DONE) return Error("renew leases");
  return static_cast<int64_t>(sqlite3_changes(db_));
}

Status SqliteJobStore::Record(const std::string& id, int attempt, const char* status, const char* column,
                              const std::string& value, const char* what) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = std::string("UPDATE jobs SET status='") + status + "', " + column +
                    "=?3, finished_us=?4, lease_owner='', lease_expires_us=0 "
                    "WHERE id=?1 AND attempts=?2 AND status='running'";
  SqliteStatement s(db_, sql.c_str());
  if (!s.ok()) return Error(what);
  s.Bind(1, id);
  s.Bind(2, static_cast<int64_t>(attempt));
  s.Bind(3, value);
  s.Bind(4, NowUs());
  if (s.Step() != SQLITE_DONE) return Error(what);
  return Status::OK();
}

Status SqliteJobStore::Requeue(const std::string& id, int attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "UPDATE jobs SET status='queued', started_us=0, lease_owner='', lease_expires_us=0 "
                         "WHERE id=?1 AND attempts=?2 AND status='running'");
  if (!s.ok()) return Error("requeue");
  s.Bind(1, id);
  s.Bind(2, static_cast<int64_t>(attempt));
  if (s.Step() != SQLITE_DONE) return Error("requeue");
  return Status::OK();
}

StatusOr<std::map<std::string, int64_t>> SqliteJobStore::CountByStatus() {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, int64_t> out = {{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}};
  SqliteStatement s(db_, "SELECT status, COUNT(*) FROM jobs GROUP BY status");
  if (!s.ok()) return Error("count");
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out[s.Text(0)] = s.Int(1);
  if (rc != SQLITE_DONE) return Error("count");
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& dir, const JobStoreOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(sqlite3 * db, OpenSqlite(dir, "job store"));
  auto store = std::make_unique<SqliteJobStore>(db, dir, options);
  NOVELTA_RETURN_IF_ERROR(store->Start());
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace state_internal
}  // namespace novelta
