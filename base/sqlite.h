// SQLite helpers shared by the stores that keep their state in SQLite (the
// paper store of an index, the service's job and key stores): a prepared
// statement that finalises itself, and the Status for a failed SQLite call.
//
// One wrapper, so that every store binds, steps and reads columns the same
// way and none can leak a statement on an early return.
//
// Thread-safety: a SqliteStatement is used by one thread at a time, like the
// connection it was prepared on; SqliteStatus and SqliteError are pure.
#ifndef NOVELTA_BASE_SQLITE_H_
#define NOVELTA_BASE_SQLITE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "novelta/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace novelta {

// A prepared statement. Preparation may fail (ok() says, and the
// connection's error tells why); binding to or stepping a statement that
// failed to prepare does nothing and Step returns SQLITE_MISUSE.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const char* sql);
  ~SqliteStatement();  // finalises; do this before closing the connection
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const;  // prepared without error
  sqlite3* db() const { return db_; }

  // Parameters are 1-based. Bind and BindBlob copy the bytes; BindUnowned
  // and BindUnownedBlob do not (for bulk writes), and the caller keeps the
  // bytes alive until the next Reset or the statement's end.
  void Bind(int i, std::string_view text);
  void Bind(int i, int64_t v);
  void BindNull(int i);
  void BindUnowned(int i, std::string_view text);
  void BindUnownedBlob(int i, std::string_view bytes);

  // One step: SQLITE_ROW with a row to read, SQLITE_DONE at the end, else an
  // error code (the connection holds the message).
  int Step();
  // Ready to bind and step again from the start; the bindings are cleared.
  void Reset();

  // Columns of the current row, 0-based. NULL reads as "" or 0.
  std::string Text(int col) const;
  int64_t Int(int col) const;
  // The bytes of a BLOB (or text) column, valid until the next Step or Reset.
  std::string_view Blob(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int prepare_rc_;
};

// The Status for a failed SQLite call on a store's file. A full disk is
// ResourceExhausted ("storage full") and a directory that cannot be written
// FailedPrecondition, both naming the file, so they read clearly at start-up
// and the service answers 503 (the server's storage, not the request, is at
// fault) instead of a generic 500. Anything else is IOError.
// `rc`: the (extended) SQLite result code; `sys_errno`: sqlite3_system_errno;
// `message`: sqlite3_errmsg; `path`: the database file; `context`: what was
// being done ("job store: insert").
Status SqliteStatus(int rc, int sys_errno, const std::string& message, const std::string& path,
                    const std::string& context);

// SqliteStatus for the last error on `db`.
Status SqliteError(sqlite3* db, const std::string& path, const std::string& context);

}  // namespace novelta

#endif  // NOVELTA_BASE_SQLITE_H_
