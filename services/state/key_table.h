// KeyTable: the stored API keys (SHA-256 of each key, never the key), in the
// same database as the jobs: SQLite under the state directory or PostgreSQL.
// Scopes are ordered: read (GET) < write (also POST and DELETE) < admin (also
// every owner's jobs).
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_STATE_KEY_TABLE_H_
#define NOVELTA_SERVICES_STATE_KEY_TABLE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"
#include "services/state/state_location.h"

namespace novelta {

enum class Scope { kRead = 0, kWrite = 1, kAdmin = 2 };
const char* ScopeName(Scope s);  // "read", "write", "admin"
StatusOr<Scope> ParseScope(std::string_view name);

struct ApiKeyInfo {
  std::string name;
  Scope scope = Scope::kRead;
  int64_t created_us = 0;
};

struct StoredKey {
  ApiKeyInfo info;
  std::string sha256;  // lower-case hex
};

class KeyTable {
 public:
  virtual ~KeyTable() = default;
  // AlreadyExists when `name` is taken (also by a revoked key).
  virtual Status Insert(const ApiKeyInfo& info, const std::string& sha256) = 0;
  // Inserts, or replaces the hash and scope of `name` and un-revokes it.
  virtual Status Upsert(const ApiKeyInfo& info, const std::string& sha256) = 0;
  // The key that is not revoked with this hash, or nullopt.
  virtual StatusOr<std::optional<StoredKey>> FindByHash(const std::string& sha256) = 0;
  // False when no key has that name.
  virtual StatusOr<bool> Revoke(const std::string& name) = 0;
  // Keys that are not revoked, by name.
  virtual StatusOr<std::vector<ApiKeyInfo>> List() = 0;
};

// Opens the key table at `location` (the same database as OpenJobStore,
// migrated the same way).
StatusOr<std::unique_ptr<KeyTable>> OpenKeyTable(const StateLocation& location);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_STATE_KEY_TABLE_H_
