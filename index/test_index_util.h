// Test helper: builds the index of the project's tiny fixture corpus once per
// test binary, into a temporary directory.
#ifndef NOVELTA_INDEX_TEST_INDEX_UTIL_H_
#define NOVELTA_INDEX_TEST_INDEX_UTIL_H_

#include <filesystem>
#include <string>
#include <unistd.h>

#include "index/index_builder.h"

namespace novelta::testing {

inline std::string FixtureCorpusPath() {
  return std::string(NOVELTA_SOURCE_DIR) + "/corpora/fixtures/tiny-corpus.jsonl";
}

inline IndexBuildOptions SmallIndexOptions() {
  IndexBuildOptions o;
  o.tokenizer.vocab_size = 400;
  o.embedder.dimensions = 24;
  o.progress = false;
  return o;
}

// Builds (once) and returns the directory of the fixture index.
inline const std::string& FixtureIndexDir() {
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("novelta_fixture_index_" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    auto m = BuildIndex(FixtureCorpusPath(), d.string(), SmallIndexOptions());
    if (!m.ok()) throw std::runtime_error("fixture index build failed: " + m.status().ToString());
    return d.string();
  }();
  return dir;
}

}  // namespace novelta::testing

#endif  // NOVELTA_INDEX_TEST_INDEX_UTIL_H_
