// KeyTable on PostgreSQL, in the same database as the jobs.
#include "services/state/backends.h"
#include "services/state/pg_conn.h"

namespace novelta {
namespace state_internal {
namespace {

ApiKeyInfo ReadKeyInfo(const PgResult& r, int row) {
  ApiKeyInfo info;
  info.name = r.Text(row, 0);
  auto scope = ParseScope(r.Text(row, 1));
  info.scope = scope.ok() ? *scope : Scope::kRead;
  info.created_us = r.Int(row, 2);
  return info;
}

class PgKeyTable : public KeyTable {
 public:
  explicit PgKeyTable(const StateLocation& location) : pool_(location, 4, "key store") {}
  PgPool* pool() { return &pool_; }

  Status Insert(const ApiKeyInfo& info, const std::string& sha256) override {
    Status s = Write("INSERT INTO api_keys(name, key_sha256, scope, created_us) VALUES($1,$2,$3,$4::bigint)", info,
                     sha256, "create");
    if (s.code() == Status::Code::kAlreadyExists) {
      return Status::AlreadyExists("a key named '" + info.name + "' exists already");
    }
    return s;
  }
  Status Upsert(const ApiKeyInfo& info, const std::string& sha256) override {
    return Write("INSERT INTO api_keys(name, key_sha256, scope, created_us) VALUES($1,$2,$3,$4::bigint) "
                 "ON CONFLICT(name) DO UPDATE SET key_sha256=excluded.key_sha256, scope=excluded.scope, revoked=0",
                 info, sha256, "put");
  }

  StatusOr<std::optional<StoredKey>> FindByHash(const std::string& sha256) override {
    NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
    NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("SELECT name, scope, created_us, key_sha256 FROM api_keys "
                                               "WHERE key_sha256=$1 AND revoked=0",
                                               {sha256}, "verify"));
    if (r.rows() == 0) return std::optional<StoredKey>();
    return std::optional<StoredKey>(StoredKey{ReadKeyInfo(r, 0), r.Text(0, 3)});
  }

  StatusOr<bool> Revoke(const std::string& name) override {
    NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
    NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("UPDATE api_keys SET revoked=1 WHERE name=$1", {name}, "revoke"));
    return r.affected() > 0;
  }

  StatusOr<std::vector<ApiKeyInfo>> List() override {
    NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
    NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec("SELECT name, scope, created_us FROM api_keys WHERE revoked=0 "
                                               "ORDER BY name",
                                               {}, "list"));
    std::vector<ApiKeyInfo> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadKeyInfo(r, i));
    return out;
  }

 private:
  Status Write(const char* sql, const ApiKeyInfo& info, const std::string& sha256, const char* what) {
    NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
    return conn.Run(sql, {info.name, sha256, std::string(ScopeName(info.scope)), std::to_string(info.created_us)},
                    what);
  }
  PgPool pool_;
};

}  // namespace

StatusOr<std::unique_ptr<KeyTable>> OpenPgKeyTable(const StateLocation& location) {
  auto table = std::make_unique<PgKeyTable>(location);
  NOVELTA_RETURN_IF_ERROR(MigratePg(table->pool(), "key store"));
  return std::unique_ptr<KeyTable>(std::move(table));
}

}  // namespace state_internal
}  // namespace novelta
