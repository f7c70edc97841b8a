#include "base/sqlite.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace novelta {
namespace {

// Why the directory cannot be written ("Read-only file system"), or "" when
// it can (or is missing, which is another error).
std::string UnwritableReason(const std::string& dir) {
  if (::access(dir.c_str(), W_OK) == 0) return "";
  int err = errno;
  if (err != EROFS && err != EACCES && err != EPERM) return "";
  return std::strerror(err);
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql) : db_(db) {
  prepare_rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

bool SqliteStatement::ok() const { return prepare_rc_ == SQLITE_OK; }

void SqliteStatement::Bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

void SqliteStatement::BindNull(int i) { sqlite3_bind_null(stmt_, i); }

void SqliteStatement::BindUnowned(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::BindUnownedBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

int SqliteStatement::Step() { return sqlite3_step(stmt_); }

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string SqliteStatement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : std::string();
}

int64_t SqliteStatement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string_view SqliteStatement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}

Status SqliteStatus(int rc, int sys_errno, const std::string& message, const std::string& path,
                    const std::string& context) {
  int primary = rc & 0xff;
  if (primary == SQLITE_FULL ||
      (primary == SQLITE_IOERR && (sys_errno == ENOSPC || sys_errno == EDQUOT))) {
    return Status::ResourceExhausted(context + ": storage full: cannot write " + path + " (" + message +
                                     "); retry later, once disk space is freed");
  }
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM ||
      primary == SQLITE_IOERR || primary == SQLITE_AUTH) {
    std::string dir = path.substr(0, path.find_last_of('/'));
    std::string why = UnwritableReason(dir);
    if (!why.empty() || primary == SQLITE_READONLY) {
      if (why.empty()) why = "the database file is read-only";
      return Status::FailedPrecondition(context + ": state directory " + dir + " is read-only or not writable (" +
                                        why + "): cannot write " + path + " (" + message + ")");
    }
  }
  return Status::IOError(context + ": " + path + ": " + message);
}

Status SqliteError(sqlite3* db, const std::string& path, const std::string& context) {
  return SqliteStatus(sqlite3_extended_errcode(db), sqlite3_system_errno(db), sqlite3_errmsg(db), path, context);
}

}  // namespace novelta
