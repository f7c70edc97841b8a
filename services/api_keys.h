// API keys and per-key rate limits.
//
// A key is shown once, when created; only its SHA-256 is stored, in the
// KeyTable of the state (services/state/key_table.h: the same database as
// the jobs, shared by every replica).
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
#include "services/state/key_table.h"
#include "services/state/rate_limit_table.h"

namespace novelta {

class KeyStore {
 public:
  // Opens (creating if needed) the key table at `location`. A verified key is
  // remembered for `cache_seconds` (0: every request reads the table), so a
  // key revoked by another process or replica stops working within that
  // time; Revoke through this store takes effect at once.
  static StatusOr<std::unique_ptr<KeyStore>> Open(const StateLocation& location, double cache_seconds = 10);
  // Open on a directory (SQLite).
  static StatusOr<std::unique_ptr<KeyStore>> Open(const std::string& state_dir, double cache_seconds = 10) {
    return Open(StateLocation{StateLocation::Kind::kDirectory, state_dir}, cache_seconds);
  }

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
  KeyStore(std::unique_ptr<KeyTable> table, double cache_seconds)
      : table_(std::move(table)), cache_ttl_(std::chrono::duration<double>(cache_seconds)) {}
  const std::unique_ptr<KeyTable> table_;
  std::mutex mu_;  // guards cache_
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
// The buckets are this process's, unless shared through a RateLimitTable:
// then every replica on the database draws from the same bucket of a key.
class RateLimiter {
 public:
  RateLimiter(double per_second, int burst) : rate_(per_second), burst_(burst) {}

  // Keeps the buckets in `shared` from now on (nullptr: in this process).
  // When the table cannot be reached, this process's bucket decides, so a
  // database outage never refuses or admits everyone.
  void ShareThrough(std::unique_ptr<RateLimitTable> shared) { shared_ = std::move(shared); }

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
  std::unique_ptr<RateLimitTable> shared_;
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_API_KEYS_H_
