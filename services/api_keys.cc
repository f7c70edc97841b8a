#include "services/api_keys.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "base/hash.h"
#include "services/state/job_store.h"

namespace novelta {
namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return Status::InvalidArgument("key name must be 1 to 64 characters");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return Status::InvalidArgument("key name '" + name + "' may only use A-Z a-z 0-9 . _ -");
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::unique_ptr<KeyStore>> KeyStore::Open(const StateLocation& location, double cache_seconds) {
  NOVELTA_ASSIGN_OR_RETURN(auto table, OpenKeyTable(location));
  return std::unique_ptr<KeyStore>(new KeyStore(std::move(table), cache_seconds));
}

StatusOr<std::string> KeyStore::Create(const std::string& name, Scope scope) {
  NOVELTA_RETURN_IF_ERROR(ValidName(name));
  std::string key = "nvk_" + RandomHex(24);
  NOVELTA_RETURN_IF_ERROR(table_->Insert(ApiKeyInfo{name, scope, NowUs()}, Sha256Hex(key)));
  return key;
}

Status KeyStore::Put(const std::string& name, const std::string& key, Scope scope) {
  NOVELTA_RETURN_IF_ERROR(ValidName(name));
  NOVELTA_RETURN_IF_ERROR(table_->Upsert(ApiKeyInfo{name, scope, NowUs()}, Sha256Hex(key)));
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
  return Status::OK();
}

StatusOr<ApiKeyInfo> KeyStore::Verify(const std::string& key) {
  const Status unknown = Status::Unauthenticated("the API key is not valid");
  if (key.empty() || key.size() > 256) return unknown;
  std::string hash = Sha256Hex(key);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires > now) return it->second.info;
  }
  NOVELTA_ASSIGN_OR_RETURN(auto stored, table_->FindByHash(hash));
  std::lock_guard<std::mutex> lock(mu_);
  if (!stored || !ConstantTimeEquals(stored->sha256, hash)) {
    cache_.erase(hash);
    return unknown;
  }
  if (cache_.size() > 10000) cache_.clear();
  if (cache_ttl_.count() > 0) {
    cache_[hash] = {stored->info,
                    now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(cache_ttl_)};
  }
  return stored->info;
}

Status KeyStore::Revoke(const std::string& name) {
  NOVELTA_ASSIGN_OR_RETURN(bool found, table_->Revoke(name));
  if (!found) return Status::NotFound("no key named '" + name + "'");
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
  return Status::OK();
}

StatusOr<std::vector<ApiKeyInfo>> KeyStore::List() { return table_->List(); }

RateLimiter::Decision RateLimiter::Take(const std::string& key, std::chrono::steady_clock::time_point now) {
  return Use(key, now, true);
}

RateLimiter::Decision RateLimiter::Peek(const std::string& key, std::chrono::steady_clock::time_point now) {
  return Use(key, now, false);
}

RateLimiter::Decision RateLimiter::Use(const std::string& key, std::chrono::steady_clock::time_point now,
                                       bool take) {
  if (shared_) {
    auto bucket = shared_->Use(key, rate_, burst_, take);
    if (bucket.ok()) {
      Decision d;
      d.limit = burst_;
      d.allowed = bucket->allowed;
      if (!d.allowed) d.retry_after = static_cast<int>(std::ceil((1.0 - bucket->tokens) / rate_));
      d.remaining = static_cast<int>(std::floor(bucket->tokens));
      d.reset_seconds = static_cast<int>(std::ceil((burst_ - bucket->tokens) / rate_));
      return d;
    }
    spdlog::warn("rate limits: {}; this replica's bucket decides", bucket.status().ToString());
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() > 100000) buckets_.clear();  // bound memory; buckets refill anyway
    it = buckets_.emplace(key, Bucket{static_cast<double>(burst_), now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min<double>(burst_, b.tokens + elapsed * rate_);
    b.updated = now;
  }
  Decision d;
  d.limit = burst_;
  if (b.tokens >= 1.0) {
    if (take) b.tokens -= 1.0;
    d.allowed = true;
  } else {
    d.retry_after = static_cast<int>(std::ceil((1.0 - b.tokens) / rate_));
  }
  d.remaining = static_cast<int>(std::floor(b.tokens));
  d.reset_seconds = static_cast<int>(std::ceil((burst_ - b.tokens) / rate_));
  return d;
}

}  // namespace novelta
