// PaperStore: the corpus papers' metadata and abstracts, with each abstract's
// sentence spans (the passages stage 3 quotes), in one SQLite file. Rows are
// 0-based and match the rows of the vector index.
//
// Thread-safety: a store opened for reading may be used from many threads
// (calls are serialised on one connection); a store being written is
// single-threaded.
#ifndef NOVELTA_INDEX_PAPER_STORE_H_
#define NOVELTA_INDEX_PAPER_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/sentence_splitter.h"
#include "base/sqlite.h"
#include "novelta/status.h"
#include "novelta/date.h"

struct sqlite3;

namespace novelta {

struct PaperRecord {
  int64_t row = -1;
  std::string id;
  std::string title;
  std::string abstract;
  Date date;
  std::string venue;
  std::vector<SentenceSpan> sentences;  // byte spans of the abstract's sentences
  // Per sentence, its pieces (Tokenizer::EncodeForMatching), encoded once at
  // build time so stage 3 need not tokenize the passages it compares again.
  // Empty when not known (a store written before they were kept): readers
  // then tokenize the sentences themselves.
  std::vector<std::vector<int>> sentence_pieces;
};

class PaperStore {
 public:
  ~PaperStore();
  // Creates a new store file (it must not exist) for bulk writing.
  static StatusOr<std::unique_ptr<PaperStore>> Create(const std::string& path);
  // Opens an existing store read-only.
  static StatusOr<std::unique_ptr<PaperStore>> Open(const std::string& path);

  // Appends a paper at row `record.row` (rows must be added in order 0, 1, ...).
  Status Add(const PaperRecord& record);
  // Commits everything added so far.
  Status Finish();

  StatusOr<PaperRecord> Get(int64_t row) const;
  // Calls `fn` with every paper's row, id, title, date and venue, in row order
  // (abstracts are not read).
  Status ForEachTitle(
      const std::function<void(int64_t row, const std::string& id, const std::string& title,
                               const Date& date, const std::string& venue)>& fn) const;
  // Calls `fn` with every paper's row, title and abstract, in row order.
  Status ForEachText(const std::function<void(int64_t row, const std::string& title,
                                              const std::string& abstract)>& fn) const;
  int64_t size() const { return size_; }

 private:
  explicit PaperStore(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  mutable std::mutex mu_;  // guards db_ and the statements
  // Prepared once and reset after each use (preparing costs more than a read).
  mutable std::unique_ptr<SqliteStatement> get_;
  std::unique_ptr<SqliteStatement> insert_;
  int64_t size_ = 0;
  bool writing_ = false;
  bool has_pieces_ = false;  // the store has the sentence_pieces column
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_PAPER_STORE_H_
