// Inside services/state (not for other callers): the two backends behind
// JobStore and KeyTable, and what they share.
#ifndef NOVELTA_SERVICES_STATE_BACKENDS_H_
#define NOVELTA_SERVICES_STATE_BACKENDS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "novelta/status.h"
#include "services/state/job_store.h"
#include "services/state/key_table.h"
#include "services/state/rate_limit_table.h"

struct sqlite3;

namespace novelta {
namespace state_internal {

int64_t NowUs();

// The newest schema version of each backend.
constexpr int kSqliteSchemaVersion = 2;
constexpr int kPgSchemaVersion = 3;  // PostgreSQL: also the shared rate-limit buckets

// Opens `<dir>/novelta.db` for reading and writing (WAL, busy timeout) and
// migrates it. `what` names the store in errors ("job store").
StatusOr<sqlite3*> OpenSqlite(const std::string& dir, const std::string& what);

StatusOr<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& dir, const JobStoreOptions& options);
StatusOr<std::unique_ptr<KeyTable>> OpenSqliteKeyTable(const std::string& dir);
StatusOr<std::unique_ptr<JobStore>> OpenPgJobStore(const StateLocation& location, const JobStoreOptions& options);
StatusOr<std::unique_ptr<KeyTable>> OpenPgKeyTable(const StateLocation& location);
StatusOr<std::unique_ptr<RateLimitTable>> OpenPgRateLimitTable(const StateLocation& location);

}  // namespace state_internal
}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_BACKENDS_H_
