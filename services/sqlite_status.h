// The Status for a failed SQLite call on the service's state (job store, API
// keys). A full disk is ResourceExhausted ("storage full") and a state
// directory that cannot be written FailedPrecondition, both naming the file,
// so they read clearly at start-up and the HTTP layer answers 503 (the
// server's storage, not the request, is at fault) instead of a generic 500.
// Anything else is IOError.
#ifndef NOVELTA_SERVICES_SQLITE_STATUS_H_
#define NOVELTA_SERVICES_SQLITE_STATUS_H_

#include <string>

#include "novelta/status.h"

namespace novelta {

// `rc`: the (extended) SQLite result code; `sys_errno`: sqlite3_system_errno;
// `message`: sqlite3_errmsg; `path`: the database file; `context`: what was
// being done ("job store: insert").
Status SqliteStatus(int rc, int sys_errno, const std::string& message, const std::string& path,
                    const std::string& context);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_SQLITE_STATUS_H_
