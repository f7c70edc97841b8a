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

struct sqlite3;

namespace novelta {
namespace state_internal {

int64_t NowUs();

// The newest schema version; both backends' migrations end there.
constexpr int kSchemaVersion = 2;

// Opens `<dir>/novelta.db` for reading and writing (WAL, busy timeout) and
// migrates it. `what` names the store in errors ("job store").
StatusOr<sqlite3*> OpenSqlite(const std::string& dir, const std::string& what);

StatusOr<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& dir, const JobStoreOptions& options);
StatusOr<std::unique_ptr<KeyTable>> OpenSqliteKeyTable(const std::string& dir);
StatusOr<std::unique_ptr<JobStore>> OpenPgJobStore(const StateLocation& location, const JobStoreOptions& options);
StatusOr<std::unique_ptr<KeyTable>> OpenPgKeyTable(const StateLocation& location);

}  // namespace state_internal
}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_BACKENDS_H_
