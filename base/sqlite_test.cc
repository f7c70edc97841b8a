#include "base/sqlite.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cerrno>
#include <string>

namespace novelta {
namespace {

class SqliteStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_, "CREATE TABLE t(k TEXT PRIMARY KEY, n INTEGER, b BLOB)", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }  // fails (busy) if a statement leaked

  sqlite3* db_ = nullptr;
};

TEST_F(SqliteStatementTest, BindsStepsAndReadsColumns) {
  {
    SqliteStatement ins(db_, "INSERT INTO t VALUES(?1, ?2, ?3)");
    ASSERT_TRUE(ins.ok());
    std::string key("a\0b", 3);  // text is bound by length, not up to a NUL
    ins.Bind(1, key);
    ins.Bind(2, int64_t{1} << 40);
    ins.BindUnownedBlob(3, std::string_view("\x01\x00\x02", 3));
    EXPECT_EQ(ins.Step(), SQLITE_DONE);
    ins.Reset();
    std::string second = "second";
    ins.BindUnowned(1, second);
    ins.BindNull(2);  // the blob was cleared by Reset: NULL as well
    EXPECT_EQ(ins.Step(), SQLITE_DONE);
  }
  SqliteStatement sel(db_, "SELECT k, n, b FROM t ORDER BY n IS NULL, k");
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel.Step(), SQLITE_ROW);
  EXPECT_EQ(sel.Text(0), std::string("a\0b", 3));
  EXPECT_EQ(sel.Int(1), int64_t{1} << 40);
  EXPECT_EQ(sel.Blob(2), std::string_view("\x01\x00\x02", 3));
  ASSERT_EQ(sel.Step(), SQLITE_ROW);
  EXPECT_EQ(sel.Text(0), "second");
  EXPECT_EQ(sel.Int(1), 0);  // NULL
  EXPECT_EQ(sel.Text(1), "");
  EXPECT_TRUE(sel.Blob(2).empty());
  EXPECT_EQ(sel.Step(), SQLITE_DONE);
}

TEST_F(SqliteStatementTest, CopiedTextOutlivesTheCallersString) {
  SqliteStatement ins(db_, "INSERT INTO t(k) VALUES(?1)");
  {
    std::string gone = "copied";
    ins.Bind(1, gone);
  }
  ASSERT_EQ(ins.Step(), SQLITE_DONE);
  SqliteStatement sel(db_, "SELECT k FROM t");
  ASSERT_EQ(sel.Step(), SQLITE_ROW);
  EXPECT_EQ(sel.Text(0), "copied");
}

TEST_F(SqliteStatementTest, AFailedPrepareIsNotOkAndStepsNowhere) {
  SqliteStatement bad(db_, "SELECT nope FROM missing");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.db(), db_);
  bad.Bind(1, "x");
  EXPECT_EQ(bad.Step(), SQLITE_MISUSE);
  Status s = SqliteError(db_, "/no/such/dir/x.db", "test store: prepare");
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_EQ(s.message(), "test store: prepare: /no/such/dir/x.db: no such table: missing");
}

TEST_F(SqliteStatementTest, ErrorsOfAStepAreTheConnections) {
  SqliteStatement ins(db_, "INSERT INTO t(k) VALUES('dup')");
  ASSERT_EQ(ins.Step(), SQLITE_DONE);
  ins.Reset();
  EXPECT_EQ(ins.Step() & 0xff, SQLITE_CONSTRAINT);
  Status s = SqliteError(db_, "/no/such/dir/x.db", "insert");
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_NE(s.message().find("UNIQUE constraint failed: t.k"), std::string::npos) << s.ToString();
}

TEST(SqliteStatusTest, AFullDiskIsResourceExhaustedNamingTheFile) {
  Status full = SqliteStatus(SQLITE_FULL, 0, "database or disk is full", "/state/novelta.db", "job store: insert");
  EXPECT_EQ(full.code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(full.message(),
            "job store: insert: storage full: cannot write /state/novelta.db (database or disk is full); "
            "retry later, once disk space is freed");
  Status enospc = SqliteStatus(SQLITE_IOERR_WRITE, ENOSPC, "disk I/O error", "/state/novelta.db", "x");
  EXPECT_EQ(enospc.code(), Status::Code::kResourceExhausted);
}

TEST(SqliteStatusTest, AReadOnlyFileIsFailedPreconditionAndOtherErrorsIOError) {
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() == '/') dir.pop_back();
  Status ro = SqliteStatus(SQLITE_READONLY, 0, "attempt to write a readonly database", dir + "/x.db", "key store");
  EXPECT_EQ(ro.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(ro.message(), "key store: state directory " + dir +
                              " is read-only or not writable (the database file is read-only): cannot write " + dir +
                              "/x.db (attempt to write a readonly database)");
  // An I/O error in a writable directory is not the directory's fault.
  Status io = SqliteStatus(SQLITE_IOERR_READ, EIO, "disk I/O error", dir + "/x.db", "key store");
  EXPECT_EQ(io.code(), Status::Code::kIOError);
  EXPECT_EQ(io.message(), "key store: " + dir + "/x.db: disk I/O error");
}

}  // namespace
}  // namespace novelta
