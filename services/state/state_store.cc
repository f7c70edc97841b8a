// The two backends of JobStore and KeyTable, chosen by the state location;
// and the names both use.
#include <openssl/rand.h>

#include <cstdlib>

#include "services/state/backends.h"

namespace novelta {

const char* JobStatusName(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
  }
  return "failed";
}

StatusOr<JobStatus> ParseJobStatus(std::string_view name) {
  if (name == "queued") return JobStatus::kQueued;
  if (name == "running") return JobStatus::kRunning;
  if (name == "done") return JobStatus::kDone;
  if (name == "failed") return JobStatus::kFailed;
  return Status::InvalidArgument("unknown job status '" + std::string(name) +
                                 "' (expected queued, running, done or failed)");
}

const char* ScopeName(Scope s) {
  switch (s) {
    case Scope::kRead: return "read";
    case Scope::kWrite: return "write";
    case Scope::kAdmin: return "admin";
  }
  return "read";
}

StatusOr<Scope> ParseScope(std::string_view name) {
  if (name == "read") return Scope::kRead;
  if (name == "write") return Scope::kWrite;
  if (name == "admin") return Scope::kAdmin;
  return Status::InvalidArgument("unknown scope '" + std::string(name) + "' (expected read, write or admin)");
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // OpenSSL's generator failing is not recoverable; never hand out guessable ids.
    std::abort();
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

StatusOr<std::unique_ptr<JobStore>> OpenJobStore(const StateLocation& location, const JobStoreOptions& options) {
  if (!(options.lease_seconds >= 1 && options.lease_seconds <= 3600)) {
    return Status::InvalidArgument("lease_seconds must be in 1..3600");
  }
  if (location.kind == StateLocation::Kind::kPostgres) return state_internal::OpenPgJobStore(location, options);
  return state_internal::OpenSqliteJobStore(location.value, options);
}

StatusOr<std::unique_ptr<RateLimitTable>> OpenRateLimitTable(const StateLocation& location) {
  if (location.kind == StateLocation::Kind::kPostgres) return state_internal::OpenPgRateLimitTable(location);
  return std::unique_ptr<RateLimitTable>();
}

StatusOr<std::unique_ptr<KeyTable>> OpenKeyTable(const StateLocation& location) {
  if (location.kind == StateLocation::Kind::kPostgres) return state_internal::OpenPgKeyTable(location);
  return state_internal::OpenSqliteKeyTable(location.value);
}

}  // namespace novelta
