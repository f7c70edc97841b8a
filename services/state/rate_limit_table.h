// RateLimitTable: token buckets kept in the database, so that a key's rate
// limit holds across every replica sharing it rather than per replica. Each
// decision is one statement on the bucket's row, timed by the database's
// clock (replicas' clocks may differ). PostgreSQL only: on a state directory
// the buckets stay in each process (OpenRateLimitTable returns nullptr).
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_STATE_RATE_LIMIT_TABLE_H_
#define NOVELTA_SERVICES_STATE_RATE_LIMIT_TABLE_H_

#include <memory>
#include <string>

#include "novelta/status.h"
#include "services/state/state_location.h"

namespace novelta {

struct BucketState {
  bool allowed = false;  // a token was there (and, when taking, was taken)
  double tokens = 0;     // left after the decision
};

class RateLimitTable {
 public:
  virtual ~RateLimitTable() = default;
  // Refills `key`'s bucket (at most `burst` tokens, `per_second` a second)
  // and, when `take`, takes one token if there is one.
  virtual StatusOr<BucketState> Use(const std::string& key, double per_second, int burst, bool take) = 0;
};

// The shared buckets of the PostgreSQL database at `location`; nullptr for a
// directory.
StatusOr<std::unique_ptr<RateLimitTable>> OpenRateLimitTable(const StateLocation& location);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_RATE_LIMIT_TABLE_H_
