#include "services/job_store.h"

#include <openssl/rand.h>
#include <sqlite3.h>

#include <chrono>

#include "base/sqlite.h"

namespace novelta {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  owner TEXT NOT NULL,
  idempotency_key TEXT,
  request_hash TEXT NOT NULL,
  submission TEXT NOT NULL,
  top_k INTEGER NOT NULL,
  cutoff TEXT NOT NULL,
  report TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_us INTEGER NOT NULL,
  started_us INTEGER NOT NULL DEFAULT 0,
  finished_us INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs(owner, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, seq);
)sql";

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Job-store errors name the store ("job store: insert: storage full: ...").
Status JobStoreStatus(int rc, int sys_errno, const std::string& message, const std::string& path,
                      const std::string& what) {
  return SqliteStatus(rc, sys_errno, message, path, "job store: " + what);
}

// The last error on `db`, as a job-store error.
Status JobStoreError(sqlite3* db, const std::string& path, const std::string& what) {
  return SqliteError(db, path, "job store: " + what);
}

constexpr const char* kColumns =
    "id, seq, status, owner, idempotency_key, request_hash, submission, top_k, cutoff, report, "
    "error, attempts, created_us, started_us, finished_us";
constexpr const char* kListColumns =
    "id, seq, status, owner, idempotency_key, request_hash, '', top_k, cutoff, '', "
    "error, attempts, created_us, started_us, finished_us";

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
  return r;
}

}  // namespace

const char* JobStatusName(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
  }
  return "failed";
}

StatusOr<JobStatus> ParseJobStatus(std::string_view name) {
  if (name == "queued") return JobStatus::kQueued;
  if (name == "running") return JobStatus::kRunning;
  if (name == "done") return JobStatus::kDone;
  if (name == "failed") return JobStatus::kFailed;
  return Status::InvalidArgument("unknown job status '" + std::string(name) +
                                 "' (expected queued, running, done or failed)");
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // OpenSSL's generator failing is not recoverable; never hand out guessable ids.
    std::abort();
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

StatusOr<std::unique_ptr<JobStore>> JobStore::Open(const std::string& state_dir) {
  std::string path = state_dir + "/novelta.db";
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = db ? JobStoreError(db, path, "cannot open")
                  : Status::ResourceExhausted("job store: cannot open " + path + ": out of memory");
    sqlite3_close(db);
    return s;
  }
  // SQLite quietly falls back to read-only when it cannot open the file for
  // writing (a read-only mount): the service would then fail on its first
  // write instead of at start.
  if (sqlite3_db_readonly(db, "main") == 1) {
    sqlite3_close(db);
    return JobStoreStatus(SQLITE_READONLY, 0, "opened read-only", path, "cannot open");
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<JobStore> store(new JobStore(db, path));
  NOVELTA_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL", "open"));
  NOVELTA_RETURN_IF_ERROR(store->Exec("PRAGMA synchronous=FULL", "open"));
  NOVELTA_RETURN_IF_ERROR(store->Exec(kSchema, "create schema"));
  // A job left running was interrupted (crash, kill -9): run it again.
  NOVELTA_RETURN_IF_ERROR(store->Exec("UPDATE jobs SET status='queued' WHERE status='running'", "re-queue"));
  std::lock_guard<std::mutex> lock(store->mu_);
  NOVELTA_RETURN_IF_ERROR(store->RefreshQueuedLocked());
  return store;
}

JobStore::~JobStore() { sqlite3_close(db_); }

Status JobStore::Exec(const char* sql, const char* what) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return JobStoreStatus(rc, sqlite3_system_errno(db_), msg, path_, what);
  }
  return Status::OK();
}

Status JobStore::CommitLocked() {
  Status s = Exec("COMMIT", "commit");
  // A COMMIT that fails (a full disk) may leave the transaction open; every
  // later BEGIN would then fail. Roll it back so the store stays usable.
  if (!s.ok() && sqlite3_get_autocommit(db_) == 0) Exec("ROLLBACK", "rollback");
  return s;
}

Status JobStore::RefreshQueuedLocked() {
  SqliteStatement s(db_, "SELECT COUNT(*) FROM jobs WHERE status='queued'");
  if (!s.ok() || s.Step() != SQLITE_ROW) return JobStoreError(db_, path_, "count");
  queued_ = s.Int(0);
  return Status::OK();
}

int64_t JobStore::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_;
}

StatusOr<int64_t> JobStore::QueuedAhead(int64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "SELECT COUNT(*) FROM jobs WHERE status='queued' AND seq < ?1");
  if (!s.ok()) return JobStoreError(db_, path_, "queue position");
  s.Bind(1, seq);
  if (s.Step() != SQLITE_ROW) return JobStoreError(db_, path_, "queue position");
  return s.Int(0);
}

StatusOr<std::vector<InsertedJob>> JobStore::Insert(const std::vector<NewJob>& jobs, int64_t max_queued) {
  std::lock_guard<std::mutex> lock(mu_);
  NOVELTA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "insert"));
  std::vector<InsertedJob> out;
  int64_t added = 0;
  auto fail = [&](Status s) {
    Exec("ROLLBACK", "rollback");
    return s;
  };
  for (const auto& job : jobs) {
    if (!job.idempotency_key.empty()) {
      SqliteStatement find(db_, "SELECT id, request_hash FROM jobs WHERE owner=?1 AND idempotency_key=?2");
      if (!find.ok()) return fail(JobStoreError(db_, path_, "idempotency lookup"));
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
    if (queued_ + added + 1 > max_queued) {
      return fail(Status::ResourceExhausted("the job queue is full (" + std::to_string(max_queued) +
                                            " queued); retry later"));
    }
    SqliteStatement ins(db_,
                        "INSERT INTO jobs(id, status, owner, idempotency_key, request_hash, submission, top_k, "
                        "cutoff, created_us) VALUES(?1,'queued',?2,?3,?4,?5,?6,?7,?8)");
    if (!ins.ok()) return fail(JobStoreError(db_, path_, "insert"));
    std::string id = "asm_" + RandomHex(12);
    ins.Bind(1, id);
    ins.Bind(2, job.owner);
    if (job.idempotency_key.empty()) ins.BindNull(3); else ins.Bind(3, job.idempotency_key);
    ins.Bind(4, job.request_hash);
    ins.Bind(5, job.submission_json);
    ins.Bind(6, static_cast<int64_t>(job.top_k));
    ins.Bind(7, job.cutoff);
    ins.Bind(8, NowUs());
    if (ins.Step() != SQLITE_DONE) return fail(JobStoreError(db_, path_, "insert"));
    ++added;
    out.push_back({id, false});
  }
  NOVELTA_RETURN_IF_ERROR(CommitLocked());
  queued_ += added;
  return out;
}

StatusOr<JobRecord> JobStore::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, (std::string("SELECT ") + kColumns + " FROM jobs WHERE id=?1").c_str());
  if (!s.ok()) return JobStoreError(db_, path_, "get");
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return ReadRecord(s);
  if (rc == SQLITE_DONE) return Status::NotFound("no assessment with id '" + id + "'");
  return JobStoreError(db_, path_, "get");
}

StatusOr<std::vector<JobRecord>> JobStore::List(const std::optional<std::string>& owner,
                                                const std::optional<JobStatus>& status,
                                                int64_t before_seq, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = std::string("SELECT ") + kListColumns +
                    " FROM jobs WHERE (?1 = 0 OR seq < ?1) AND (?2 IS NULL OR owner = ?2) "
                    "AND (?3 IS NULL OR status = ?3) ORDER BY seq DESC LIMIT ?4";
  SqliteStatement s(db_, sql.c_str());
  if (!s.ok()) return JobStoreError(db_, path_, "list");
  s.Bind(1, before_seq);
  if (owner) s.Bind(2, *owner); else s.BindNull(2);
  if (status) s.Bind(3, std::string(JobStatusName(*status))); else s.BindNull(3);
  s.Bind(4, static_cast<int64_t>(limit));
  std::vector<JobRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadRecord(s));
  if (rc != SQLITE_DONE) return JobStoreError(db_, path_, "list");
  return out;
}

Status JobStore::Delete(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "DELETE FROM jobs WHERE id=?1 RETURNING status");
  if (!s.ok()) return JobStoreError(db_, path_, "delete");
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no assessment with id '" + id + "'");
  if (rc != SQLITE_ROW) return JobStoreError(db_, path_, "delete");
  bool was_queued = s.Text(0) == "queued";
  while ((rc = s.Step()) == SQLITE_ROW) {}
  if (rc != SQLITE_DONE) return JobStoreError(db_, path_, "delete");
  if (was_queued) --queued_;
  return Status::OK();
}

StatusOr<std::optional<JobRecord>> JobStore::ClaimNext() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = std::string(
                        "UPDATE jobs SET status='running', attempts=attempts+1, started_us=?1 WHERE seq = "
                        "(SELECT seq FROM jobs WHERE status='queued' ORDER BY seq LIMIT 1) RETURNING ") +
                    kColumns;
  SqliteStatement s(db_, sql.c_str());
  if (!s.ok()) return JobStoreError(db_, path_, "claim");
  s.Bind(1, NowUs());
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<JobRecord>();
  if (rc != SQLITE_ROW) return JobStoreError(db_, path_, "claim");
  JobRecord r = ReadRecord(s);
  while ((rc = s.Step()) == SQLITE_ROW) {}
  if (rc != SQLITE_DONE) return JobStoreError(db_, path_, "claim");
  --queued_;
  return std::optional<JobRecord>(std::move(r));
}

Status JobStore::Finish(const std::string& id, int attempt, const std::string& report_json) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "UPDATE jobs SET status='done', report=?3, finished_us=?4 "
                         "WHERE id=?1 AND attempts=?2 AND status='running'");
  if (!s.ok()) return JobStoreError(db_, path_, "finish");
  s.Bind(1, id);
  s.Bind(2, static_cast<int64_t>(attempt));
  s.Bind(3, report_json);
  s.Bind(4, NowUs());
  if (s.Step() != SQLITE_DONE) return JobStoreError(db_, path_, "finish");
  return Status::OK();
}

Status JobStore::Fail(const std::string& id, int attempt, const std::string& error) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "UPDATE jobs SET status='failed', error=?3, finished_us=?4 "
                         "WHERE id=?1 AND attempts=?2 AND status='running'");
  if (!s.ok()) return JobStoreError(db_, path_, "fail");
  s.Bind(1, id);
  s.Bind(2, static_cast<int64_t>(attempt));
  s.Bind(3, error);
  s.Bind(4, NowUs());
  if (s.Step() != SQLITE_DONE) return JobStoreError(db_, path_, "fail");
  return Status::OK();
}

Status JobStore::Requeue(const std::string& id, int attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "UPDATE jobs SET status='queued', started_us=0 "
                         "WHERE id=?1 AND attempts=?2 AND status='running'");
  if (!s.ok()) return JobStoreError(db_, path_, "requeue");
  s.Bind(1, id);
  s.Bind(2, static_cast<int64_t>(attempt));
  if (s.Step() != SQLITE_DONE) return JobStoreError(db_, path_, "requeue");
  if (sqlite3_changes(db_) > 0) ++queued_;
  return Status::OK();
}

StatusOr<std::map<std::string, int64_t>> JobStore::CountByStatus() {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, int64_t> out = {{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}};
  SqliteStatement s(db_, "SELECT status, COUNT(*) FROM jobs GROUP BY status");
  if (!s.ok()) return JobStoreError(db_, path_, "count");
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out[s.Text(0)] = s.Int(1);
  if (rc != SQLITE_DONE) return JobStoreError(db_, path_, "count");
  return out;
}

}  // namespace novelta
