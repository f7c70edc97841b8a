// Helpers shared by the libFuzzer targets: turning fuzz bytes into the
// std::string_view the parsers take, and checking invariants that every
// parser must keep whatever it is given.
#ifndef NOVELTA_FUZZ_FUZZ_UTIL_H_
#define NOVELTA_FUZZ_FUZZ_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "novelta/status.h"

namespace novelta::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// A broken invariant is a finding: abort so libFuzzer saves the input.
inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

// A parser's error must say what went wrong: an empty message is a finding.
inline void CheckError(const Status& s) {
  if (!s.ok()) Check(!s.message().empty(), "an error Status with an empty message");
}

}  // namespace novelta::fuzz

#endif  // NOVELTA_FUZZ_FUZZ_UTIL_H_
