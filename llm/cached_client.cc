// CachedClient: answers kept in one SQLite table, so that a re-run of the
// same requests makes no call and gets the same answers.
//
// A row's key is the lower-case hex SHA-256 of a canonical JSON (keys
// sorted, no spaces) of the inner client's model and the request: system,
// user, schema_name, schema and max_tokens. Sampling settings of the inner
// client (temperature) are not part of it. A row holds the answer's content
// (JSON text) and its token counts; a hit returns them with cached = true
// and adds nothing to the token counters. A row that no longer parses or no
// longer satisfies the request's schema is treated as a miss and replaced.
//
// usage(): calls, tokens and invalid answers are the inner client's (copied
// after each Complete and on each usage() call); cache_hits are this
// client's.
//
// Thread-safety: one connection, used under a mutex; the inner client is
// called without holding it, so misses proceed concurrently (two identical
// misses at once both call and the later write wins).
#include <sqlite3.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <memory>
#include <mutex>
#include <optional>

#include "base/hash.h"
#include "base/sqlite.h"
#include "llm/llm_client.h"

namespace novelta {
namespace {

constexpr const char* kWhat = "llm cache";

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS llm_answers ("
    "  key TEXT PRIMARY KEY,"
    "  model TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  prompt_tokens INTEGER NOT NULL,"
    "  completion_tokens INTEGER NOT NULL,"
    "  created INTEGER NOT NULL)";

Status Exec(sqlite3* db, const char* sql, const std::string& path) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db, path, std::string(kWhat) + ": open");
  return Status::OK();
}

class CachedClient final : public LlmClient {
 public:
  CachedClient(std::unique_ptr<LlmClient> inner, sqlite3* db, std::string path)
      : inner_(std::move(inner)),
        db_(db),
        path_(std::move(path)),
        select_(std::make_unique<SqliteStatement>(
            db, "SELECT content, prompt_tokens, completion_tokens FROM llm_answers WHERE key = ?")),
        insert_(std::make_unique<SqliteStatement>(
            db,
            "INSERT OR REPLACE INTO llm_answers"
            " (key, model, content, prompt_tokens, completion_tokens, created)"
            " VALUES (?, ?, ?, ?, ?, ?)")) {}
  ~CachedClient() override {
    select_.reset();  // statements are finalised before the connection closes
    insert_.reset();
    sqlite3_close(db_);
  }

  bool ok() const { return select_->ok() && insert_->ok(); }

  StatusOr<LlmAnswer> Complete(const LlmRequest& request) override {
    try {
      return DoComplete(request);
    } catch (const std::exception& e) {
      return Status::Internal(std::string(kWhat) + ": " + e.what());
    }
  }
  std::string model() const override { return inner_->model(); }
  const LlmUsage& usage() const override {
    SyncUsage();
    return usage_;
  }

 private:
  StatusOr<LlmAnswer> DoComplete(const LlmRequest& request);
  std::string Key(const LlmRequest& request) const;
  // The stored answer for `key`, if any (nullopt on a miss).
  StatusOr<std::optional<LlmAnswer>> Lookup(const std::string& key, const LlmRequest& request);
  Status Store(const std::string& key, const LlmAnswer& answer);
  void SyncUsage() const {
    const LlmUsage& in = inner_->usage();
    usage_.calls.store(in.calls.load());
    usage_.prompt_tokens.store(in.prompt_tokens.load());
    usage_.completion_tokens.store(in.completion_tokens.load());
    usage_.invalid_answers.store(in.invalid_answers.load());
  }

  const std::unique_ptr<LlmClient> inner_;
  sqlite3* const db_;
  const std::string path_;
  std::mutex mu_;  // guards db_ and the statements
  std::unique_ptr<SqliteStatement> select_;
  std::unique_ptr<SqliteStatement> insert_;
  mutable LlmUsage usage_;
};

std::string CachedClient::Key(const LlmRequest& request) const {
  Json canonical = Json::object({
      {"model", inner_->model()},
      {"system", request.system},
      {"user", request.user},
      {"schema_name", request.schema_name},
      {"schema", request.schema},
      {"max_tokens", request.max_tokens},
  });
  return Sha256Hex(DumpJson(canonical));  // nlohmann's objects keep keys sorted
}

StatusOr<std::optional<LlmAnswer>> CachedClient::Lookup(const std::string& key, const LlmRequest& request) {
  std::string content;
  LlmAnswer answer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    select_->Reset();
    select_->Bind(1, key);
    int rc = select_->Step();
    if (rc == SQLITE_DONE) return std::optional<LlmAnswer>();
    if (rc != SQLITE_ROW) {
      Status s = SqliteError(db_, path_, std::string(kWhat) + ": read");
      select_->Reset();
      return s;
    }
    content = select_->Text(0);
    answer.prompt_tokens = select_->Int(1);
    answer.completion_tokens = select_->Int(2);
    select_->Reset();
  }
  auto parsed = ParseJson(content, "cached answer");
  Status valid = parsed.ok() ? CheckJsonSchema(*parsed, request.schema) : parsed.status();
  if (!valid.ok()) {
    spdlog::warn("{}: {}: ignoring a stored answer: {}", kWhat, path_, valid.ToString());
    return std::optional<LlmAnswer>();
  }
  answer.content = std::move(*parsed);
  answer.cached = true;
  return std::optional<LlmAnswer>(std::move(answer));
}

Status CachedClient::Store(const std::string& key, const LlmAnswer& answer) {
  std::lock_guard<std::mutex> lock(mu_);
  insert_->Reset();
  insert_->Bind(1, key);
  insert_->Bind(2, inner_->model());
  insert_->Bind(3, DumpJson(answer.content));
  insert_->Bind(4, answer.prompt_tokens);
  insert_->Bind(5, answer.completion_tokens);
  insert_->Bind(6, static_cast<int64_t>(std::time(nullptr)));
  int rc = insert_->Step();
  Status s = rc == SQLITE_DONE ? Status::OK() : SqliteError(db_, path_, std::string(kWhat) + ": write");
  insert_->Reset();
  return s;
}

StatusOr<LlmAnswer> CachedClient::DoComplete(const LlmRequest& request) {
  const std::string key = Key(request);
  NOVELTA_ASSIGN_OR_RETURN(std::optional<LlmAnswer> hit, Lookup(key, request));
  if (hit) {
    usage_.cache_hits.fetch_add(1);
    return std::move(*hit);
  }
  StatusOr<LlmAnswer> answer = inner_->Complete(request);
  SyncUsage();
  if (!answer.ok()) return answer;
  // The inner client validates, but a cache must never hand out an answer
  // that breaks its schema, whatever the inner client is.
  if (Status valid = CheckJsonSchema(answer->content, request.schema); !valid.ok()) return valid;
  Status stored = Store(key, *answer);
  if (!stored.ok()) spdlog::warn("{}: answer not stored: {}", kWhat, stored.ToString());
  answer->cached = false;
  return answer;
}

}  // namespace

StatusOr<std::unique_ptr<LlmClient>> NewCachedClient(std::unique_ptr<LlmClient> inner, const std::string& path) {
  if (!inner) return Status::InvalidArgument(std::string(kWhat) + ": no inner client");
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = db ? SqliteError(db, path, std::string(kWhat) + ": cannot open")
                  : Status::ResourceExhausted(std::string(kWhat) + ": cannot open " + path + ": out of memory");
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  Status s = Exec(db, "PRAGMA journal_mode=WAL", path);
  if (s.ok()) s = Exec(db, kSchema, path);
  if (!s.ok()) {
    sqlite3_close(db);
    return s;
  }
  auto client = std::make_unique<CachedClient>(std::move(inner), db, path);
  if (!client->ok()) return SqliteError(db, path, std::string(kWhat) + ": prepare");
  return std::unique_ptr<LlmClient>(std::move(client));
}

}  // namespace novelta
