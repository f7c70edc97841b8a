// Inside services/state: PostgreSQL connections through libpq. A pool of at
// most N connections per store, opened when first needed and dropped when
// they break, so a replica reconnects by itself once the server is back.
//
// Thread-safety: PgPool may be used concurrently; a PgPool::Conn and a
// PgResult belong to one thread.
#ifndef NOVELTA_SERVICES_STATE_PG_CONN_H_
#define NOVELTA_SERVICES_STATE_PG_CONN_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "novelta/status.h"
#include "services/state/state_location.h"

struct pg_conn;
struct pg_result;

namespace novelta {
namespace state_internal {

// The rows of one statement's result.
class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  int rows() const;
  int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched
  std::string Text(int row, int col) const;  // NULL reads as ""
  int64_t Int(int row, int col) const;       // NULL reads as 0

 private:
  pg_result* r_;
};

// A statement parameter: text, or NULL.
using PgParam = std::optional<std::string>;

class PgPool {
 public:
  // `what` names the store in errors ("job store").
  PgPool(StateLocation location, int max_connections, std::string what);
  ~PgPool();

  // A connection taken from the pool, given back when destroyed; one that
  // failed is closed instead.
  class Conn {
   public:
    // `pooled`: taken from the idle connections rather than just opened.
    Conn(PgPool* pool, pg_conn* c, bool pooled) : pool_(pool), c_(c), pooled_(pooled) {}
    Conn(Conn&& o) noexcept : pool_(o.pool_), c_(o.c_), pooled_(o.pooled_), used_(o.used_) { o.c_ = nullptr; }
    Conn& operator=(Conn&&) = delete;
    ~Conn();
    // Runs `sql` with $1.. bound to `params` (without parameters, `sql` may
    // hold several statements). A lost connection or server is
    // FailedPrecondition ("database unavailable"); a unique violation is
    // AlreadyExists; other errors IOError. `what` names the operation.
    StatusOr<PgResult> Exec(const char* sql, const std::vector<PgParam>& params, const std::string& what);
    // Exec for statements whose rows are not needed.
    Status Run(const char* sql, const std::vector<PgParam>& params, const std::string& what) {
      return Exec(sql, params, what).status();
    }

   private:
    PgPool* pool_;
    pg_conn* c_;
    bool pooled_;
    bool used_ = false;
    bool broken_ = false;
  };

  // Waits for a free connection, or opens one; FailedPrecondition when the
  // server cannot be reached.
  StatusOr<Conn> Acquire();
  const StateLocation& location() const { return location_; }

 private:
  // A new connection, not counted in the pool.
  StatusOr<pg_conn*> Connect();
  void Release(pg_conn* c, bool broken);
  const StateLocation location_;
  const int max_;
  const std::string what_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<pg_conn*> idle_;
  int open_ = 0;  // idle and lent
};

// Applies the schema migrations not yet applied, under an advisory lock so
// that replicas starting together apply each one once.
Status MigratePg(PgPool* pool, const std::string& what);

}  // namespace state_internal
}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_PG_CONN_H_
