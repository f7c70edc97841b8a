// KeyTable on SQLite, in the state directory's database.
#include <sqlite3.h>

#include <mutex>

#include "base/sqlite.h"
#include "services/state/backends.h"

namespace novelta {
namespace state_internal {
namespace {

ApiKeyInfo ReadKeyInfo(const SqliteStatement& s) {
  ApiKeyInfo info;
  info.name = s.Text(0);
  auto scope = ParseScope(s.Text(1));
  info.scope = scope.ok() ? *scope : Scope::kRead;
  info.created_us = s.Int(2);
  return info;
}

class SqliteKeyTable : public KeyTable {
 public:
  SqliteKeyTable(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteKeyTable() override { sqlite3_close(db_); }

  Status Insert(const ApiKeyInfo& info, const std::string& sha256) override {
    return Write("INSERT INTO api_keys(name, key_sha256, scope, created_us) VALUES(?1,?2,?3,?4)", info, sha256,
                 "create");
  }
  Status Upsert(const ApiKeyInfo& info, const std::string& sha256) override {
    return Write("INSERT INTO api_keys(name, key_sha256, scope, created_us) VALUES(?1,?2,?3,?4) "
                 "ON CONFLICT(name) DO UPDATE SET key_sha256=excluded.key_sha256, scope=excluded.scope, revoked=0",
                 info, sha256, "put");
  }

  StatusOr<std::optional<StoredKey>> FindByHash(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteStatement s(db_, "SELECT name, scope, created_us, key_sha256 FROM api_keys "
                           "WHERE key_sha256=?1 AND revoked=0");
    if (!s.ok()) return Error("verify");
    s.Bind(1, sha256);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<StoredKey>();
    if (rc != SQLITE_ROW) return Error("verify");
    return std::optional<StoredKey>(StoredKey{ReadKeyInfo(s), s.Text(3)});
  }

  StatusOr<bool> Revoke(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteStatement s(db_, "UPDATE api_keys SET revoked=1 WHERE name=?1");
    if (!s.ok()) return Error("revoke");
    s.Bind(1, name);
    if (s.Step() != SQLITE_DONE) return Error("revoke");
    return sqlite3_changes(db_) > 0;
  }

  StatusOr<std::vector<ApiKeyInfo>> List() override {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteStatement s(db_, "SELECT name, scope, created_us FROM api_keys WHERE revoked=0 ORDER BY name");
    if (!s.ok()) return Error("list");
    std::vector<ApiKeyInfo> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadKeyInfo(s));
    if (rc != SQLITE_DONE) return Error("list");
    return out;
  }

 private:
  // A full disk or read-only state directory comes out as for the job store
  // (ResourceExhausted / FailedPrecondition, see base/sqlite.h).
  Status Error(const char* what) { return SqliteError(db_, path_, std::string("key store: ") + what); }

  Status Write(const char* sql, const ApiKeyInfo& info, const std::string& sha256, const char* what) {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteStatement s(db_, sql);
    if (!s.ok()) return Error(what);
    s.Bind(1, info.name);
    s.Bind(2, sha256);
    s.Bind(3, ScopeName(info.scope));
    s.Bind(4, info.created_us);
    int rc = s.Step();
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
      return Status::AlreadyExists("a key named '" + info.name + "' exists already");
    }
    if (rc != SQLITE_DONE) return Error(what);
    return Status::OK();
  }

  std::mutex mu_;
  sqlite3* db_;
  const std::string path_;
};

}  // namespace

StatusOr<std::unique_ptr<KeyTable>> OpenSqliteKeyTable(const std::string& dir) {
  NOVELTA_ASSIGN_OR_RETURN(sqlite3 * db, OpenSqlite(dir, "key store"));
  return std::unique_ptr<KeyTable>(std::make_unique<SqliteKeyTable>(db, dir + "/novelta.db"));
}

}  // namespace state_internal
}  // namespace novelta
