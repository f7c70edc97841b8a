// LoadOncePerPath: a trained model file is read once per process and path,
// however many assessors use it, and a file that cannot be loaded is
// reported once (one warning line on stderr), not once per assessor.
//
// Thread-safety: safe to call concurrently.
#ifndef NOVELTA_BASE_MODEL_CACHE_H_
#define NOVELTA_BASE_MODEL_CACHE_H_

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace novelta {

// The model at `path`, loaded by `load(path, &warning)` on the first call for
// that path (a null model and a warning when it cannot be); later calls
// return the same model. Each call site (each `Load` type) has its own cache.
template <typename T, typename Load>
std::shared_ptr<const T> LoadOncePerPath(const std::string& path, Load load) {
  static std::mutex mu;
  static auto* loaded = new std::map<std::string, std::shared_ptr<const T>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = loaded->find(path);
  if (it != loaded->end()) return it->second;
  std::string warning;
  std::shared_ptr<const T> model = load(path, &warning);
  if (!warning.empty()) std::fprintf(stderr, "%s\n", warning.c_str());
  return (*loaded)[path] = model;
}

}  // namespace novelta

#endif  // NOVELTA_BASE_MODEL_CACHE_H_
