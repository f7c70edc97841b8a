#include "services/state/pg_conn.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>

#include "services/state/backends.h"

namespace novelta {
namespace state_internal {
namespace {

// The first line of a libpq message, without its trailing newline.
std::string FirstLine(const char* msg) {
  std::string s = msg ? msg : "";
  size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

// Migration i (1-based) takes the schema from version i-1 to i; 1 and 2 are
// SQLite's too.
constexpr const char* kPgMigrations[kPgSchemaVersion] = {
    R"sql(
CREATE TABLE jobs(
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
  created_us BIGINT NOT NULL,
  started_us BIGINT NOT NULL DEFAULT 0,
  finished_us BIGINT NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX jobs_idempotency ON jobs(owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_status ON jobs(status, seq);
CREATE TABLE api_keys(name TEXT PRIMARY KEY, key_sha256 TEXT NOT NULL UNIQUE, scope TEXT NOT NULL,
  created_us BIGINT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
)sql",
    R"sql(
ALTER TABLE jobs ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_expires_us BIGINT NOT NULL DEFAULT 0;
CREATE INDEX jobs_running_lease ON jobs(lease_expires_us) WHERE status = 'running';
)sql",
    R"sql(
CREATE TABLE rate_buckets(key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, updated_us BIGINT NOT NULL,
  allowed BOOLEAN NOT NULL);
)sql",
};

// Any constant: the advisory lock that serialises migrations across replicas.
constexpr const char* kMigrationLock = "7231400815";

}  // namespace

PgResult::~PgResult() { PQclear(r_); }
int PgResult::rows() const { return r_ ? PQntuples(r_) : 0; }
int64_t PgResult::affected() const {
  const char* n = r_ ? PQcmdTuples(r_) : "";
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}
std::string PgResult::Text(int row, int col) const {
  if (PQgetisnull(r_, row, col)) return "";
  return std::string(PQgetvalue(r_, row, col), PQgetlength(r_, row, col));
}
int64_t PgResult::Int(int row, int col) const {
  if (PQgetisnull(r_, row, col)) return 0;
  return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10);
}

PgPool::PgPool(StateLocation location, int max_connections, std::string what)
    : location_(std::move(location)), max_(std::max(1, max_connections)), what_(std::move(what)) {}

PgPool::~PgPool() {
  for (pg_conn* c : idle_) PQfinish(c);
}

StatusOr<PgPool::Conn> PgPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
      if (idle_.empty()) break;
      pg_conn* c = idle_.back();
      idle_.pop_back();
      // A server that restarted closed its connections while they were
      // idle: reading what it sent tells, and the connection is replaced
      // rather than failing the caller's statement.
      if (PQconsumeInput(c) == 1 && PQstatus(c) == CONNECTION_OK) return Conn(this, c, /*pooled=*/true);
      PQfinish(c);
      --open_;
    }
    ++open_;
  }
  auto c = Connect();
  if (!c.ok()) {
    Release(nullptr, true);
    return c.status();
  }
  return Conn(this, *c, /*pooled=*/false);
}

StatusOr<pg_conn*> PgPool::Connect() {
  // Settings before "dbname" are defaults the URI may override.
  const char* keys[] = {"connect_timeout", "tcp_user_timeout", "keepalives_idle", "application_name",
                        "options", "dbname", nullptr};
  const char* values[] = {"5", "10000", "10", "novelta", "-c statement_timeout=30000 -c client_min_messages=warning",
                          location_.value.c_str(), nullptr};
  pg_conn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!c || PQstatus(c) != CONNECTION_OK) {
    std::string msg = c ? FirstLine(PQerrorMessage(c)) : "out of memory";
    PQfinish(c);
    return Status::FailedPrecondition(what_ + ": database unavailable: " + location_.Display() + ": " + msg);
  }
  // The server's notices ("already exists, skipping", "terminating
  // connection") are not the service's to print.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return c;
}

void PgPool::Release(pg_conn* c, bool broken) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken || !c) {
      if (c) PQfinish(c);
      --open_;
    } else {
      idle_.push_back(c);
    }
  }
  cv_.notify_one();
}

PgPool::Conn::~Conn() {
  if (c_) pool_->Release(c_, broken_ || PQstatus(c_) != CONNECTION_OK);
}

StatusOr<PgResult> PgPool::Conn::Exec(const char* sql, const std::vector<PgParam>& params, const std::string& what) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  // Without parameters, PQexec: it also runs scripts of several statements (migrations).
  pg_result* raw = params.empty() ? PQexec(c_, sql)
                                  : PQexecParams(c_, sql, static_cast<int>(params.size()), nullptr,
                                                 values.data(), nullptr, nullptr, 0);
  PgResult result(raw);
  ExecStatusType st = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return result;
  const bool first_use = !used_;
  used_ = true;
  const std::string context = pool_->what_ + ": " + what + ": ";
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string msg = FirstLine(raw ? PQresultErrorMessage(raw) : PQerrorMessage(c_));
  if (msg.empty()) msg = FirstLine(PQerrorMessage(c_));
  // Class 08 (connection), 57P (operator intervention: shutdown, crash) or a
  // connection libpq marks bad: the server is unreachable, not the request at fault.
  if (PQstatus(c_) != CONNECTION_OK || code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0) {
    broken_ = true;
    // A pooled connection whose server went away while it sat idle fails on
    // its first statement, which the server never ran: run it once more on
    // a new connection.
    if (first_use && pooled_) {
      auto fresh = pool_->Connect();
      if (fresh.ok()) {
        PQfinish(c_);
        c_ = *fresh;
        broken_ = false;
        pooled_ = false;
        return Exec(sql, params, what);
      }
    }
    return Status::FailedPrecondition(context + "database unavailable: " + pool_->location_.Display() + ": " + msg);
  }
  if (code == "23505") return Status::AlreadyExists(context + msg);
  if (code == "53100") return Status::ResourceExhausted(context + "storage full: " + msg);
  // A statement that failed inside a transaction leaves it aborted: the caller
  // rolls back; a connection whose state is unclear is not reused.
  if (PQtransactionStatus(c_) == PQTRANS_UNKNOWN) broken_ = true;
  return Status::IOError(context + msg);
}

Status MigratePg(PgPool* pool, const std::string& what) {
  NOVELTA_ASSIGN_OR_RETURN(auto conn, pool->Acquire());
  NOVELTA_RETURN_IF_ERROR(conn.Run("BEGIN", {}, "migrate"));
  auto fail = [&](Status s) {
    (void)conn.Run("ROLLBACK", {}, "rollback");
    return s;
  };
  Status s = conn.Run("SELECT pg_advisory_xact_lock($1::bigint)", {std::string(kMigrationLock)}, "migrate");
  if (s.ok()) {
    s = conn.Run("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
                 "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                 {}, "migrate");
  }
  if (!s.ok()) return fail(s);
  auto v = conn.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, "schema version");
  if (!v.ok()) return fail(v.status());
  const int64_t version = v->Int(0, 0);
  for (int64_t i = version; i < kPgSchemaVersion; ++i) {
    s = conn.Run(kPgMigrations[i], {}, "migration " + std::to_string(i + 1));
    if (s.ok()) {
      s = conn.Run("INSERT INTO schema_migrations(version) VALUES($1::integer)", {std::to_string(i + 1)},
                   "migration " + std::to_string(i + 1));
    }
    if (!s.ok()) return fail(s);
  }
  s = conn.Run("COMMIT", {}, "migrate");
  if (!s.ok()) return fail(s);
  return Status::OK();
}

}  // namespace state_internal
}  // namespace novelta
