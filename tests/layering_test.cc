// The layers of the source tree, lowest first: a file may include headers of
// its own folder and of lower layers, never of a higher layer or of another
// folder of its own layer. This test reads every source file's #include
// "..." lines and fails on each include that breaks the rule.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Folder -> layer. A file belongs to the longest folder that prefixes its path.
const std::vector<std::pair<std::string, int>>& Layers() {
  static const std::vector<std::pair<std::string, int>> layers = {
      {"include/novelta", 0},     // the public API: status, date, model, options, assessor
      {"base", 1},                // Status helpers, Env, text, JSON, hashing
      {"model", 2},               // the data model's JSON form
      {"corpora", 2},             // the corpus format and importers
      {"index", 3},               // storage and search
      {"llm", 3},                 // the LLM client: OpenAI-compatible, cached
      {"pipeline/ingest", 4},     // reading submissions
      {"pipeline/extract", 5},    // stage 1
      {"pipeline/llm", 5},        // stages 1 and 3 asked of a model (the optional LLM engine)
      {"pipeline/retrieve", 6},   // stage 2
      {"pipeline/compare", 7},    // stage 3
      {"pipeline", 8},            // the assessor: the stages end to end
      {"alignment", 9},           // agreement with human reviews
      {"evaluation", 10},         // the pipeline on a labelled dataset
      {"services/state", 11},     // the job queue and API keys: SQLite or PostgreSQL
      {"services", 12},           // the REST service core and report pages
      {"services/http", 13},      // the HTTP adapter
      {"tools", 14},              // the novelta binary
      {"tests", 15},
      {"bench", 15},
      {"fuzz", 15},
  };
  return layers;
}

// The folder of Layers() a path belongs to, or "" for none.
std::string FolderOf(const std::string& path) {
  std::string best;
  for (const auto& [folder, layer] : Layers())
    if (path.rfind(folder + "/", 0) == 0 && folder.size() > best.size()) best = folder;
  return best;
}

int LayerOf(const std::string& folder) {
  for (const auto& [f, layer] : Layers())
    if (f == folder) return layer;
  return -1;
}

struct SourceFile {
  std::string path;                   // relative to the source root
  std::vector<std::string> includes;  // the quoted includes, as written
};

// Every include of `files` that goes up a layer or sideways, as
// "from -> to"; includes of unknown folders are not judged. Headers of the
// public API are named "novelta/x.h" and belong to include/novelta.
std::vector<std::string> Violations(const std::vector<SourceFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    const std::string from = FolderOf(f.path);
    if (from.empty()) continue;
    for (const auto& inc : f.includes) {
      const std::string target = inc.rfind("novelta/", 0) == 0 ? "include/" + inc : inc;
      const std::string to = FolderOf(target);
      if (to.empty() || to == from) continue;
      if (LayerOf(to) >= LayerOf(from)) out.push_back(f.path + " -> " + inc);
    }
  }
  return out;
}

std::vector<std::string> QuotedIncludes(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#include \"", 0) != 0) continue;
    size_t end = line.find('"', 10);
    if (end != std::string::npos) out.push_back(line.substr(10, end - 10));
  }
  return out;
}

TEST(LayeringTest, NoIncludeGoesUpALayer) {
  const fs::path root = NOVELTA_SOURCE_DIR;
  std::vector<SourceFile> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name.rfind("build", 0) == 0 || name[0] == '.' || name == "data" ||
                               name == "out" || name == "node_modules")) {
      it.disable_recursion_pending();
      continue;
    }
    const std::string ext = it->path().extension().string();
    if (!it->is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
    files.push_back({fs::relative(it->path(), root).string(), QuotedIncludes(it->path())});
  }
  ASSERT_GT(files.size(), 100u) << "the source tree was not found at " << root;
  std::ostringstream msg;
  for (const auto& v : Violations(files)) msg << "\n  " << v;
  EXPECT_TRUE(msg.str().empty()) << "includes into a higher layer or a sibling folder:" << msg.str();
}

TEST(LayeringTest, TheCheckFindsUpwardAndSidewaysIncludes) {
  std::vector<SourceFile> files = {
      {"index/paper_index.h", {"base/env.h", "novelta/date.h", "index/embedder.h"}},  // fine
      {"index/bad.h", {"pipeline/retrieve/retriever.h"}},                              // up
      {"base/bad.h", {"novelta/model.h", "corpora/corpus_reader.h"}},                 // down; up
      {"model/bad.cc", {"corpora/corpus_reader.h"}},                                   // sideways
      {"include/novelta/model.h", {"base/json.h"}},                                    // public -> internal
      {"pipeline/compare/comparer.cc", {"pipeline/retrieve/work_detail.h"}},           // an earlier stage
      {"pipeline/retrieve/bad.cc", {"pipeline/compare/comparer.h"}},                   // a later stage
  };
  EXPECT_EQ(Violations(files),
            std::vector<std::string>({"index/bad.h -> pipeline/retrieve/retriever.h",
                                      "base/bad.h -> corpora/corpus_reader.h",
                                      "model/bad.cc -> corpora/corpus_reader.h",
                                      "include/novelta/model.h -> base/json.h",
                                      "pipeline/retrieve/bad.cc -> pipeline/compare/comparer.h"}));
}

}  // namespace
