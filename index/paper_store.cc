#include "index/paper_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>

#include "base/sqlite.h"

namespace novelta {
namespace {

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::IOError(what + ": " + (db ? sqlite3_errmsg(db) : "sqlite error"));
}

// The store's file, so errors such as a full disk say where.
std::string FileOf(sqlite3* db) {
  const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
  return name && *name ? name : "paper store";
}

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    return Status::IOError(FileOf(db) + ": paper store: " + msg);
  }
  return Status::OK();
}

// Sentence spans are stored compactly as "s:e,s:e,...".
std::string EncodeSpans(const std::vector<SentenceSpan>& spans) {
  std::string out;
  for (const auto& s : spans) {
    if (!out.empty()) out += ',';
    out += std::to_string(s.start) + ':' + std::to_string(s.end);
  }
  return out;
}

std::vector<SentenceSpan> DecodeSpans(const char* text) {
  std::vector<SentenceSpan> out;
  if (!text) return out;
  unsigned long long s = 0, e = 0;
  int consumed = 0;
  const char* p = text;
  while (std::sscanf(p, "%llu:%llu%n", &s, &e, &consumed) == 2) {
    out.push_back({static_cast<size_t>(s), static_cast<size_t>(e)});
    p += consumed;
    if (*p != ',') break;
    ++p;
  }
  return out;
}

// Sentence pieces as LEB128 varints: the sentence count, then per sentence
// its piece count and ids.
void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(const unsigned char** p, const unsigned char* end, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    const unsigned char b = *(*p)++;
    *v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

std::string EncodePieces(const std::vector<std::vector<int>>& pieces) {
  std::string out;
  if (pieces.empty()) return out;
  PutVarint(pieces.size(), &out);
  for (const auto& s : pieces) {
    PutVarint(s.size(), &out);
    for (int id : s) PutVarint(static_cast<uint32_t>(id), &out);
  }
  return out;
}

// Empty unless the blob is well formed and has one list per sentence (then
// readers fall back to tokenizing, so a bad blob costs time, never results).
std::vector<std::vector<int>> DecodePieces(const void* blob, int bytes, size_t sentences) {
  std::vector<std::vector<int>> out;
  if (blob == nullptr || bytes <= 0) return out;
  const unsigned char* p = static_cast<const unsigned char*>(blob);
  const unsigned char* end = p + bytes;
  uint64_t n = 0;
  if (!GetVarint(&p, end, &n) || n != sentences) return {};
  out.resize(n);
  for (auto& s : out) {
    uint64_t count = 0;
    if (!GetVarint(&p, end, &count) || count > static_cast<uint64_t>(end - p)) return {};
    s.resize(count);
    for (auto& id : s) {
      uint64_t v = 0;
      if (!GetVarint(&p, end, &v) || v > INT32_MAX) return {};
      id = static_cast<int>(v);
    }
  }
  if (p != end) return {};
  return out;
}

}  // namespace

PaperStore::~PaperStore() {
  get_.reset();  // statements are finalised before their connection closes
  insert_.reset();
  sqlite3_close(db_);
}

StatusOr<std::unique_ptr<PaperStore>> PaperStore::Create(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Status s = SqlError(db, path);
    sqlite3_close(db);
    return s;
  }
  auto store = std::unique_ptr<PaperStore>(new PaperStore(db));
  NOVELTA_RETURN_IF_ERROR(Exec(db,
                               "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "CREATE TABLE papers(row INTEGER PRIMARY KEY, id TEXT NOT NULL,"
                               " title TEXT NOT NULL, abstract TEXT NOT NULL, date TEXT NOT NULL,"
                               " venue TEXT NOT NULL, sentences TEXT NOT NULL, pieces BLOB);"
                               "BEGIN;"));
  store->writing_ = true;
  store->has_pieces_ = true;
  return store;
}

StatusOr<std::unique_ptr<PaperStore>> PaperStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    Status s = SqlError(db, path);
    sqlite3_close(db);
    return s;
  }
  auto store = std::unique_ptr<PaperStore>(new PaperStore(db));
  // Reads map the file instead of copying pages through read() calls (a
  // paper read was mostly system calls); the OS shares and evicts the pages.
  NOVELTA_RETURN_IF_ERROR(Exec(db, "PRAGMA mmap_size=17179869184;"));
  SqliteStatement count(db, "SELECT COUNT(*) FROM papers");
  if (!count.ok() || count.Step() != SQLITE_ROW)
    return Status::Corruption(path + ": not a paper store: " + sqlite3_errmsg(db));
  store->size_ = count.Int(0);
  // Stores written before sentence pieces were kept lack the column.
  store->has_pieces_ = SqliteStatement(db, "SELECT pieces FROM papers LIMIT 0").ok();
  return store;
}

Status PaperStore::Add(const PaperRecord& r) {
  if (!writing_) return Status::FailedPrecondition("paper store is read-only");
  if (r.row != size_)
    return Status::InvalidArgument("paper store: rows must be added in order (expected " +
                                   std::to_string(size_) + ", got " + std::to_string(r.row) + ")");
  if (insert_ == nullptr) {
    insert_ = std::make_unique<SqliteStatement>(db_, "INSERT INTO papers VALUES(?,?,?,?,?,?,?,?)");
    if (!insert_->ok()) {
      insert_.reset();
      return SqlError(db_, FileOf(db_) + ": paper store insert");
    }
  }
  SqliteStatement& st = *insert_;
  if (!r.sentence_pieces.empty() && r.sentence_pieces.size() != r.sentences.size())
    return Status::InvalidArgument("paper store: row " + std::to_string(r.row) + " has " +
                                   std::to_string(r.sentences.size()) + " sentences but pieces for " +
                                   std::to_string(r.sentence_pieces.size()));
  std::string date = r.date.ToString(), spans = EncodeSpans(r.sentences),
              pieces = EncodePieces(r.sentence_pieces);
  st.Bind(1, r.row);
  st.BindUnowned(2, r.id);
  st.BindUnowned(3, r.title);
  st.BindUnowned(4, r.abstract);
  st.BindUnowned(5, date);
  st.BindUnowned(6, r.venue);
  st.BindUnowned(7, spans);
  if (pieces.empty())
    st.BindNull(8);
  else
    st.BindUnownedBlob(8, pieces);
  const int rc = st.Step();
  st.Reset();  // also clears the bindings: the bound texts are the caller's
  if (rc != SQLITE_DONE) return SqlError(db_, FileOf(db_) + ": paper store insert");
  ++size_;
  return Status::OK();
}

Status PaperStore::Finish() {
  if (!writing_) return Status::OK();
  writing_ = false;
  return Exec(db_, "COMMIT;");
}

StatusOr<PaperRecord> PaperStore::Get(int64_t row) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (get_ == nullptr) {
    get_ = std::make_unique<SqliteStatement>(
        db_, has_pieces_ ? "SELECT id,title,abstract,date,venue,sentences,pieces FROM papers WHERE row=?"
                         : "SELECT id,title,abstract,date,venue,sentences FROM papers WHERE row=?");
    if (!get_->ok()) {
      get_.reset();
      return SqlError(db_, "paper store read");
    }
  }
  SqliteStatement& st = *get_;
  // Reset on every way out, so the next read starts clean.
  struct ResetOnExit {
    SqliteStatement& st;
    ~ResetOnExit() { st.Reset(); }
  } reset{st};
  st.Bind(1, row);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("paper row " + std::to_string(row));
  if (rc != SQLITE_ROW) return SqlError(db_, "paper store read");
  PaperRecord r;
  r.row = row;
  r.id = st.Text(0);
  r.title = st.Text(1);
  r.abstract = st.Text(2);
  auto d = Date::Parse(st.Text(3));
  if (d.ok()) r.date = *d;
  r.venue = st.Text(4);
  r.sentences = DecodeSpans(st.Text(5).c_str());
  if (has_pieces_) {
    std::string_view pieces = st.Blob(6);
    r.sentence_pieces = DecodePieces(pieces.data(), static_cast<int>(pieces.size()), r.sentences.size());
  }
  return r;
}

Status PaperStore::ForEachTitle(
    const std::function<void(int64_t, const std::string&, const std::string&, const Date&,
                             const std::string&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement st(db_, "SELECT row,id,title,date,venue FROM papers ORDER BY row");
  if (!st.ok()) return SqlError(db_, "paper store scan");
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    auto d = Date::Parse(st.Text(3));
    fn(st.Int(0), st.Text(1), st.Text(2), d.ok() ? *d : Date(), st.Text(4));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "paper store scan");
  return Status::OK();
}

}  // namespace novelta

namespace novelta {

Status PaperStore::ForEachText(
    const std::function<void(int64_t, const std::string&, const std::string&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement st(db_, "SELECT row,title,abstract FROM papers ORDER BY row");
  if (!st.ok()) return SqlError(db_, "paper store scan");
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) fn(st.Int(0), st.Text(1), st.Text(2));
  if (rc != SQLITE_DONE) return SqlError(db_, "paper store scan");
  return Status::OK();
}

}  // namespace novelta
