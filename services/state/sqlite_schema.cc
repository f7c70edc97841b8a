// The SQLite database under a state directory: opening it and its schema
// migrations, versioned by PRAGMA user_version and applied in one IMMEDIATE
// transaction, so processes that open the directory together apply each
// migration once.
#include <sqlite3.h>

#include <chrono>

#include "base/sqlite.h"
#include "services/state/backends.h"

namespace novelta {
namespace state_internal {
namespace {

// Migration i (1-based) takes the schema from version i-1 to i. Version 1 is
// the schema of databases made before versioning, hence IF NOT EXISTS.
constexpr const char* kMigrations[kSqliteSchemaVersion] = {
    R"sql(
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
CREATE TABLE IF NOT EXISTS api_keys(name TEXT PRIMARY KEY, key_sha256 TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL, created_us INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
)sql",
    R"sql(
ALTER TABLE jobs ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_expires_us INTEGER NOT NULL DEFAULT 0;
)sql",
};

Status ExecSql(sqlite3* db, const char* sql, const std::string& path, const std::string& what) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::OK();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return SqliteStatus(rc, sqlite3_system_errno(db), msg, path, what);
}

Status Migrate(sqlite3* db, const std::string& path, const std::string& what) {
  NOVELTA_RETURN_IF_ERROR(ExecSql(db, "BEGIN IMMEDIATE", path, what + ": migrate"));
  auto fail = [&](Status s) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  };
  SqliteStatement v(db, "PRAGMA user_version");
  if (!v.ok() || v.Step() != SQLITE_ROW) return fail(SqliteError(db, path, what + ": schema version"));
  const int64_t version = v.Int(0);
  for (int64_t i = version; i < kSqliteSchemaVersion; ++i) {
    Status s = ExecSql(db, kMigrations[i], path, what + ": migration " + std::to_string(i + 1));
    if (!s.ok()) return fail(s);
  }
  if (version < kSqliteSchemaVersion) {
    std::string set = "PRAGMA user_version=" + std::to_string(kSqliteSchemaVersion);
    Status s = ExecSql(db, set.c_str(), path, what + ": migrate");
    if (!s.ok()) return fail(s);
  }
  Status s = ExecSql(db, "COMMIT", path, what + ": migrate");
  if (!s.ok()) return fail(s);
  return Status::OK();
}

}  // namespace

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StatusOr<sqlite3*> OpenSqlite(const std::string& dir, const std::string& what) {
  std::string path = dir + "/novelta.db";
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = db ? SqliteError(db, path, what + ": cannot open")
                  : Status::ResourceExhausted(what + ": cannot open " + path + ": out of memory");
    sqlite3_close(db);
    return s;
  }
  // SQLite quietly falls back to read-only when it cannot open the file for
  // writing (a read-only mount): the service would then fail on its first
  // write instead of at start.
  if (sqlite3_db_readonly(db, "main") == 1) {
    sqlite3_close(db);
    return SqliteStatus(SQLITE_READONLY, 0, "opened read-only", path, what + ": cannot open");
  }
  sqlite3_busy_timeout(db, 5000);
  Status s = ExecSql(db, "PRAGMA journal_mode=WAL", path, what + ": open");
  if (s.ok()) s = ExecSql(db, "PRAGMA synchronous=FULL", path, what + ": open");
  if (s.ok()) s = Migrate(db, path, what);
  if (!s.ok()) {
    sqlite3_close(db);
    return s;
  }
  return db;
}

}  // namespace state_internal
}  // namespace novelta
