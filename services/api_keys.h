// API keys and per-key rate limits.
//
// A key is shown once, when created; only its SHA-256 is stored (in the same
// database as the jobs). Scopes are ordered: read (GET) < write (also POST
// and DELETE) < admin (also every owner's jobs).
//
// Thread-safety: KeyStore and RateLimiter may be used concurrently.
#ifndef NOVELTA_SERVICES_API_KEYS_H_
#define NOVELTA_SERVICES_API_KEYS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "novelta/status.h"

struct sqlite3;

namespace novelta {

enum class Scope { kRead = 0, kWrite = 1, kAdmin = 2 };
const char* ScopeName(Scope s);  // "read", "write", "admin"
StatusOr<Scope> ParseScope(std::string_view name);

struct ApiKeyInfo {
  std::string name;
  Scope scope = Scope::kRead;
  int64_t created_us = 0;
};

class KeyStore {
 public:
  // Opens (creating if needed) the key table in `<state_dir>/novelta.db`. A
  // verified key is remembered for `cache_seconds` (0: every request reads
  // the table), so a key revoked by another process stops working within that
  // time; Revoke through this store takes effect at once.
  static StatusOr<std::unique_ptr<KeyStore>> Open(const std::string& state_dir, double cache_seconds = 10);
  ~KeyStore();

  // Creates a key named `name` and returns the key itself ("nvk_" + 48 hex
  // characters). AlreadyExists when the name is taken; InvalidArgument for a
  // name that is empty, longer than 64 bytes or not [A-Za-z0-9._-].
  StatusOr<std::string> Create(const std::string& name, Scope scope);
  // Registers a key chosen by the operator (the bootstrap key); replaces the
  // stored hash when the name exists.
  Status Put(const std::string& name, const std::string& key, Scope scope);
  // Unauthenticated when the key is unknown or revoked.
  StatusOr<ApiKeyInfo> Verify(const std::string& key);
  // NotFound when no key has that name.
  Status Revoke(const std::string& name);
  StatusOr<std::vector<ApiKeyInfo>> List();

 private:
  KeyStore(sqlite3* db, double cache_seconds) : db_(db), cache_ttl_(std::chrono::duration<double>(cache_seconds)) {}
  std::mutex mu_;
  sqlite3* db_;
  // Verified hashes, so a request costs one hash and no database read; entries
  // expire so a revocation takes effect within cache_ttl_.
  std::chrono::duration<double> cache_ttl_;
  struct CacheEntry {
    ApiKeyInfo info;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, CacheEntry> cache_;
};

// Token bucket per key: `burst` requests at once, refilled at `per_second`.
class RateLimiter {
 public:
  RateLimiter(double per_second, int burst) : rate_(per_second), burst_(burst) {}

  struct Decision {
    bool allowed = false;
    int limit = 0;            // RateLimit-Limit: the burst size
    int remaining = 0;        // RateLimit-Remaining: whole tokens left
    int reset_seconds = 0;    // RateLimit-Reset: seconds until the bucket is full
    int retry_after = 0;      // when refused: seconds until one token is back
  };
  // Takes one token from `key`'s bucket if it has one. `now` is injectable for tests.
  Decision Take(const std::string& key,
                std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());
  // Whether `key`'s bucket has a token, without taking it.
  Decision Peek(const std::string& key,
                std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  Decision Use(const std::string& key, std::chrono::steady_clock::time_point now, bool take);
  std::mutex mu_;
  double rate_;
  int burst_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_API_KEYS_H_
