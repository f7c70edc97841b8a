// SHA-256 for manifests (tokenizer, model and index checksums) and API-key hashes.
#ifndef NOVELTA_BASE_HASH_H_
#define NOVELTA_BASE_HASH_H_

#include <string>
#include <string_view>

#include "base/env.h"
#include "novelta/status.h"

namespace novelta {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Lower-case hex SHA-256 of a file's bytes, streamed in 64 KiB pieces through
// `env` (Env::NewSequentialFile), whose errors it returns. Default env:
// Env::Default(), the POSIX file system.
StatusOr<std::string> Sha256File(const std::string& path, Env* env = Env::Default());
// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace novelta

#endif  // NOVELTA_BASE_HASH_H_
