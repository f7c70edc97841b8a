// RateLimitTable on PostgreSQL: one upsert per decision, computed from the
// row as it was (ON CONFLICT DO UPDATE sees the old row), so concurrent
// requests of one key on several replicas queue on its row lock and each
// sees the tokens the previous one left.
#include "services/state/backends.h"
#include "services/state/pg_conn.h"
#include "services/state/rate_limit_table.h"

namespace novelta {
namespace state_internal {
namespace {

constexpr const char* kUse = R"sql(
INSERT INTO rate_buckets AS b (key, tokens, updated_us, allowed)
VALUES ($1, $2::float8 - $4::int, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, true)
ON CONFLICT (key) DO UPDATE SET
  allowed = LEAST($2::float8, b.tokens + GREATEST(0, EXCLUDED.updated_us - b.updated_us) / 1e6 * $3::float8) >= 1,
  tokens = LEAST($2::float8, b.tokens + GREATEST(0, EXCLUDED.updated_us - b.updated_us) / 1e6 * $3::float8)
           - CASE WHEN $4::int = 1 AND LEAST($2::float8, b.tokens + GREATEST(0, EXCLUDED.updated_us - b.updated_us)
                                             / 1e6 * $3::float8) >= 1 THEN 1 ELSE 0 END,
  updated_us = GREATEST(b.updated_us, EXCLUDED.updated_us)
RETURNING tokens, allowed
)sql";

class PgRateLimitTable : public RateLimitTable {
 public:
  explicit PgRateLimitTable(const StateLocation& location) : pool_(location, 4, "rate limits") {}
  PgPool* pool() { return &pool_; }

  StatusOr<BucketState> Use(const std::string& key, double per_second, int burst, bool take) override {
    NOVELTA_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
    NOVELTA_ASSIGN_OR_RETURN(auto r, conn.Exec(kUse,
                                               {key, std::to_string(burst), std::to_string(per_second),
                                                take ? std::string("1") : std::string("0")},
                                               "use"));
    if (r.rows() != 1) return Status::IOError("rate limits: use: no bucket returned");
    BucketState out;
    out.tokens = std::strtod(r.Text(0, 0).c_str(), nullptr);
    out.allowed = r.Text(0, 1) == "t";
    return out;
  }

 private:
  PgPool pool_;
};

}  // namespace

StatusOr<std::unique_ptr<RateLimitTable>> OpenPgRateLimitTable(const StateLocation& location) {
  auto table = std::make_unique<PgRateLimitTable>(location);
  NOVELTA_RETURN_IF_ERROR(MigratePg(table->pool(), "rate limits"));
  return std::unique_ptr<RateLimitTable>(std::move(table));
}

}  // namespace state_internal
}  // namespace novelta
