#include "index/paper_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

namespace novelta {
namespace {

namespace fs = std::filesystem;

class PaperStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("novelta_store_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                                          ".db"))
                .string();
    fs::remove(path_);
  }
  void TearDown() override { fs::remove(path_); }
  static PaperRecord Record(int64_t row) {
    PaperRecord r;
    r.row = row;
    r.id = "p" + std::to_string(row);
    r.title = "Title " + std::to_string(row);
    r.abstract = "First sentence here. Second one.";
    r.date = *Date::Parse("2020-01-02");
    r.venue = "V";
    r.sentences = {{0, 20}, {21, 32}};
    return r;
  }
  // Runs SQL on the store file directly (to make old or damaged stores).
  void RawSql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  std::string path_;
};

TEST_F(PaperStoreTest, KeepsEachSentencesPiecesAndRowsWithout) {
  {
    auto store = PaperStore::Create(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    PaperRecord with = Record(0);
    with.sentence_pieces = {{5, 127, 128, 16383, 16384, 70000}, {0}};
    ASSERT_TRUE((*store)->Add(with).ok());
    ASSERT_TRUE((*store)->Add(Record(1)).ok());  // pieces unknown
    PaperRecord mismatched = Record(2);
    mismatched.sentence_pieces = {{1}};  // one list for two sentences
    Status s = (*store)->Add(mismatched);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    ASSERT_TRUE((*store)->Finish().ok());
  }
  auto store = PaperStore::Open(path_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->size(), 2);
  auto p0 = (*store)->Get(0);
  ASSERT_TRUE(p0.ok());
  EXPECT_EQ(p0->sentence_pieces, (std::vector<std::vector<int>>{{5, 127, 128, 16383, 16384, 70000}, {0}}));
  EXPECT_EQ(p0->sentences.size(), 2u);
  auto p1 = (*store)->Get(1);
  ASSERT_TRUE(p1.ok());
  EXPECT_TRUE(p1->sentence_pieces.empty());
  EXPECT_EQ(p1->title, "Title 1");
  // Reads reuse one statement: a miss, then a hit again, both come out right.
  EXPECT_TRUE((*store)->Get(7).status().IsNotFound());
  EXPECT_EQ((*store)->Get(0)->id, "p0");
}

TEST_F(PaperStoreTest, DamagedPiecesAreDroppedNotTrusted) {
  {
    auto store = PaperStore::Create(path_);
    ASSERT_TRUE(store.ok());
    PaperRecord r = Record(0);
    r.sentence_pieces = {{1, 2}, {3}};
    ASSERT_TRUE((*store)->Add(r).ok());
    ASSERT_TRUE((*store)->Finish().ok());
  }
  // Truncated varint, wrong sentence count, trailing bytes: each reads as "not known".
  for (const char* blob : {"x'0202'", "x'0101010101'", "x'020201020103ff'"}) {
    RawSql(std::string("UPDATE papers SET pieces = ") + blob + " WHERE row = 0;");
    auto store = PaperStore::Open(path_);
    ASSERT_TRUE(store.ok());
    auto p = (*store)->Get(0);
    ASSERT_TRUE(p.ok()) << blob;
    EXPECT_TRUE(p->sentence_pieces.empty()) << blob;
    EXPECT_EQ(p->sentences.size(), 2u);
  }
}

TEST_F(PaperStoreTest, ReadsAStoreWrittenBeforePiecesWereKept) {
  RawSql(
      "CREATE TABLE papers(row INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,"
      " abstract TEXT NOT NULL, date TEXT NOT NULL, venue TEXT NOT NULL, sentences TEXT NOT NULL);"
      "INSERT INTO papers VALUES(0, 'old', 'Old title', 'One. Two.', '2019-01-01', 'V', '0:4,5:9');");
  auto store = PaperStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto p = (*store)->Get(0);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, "old");
  EXPECT_EQ(p->sentences.size(), 2u);
  EXPECT_TRUE(p->sentence_pieces.empty());
}

}  // namespace
}  // namespace novelta
