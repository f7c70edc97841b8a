// Where the service keeps its jobs and API keys: a directory (SQLite, the
// embedded default) or a PostgreSQL database named by a URI, for several
// replicas sharing one queue.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_SERVICES_STATE_STATE_LOCATION_H_
#define NOVELTA_SERVICES_STATE_STATE_LOCATION_H_

#include <string>

#include "novelta/status.h"

namespace novelta {

struct StateLocation {
  enum class Kind { kDirectory, kPostgres };
  Kind kind = Kind::kDirectory;
  // The directory, or the URI exactly as given (libpq reads it, and fills
  // what it leaves out from PGHOST, PGPASSWORD and the other PG* variables).
  std::string value;
  // `value` fit for logs and error messages: a password in the URI is masked.
  std::string Display() const;
};

// "postgresql://..." and "postgres://..." name a PostgreSQL database; any
// other "scheme://" is InvalidArgument (never taken for a directory named
// "scheme:"); anything else is a directory. Empty is InvalidArgument.
StatusOr<StateLocation> ParseStateLocation(const std::string& text);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_STATE_LOCATION_H_
