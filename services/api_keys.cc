#include "services/api_keys.h"

#include <sqlite3.h>

#include <cmath>

#include "base/hash.h"
#include "base/sqlite.h"
#include "services/job_store.h"

namespace novelta {
namespace {


int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A full disk or read-only state directory comes out as for the job store
// (ResourceExhausted / FailedPrecondition, see base/sqlite.h), not as IOError.
Status SqlError(sqlite3* db, const char* what) {
  const char* file = sqlite3_db_filename(db, "main");
  return SqliteError(db, file && *file ? file : "key store", std::string("key store: ") + what);
}

ApiKeyInfo ReadKeyInfo(const SqliteStatement& s) {
  ApiKeyInfo info;
  info.name = s.Text(0);
  auto scope = ParseScope(s.Text(1));
  info.scope = scope.ok() ? *scope : Scope::kRead;
  info.created_us = s.Int(2);
  return info;
}

Status ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return Status::InvalidArgument("key name must be 1 to 64 characters");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return Status::InvalidArgument("key name '" + name + "' may only use A-Z a-z 0-9 . _ -");
  }
  return Status::OK();
}

}  // namespace

const char* ScopeName(Scope s) {
  switch (s) {
    case Scope::kRead: return "read";
    case Scope::kWrite: return "write";
    case Scope::kAdmin: return "admin";
  }
  return "read";
}

StatusOr<Scope> ParseScope(std::string_view name) {
  if (name == "read") return Scope::kRead;
  if (name == "write") return Scope::kWrite;
  if (name == "admin") return Scope::kAdmin;
  return Status::InvalidArgument("unknown scope '" + std::string(name) + "' (expected read, write or admin)");
}

StatusOr<std::unique_ptr<KeyStore>> KeyStore::Open(const std::string& state_dir, double cache_seconds) {
  std::string path = state_dir + "/novelta.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Status s = db ? SqliteError(db, path, "key store: cannot open")
                  : Status::ResourceExhausted("key store: cannot open " + path + ": out of memory");
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<KeyStore> store(new KeyStore(db, cache_seconds));
  const char* schema =
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE IF NOT EXISTS api_keys(name TEXT PRIMARY KEY, key_sha256 TEXT NOT NULL UNIQUE, "
      "scope TEXT NOT NULL, created_us INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);";
  if (sqlite3_exec(db, schema, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(db, "schema");
  return store;
}

KeyStore::~KeyStore() { sqlite3_close(db_); }

StatusOr<std::string> KeyStore::Create(const std::string& name, Scope scope) {
  NOVELTA_RETURN_IF_ERROR(ValidName(name));
  std::string key = "nvk_" + RandomHex(24);
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "INSERT INTO api_keys(name, key_sha256, scope, created_us) VALUES(?1,?2,?3,?4)");
  if (!s.ok()) return SqlError(db_, "create");
  s.Bind(1, name);
  s.Bind(2, Sha256Hex(key));
  s.Bind(3, ScopeName(scope));
  s.Bind(4, NowUs());
  int rc = s.Step();
  if (rc == SQLITE_CONSTRAINT) return Status::AlreadyExists("a key named '" + name + "' exists already");
  if (rc != SQLITE_DONE) return SqlError(db_, "create");
  return key;
}

Status KeyStore::Put(const std::string& name, const std::string& key, Scope scope) {
  NOVELTA_RETURN_IF_ERROR(ValidName(name));
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_,
                    "INSERT INTO api_keys(name, key_sha256, scope, created_us) VALUES(?1,?2,?3,?4) "
                    "ON CONFLICT(name) DO UPDATE SET key_sha256=excluded.key_sha256, "
                    "scope=excluded.scope, revoked=0");
  if (!s.ok()) return SqlError(db_, "put");
  s.Bind(1, name);
  s.Bind(2, Sha256Hex(key));
  s.Bind(3, ScopeName(scope));
  s.Bind(4, NowUs());
  if (s.Step() != SQLITE_DONE) return SqlError(db_, "put");
  cache_.clear();
  return Status::OK();
}

StatusOr<ApiKeyInfo> KeyStore::Verify(const std::string& key) {
  const Status unknown = Status::Unauthenticated("the API key is not valid");
  if (key.empty() || key.size() > 256) return unknown;
  std::string hash = Sha256Hex(key);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(hash);
  if (it != cache_.end() && it->second.expires > now) return it->second.info;
  SqliteStatement s(db_, "SELECT name, scope, created_us, key_sha256 FROM api_keys "
                         "WHERE key_sha256=?1 AND revoked=0");
  if (!s.ok()) return SqlError(db_, "verify");
  s.Bind(1, hash);
  int rc = s.Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_, "verify");
  ApiKeyInfo info;
  bool found = false;
  if (rc == SQLITE_ROW) {
    found = ConstantTimeEquals(s.Text(3), hash);
    info = ReadKeyInfo(s);
  }
  if (!found) {
    cache_.erase(hash);
    return unknown;
  }
  if (cache_.size() > 10000) cache_.clear();
  if (cache_ttl_.count() > 0) {
    cache_[hash] = {info, now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(cache_ttl_)};
  }
  return info;
}

Status KeyStore::Revoke(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "UPDATE api_keys SET revoked=1 WHERE name=?1");
  if (!s.ok()) return SqlError(db_, "revoke");
  s.Bind(1, name);
  if (s.Step() != SQLITE_DONE) return SqlError(db_, "revoke");
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no key named '" + name + "'");
  cache_.clear();
  return Status::OK();
}

StatusOr<std::vector<ApiKeyInfo>> KeyStore::List() {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, "SELECT name, scope, created_us FROM api_keys WHERE revoked=0 ORDER BY name");
  if (!s.ok()) return SqlError(db_, "list");
  std::vector<ApiKeyInfo> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadKeyInfo(s));
  if (rc != SQLITE_DONE) return SqlError(db_, "list");
  return out;
}

RateLimiter::Decision RateLimiter::Take(const std::string& key, std::chrono::steady_clock::time_point now) {
  return Use(key, now, true);
}

RateLimiter::Decision RateLimiter::Peek(const std::string& key, std::chrono::steady_clock::time_point now) {
  return Use(key, now, false);
}

RateLimiter::Decision RateLimiter::Use(const std::string& key, std::chrono::steady_clock::time_point now,
                                       bool take) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() > 100000) buckets_.clear();  // bound memory; buckets refill anyway
    it = buckets_.emplace(key, Bucket{static_cast<double>(burst_), now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min<double>(burst_, b.tokens + elapsed * rate_);
    b.updated = now;
  }
  Decision d;
  d.limit = burst_;
  if (b.tokens >= 1.0) {
    if (take) b.tokens -= 1.0;
    d.allowed = true;
  } else {
    d.retry_after = static_cast<int>(std::ceil((1.0 - b.tokens) / rate_));
  }
  d.remaining = static_cast<int>(std::floor(b.tokens));
  d.reset_seconds = static_cast<int>(std::ceil((burst_ - b.tokens) / rate_));
  return d;
}

}  // namespace novelta
