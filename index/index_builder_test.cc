#include "index/index_builder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "index/paper_index.h"
#include "index/test_index_util.h"

namespace novelta {
namespace {

using testing::FixtureCorpusPath;
using testing::FixtureIndexDir;

TEST(IndexBuilderTest, WritesACompleteIndexWithManifest) {
  auto idx = PaperIndex::Open(FixtureIndexDir());
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_EQ((*idx)->size(), 30u);
  const Json& m = (*idx)->manifest();
  EXPECT_EQ(m["n_papers"], 30);
  EXPECT_EQ(m["corpus"]["skipped"], 3);
  EXPECT_EQ(m["dimensions"], (*idx)->dimensions());
  for (const char* part : {"tokenizer", "embedder", "vectors", "papers"})
    EXPECT_EQ(m[part]["sha256"].get<std::string>().size(), 64u) << part;
  EXPECT_EQ((*idx)->index_id().size(), 64u);
  // No staging directory is left behind.
  auto parent = std::filesystem::path(FixtureIndexDir()).parent_path();
  for (auto& e : std::filesystem::directory_iterator(parent))
    EXPECT_EQ(e.path().filename().string().find(
                  std::filesystem::path(FixtureIndexDir()).filename().string() + ".staging"),
              std::string::npos);
}

TEST(IndexBuilderTest, StoresAbstractSentencesAsPassages) {
  auto idx = PaperIndex::Open(FixtureIndexDir());
  ASSERT_TRUE(idx.ok());
  auto paper = (*idx)->Paper(0);
  ASSERT_TRUE(paper.ok());
  EXPECT_EQ(paper->id, "fx-gnn-01");
  ASSERT_GE(paper->sentences.size(), 4u);
  const auto& s = paper->sentences[0];
  EXPECT_EQ(paper->abstract.substr(s.start, s.end - s.start),
            "We present a scalable approach for semi-supervised learning on graph-structured data.");
}

TEST(IndexBuilderTest, StoresEachPassagesPiecesAsTokenizingItGives) {
  auto idx = PaperIndex::Open(FixtureIndexDir());
  ASSERT_TRUE(idx.ok());
  size_t checked = 0;
  for (size_t row = 0; row < (*idx)->size(); ++row) {
    auto paper = (*idx)->Paper(static_cast<int64_t>(row));
    ASSERT_TRUE(paper.ok());
    ASSERT_EQ(paper->sentence_pieces.size(), paper->sentences.size()) << paper->id;
    for (size_t k = 0; k < paper->sentences.size(); ++k) {
      const auto& s = paper->sentences[k];
      EXPECT_EQ(paper->sentence_pieces[k],
                (*idx)->tokenizer().EncodeForMatching(
                    std::string_view(paper->abstract).substr(s.start, s.end - s.start)))
          << paper->id << " sentence " << k;
      EXPECT_FALSE(paper->sentence_pieces[k].empty());
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
}

TEST(IndexBuilderTest, SearchFindsAPaperFromItsOwnWords) {
  auto idx = PaperIndex::Open(FixtureIndexDir());
  ASSERT_TRUE(idx.ok());
  std::vector<float> q((*idx)->dimensions());
  (*idx)->Dense("denoising diffusion probabilistic models image synthesis score matching", q.data());
  auto hits = (*idx)->Search(q.data(), 1, 3);
  ASSERT_FALSE(hits[0].empty());
  EXPECT_EQ((*idx)->id(hits[0][0].row), "fx-dif-01");
}

TEST(IndexBuilderTest, DamagedOrMissingIndexGivesClearErrors) {
  auto dir = std::filesystem::temp_directory_path() / ("novelta_damaged_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(FixtureIndexDir(), dir);
  {
    std::fstream f(dir / "vectors.faiss", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x7f');
  }
  auto damaged = PaperIndex::Open(dir.string());
  ASSERT_FALSE(damaged.ok());
  EXPECT_TRUE(damaged.status().IsCorruption());
  EXPECT_NE(damaged.status().message().find("checksum mismatch"), std::string::npos);

  std::filesystem::remove(dir / "manifest.json");
  auto no_manifest = PaperIndex::Open(dir.string());
  EXPECT_TRUE(no_manifest.status().IsNotFound());
  EXPECT_NE(no_manifest.status().message().find("no manifest.json"), std::string::npos);
  EXPECT_TRUE(PaperIndex::Open("/nonexistent/index").status().IsNotFound());
  std::filesystem::remove_all(dir);
}

TEST(IndexBuilderTest, RebuildReplacesTheOldIndexAndBadCorpusLeavesItIntact) {
  auto dir = std::filesystem::temp_directory_path() / ("novelta_rebuild_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto opts = testing::SmallIndexOptions();
  ASSERT_TRUE(BuildIndex(FixtureCorpusPath(), dir.string(), opts).ok());
  auto bad = dir.string() + ".corpus.jsonl";
  { std::ofstream(bad) << "not json\n"; }
  auto failed = BuildIndex(bad, dir.string(), opts);
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(PaperIndex::Open(dir.string()).ok());  // the previous index is untouched
  ASSERT_TRUE(BuildIndex(FixtureCorpusPath(), dir.string(), opts).ok());
  EXPECT_TRUE(PaperIndex::Open(dir.string()).ok());
  std::filesystem::remove_all(dir);
  std::filesystem::remove(bad);
}

TEST(IndexBuilderTest, ConcurrentBuildIsRefusedAndDebrisOfKilledBuildsIsRemoved) {
  auto dir = std::filesystem::temp_directory_path() / ("novelta_locked_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string target = (dir / "index").string();
  auto opts = testing::SmallIndexOptions();
  {
    // Another writer holds the target: the build stops before doing any work.
    std::unique_ptr<FileLock> held;
    ASSERT_TRUE(Env::Default()->LockFile(target + ".lock", &held).ok());
    auto refused = BuildIndex(FixtureCorpusPath(), target, opts);
    EXPECT_EQ(refused.status().code(), Status::Code::kFailedPrecondition) << refused.status().ToString();
    EXPECT_NE(refused.status().message().find("another build or update"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(target));
  }
  // A build killed mid-way left a staging directory; the next build removes it.
  std::filesystem::create_directories(target + ".staging-42");
  { std::ofstream(target + ".staging-42/vectors.faiss") << "half"; }
  ASSERT_TRUE(BuildIndex(FixtureCorpusPath(), target, opts).ok());
  EXPECT_FALSE(std::filesystem::exists(target + ".staging-42"));
  int staging_dirs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    staging_dirs += e.path().filename().string().find(".staging-") != std::string::npos;
  EXPECT_EQ(staging_dirs, 0);
  EXPECT_TRUE(PaperIndex::Open(target).ok());
  std::filesystem::remove_all(dir);
}

TEST(IndexBuilderTest, ReusedIdsAreKeptUnderDerivedIdsAndTrueDuplicatesDropped) {
  auto dir = std::filesystem::temp_directory_path() / ("novelta_dups_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string corpus = (dir / "c.jsonl").string();
  {
    std::ifstream in(FixtureCorpusPath());
    std::ofstream out(corpus);
    out << in.rdbuf();
    out << R"({"id": "fx-gnn-01", "title": "Graph Convolutional Networks for Semi-Supervised Node Classification", "abstract": "copy", "year": 2017})" << "\n";
    out << R"({"id": "fx-gnn-01", "title": "A Different Paper Reusing the Same Identifier", "abstract": "We study reuse.", "year": 2018})" << "\n";
  }
  auto m = BuildIndex(corpus, (dir / "index").string(), testing::SmallIndexOptions());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)["n_papers"], 31);
  EXPECT_EQ((*m)["corpus"]["duplicates_dropped"], 1);
  EXPECT_EQ((*m)["corpus"]["ids_derived_for_reused_ids"], 1);
  auto idx = PaperIndex::Open((dir / "index").string());
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ((*idx)->id(30).rfind("fx-gnn-01~", 0), 0u) << (*idx)->id(30);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace novelta
