#include "index/index_updater.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "index/paper_index.h"
#include "index/test_index_util.h"

namespace novelta {
namespace {

namespace fs = std::filesystem;

// A private copy of the fixture index (tests must not change the shared one).
std::string CopyOfFixtureIndex(const std::string& name) {
  auto dir = fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(testing::FixtureIndexDir(), dir, fs::copy_options::recursive);
  return dir.string();
}

std::string WriteFile(const std::string& name, const std::string& text) {
  auto path = fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::ofstream(path) << text;
  return path.string();
}

const char* kNewPapers =
    R"({"id": "new-1", "title": "Quantum Annealing Schedules for Protein Folding Lattices", "abstract": "We study quantum annealing schedules on lattice models of protein folding. Annealing schedules tuned to the lattice energy gap fold small proteins faster than simulated annealing.", "year": 2024, "venue": "arxiv"})"
    "\n"
    R"({"id": "fx-gnn-01", "title": "Graph Convolutional Networks for Semi-Supervised Node Classification", "abstract": "A known paper again."})"
    "\n"
    "{not json\n"
    R"({"id": "new-2", "title": "Coral Reef Acoustics Reveal Fish Spawning Aggregations", "abstract": "Passive acoustic recordings of coral reefs reveal the timing of fish spawning aggregations. A classifier of grunt calls counts spawning fish from reef sound alone.", "year": 2023})"
    "\n";

TEST(IndexUpdaterTest, AppendsNewPapersAndKeepsTheIndexConsistent) {
  const std::string dir = CopyOfFixtureIndex("novelta_update_test");
  const std::string corpus = WriteFile("novelta_update_corpus.jsonl", kNewPapers);
  std::string old_tokenizer;
  ASSERT_TRUE(Env::Default()->ReadFile(dir + "/tokenizer.model", &old_tokenizer).ok());

  IndexUpdateOptions opts;
  opts.progress = false;
  auto result = AddToIndex(dir, corpus, opts);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->papers_before, 30u);
  EXPECT_EQ(result->papers_added, 2u);
  EXPECT_EQ(result->skipped_known_ids, 1u);
  EXPECT_EQ(result->skipped_bad_records, 1u);

  // The updated index opens with its checksums verified, and holds the new papers.
  auto idx = PaperIndex::Open(dir);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  ASSERT_EQ((*idx)->size(), 32u);
  EXPECT_EQ((*idx)->manifest()["n_papers"], 32);
  ASSERT_EQ((*idx)->manifest()["updates"].size(), 1u);
  EXPECT_EQ((*idx)->manifest()["updates"][0]["papers_added"], 2);
  EXPECT_EQ((*idx)->id(30), "new-1");
  EXPECT_EQ((*idx)->id(31), "new-2");
  EXPECT_EQ((*idx)->id(0), "fx-gnn-01");
  auto paper = (*idx)->Paper(31);
  ASSERT_TRUE(paper.ok());
  EXPECT_EQ(paper->date.year, 2023);
  EXPECT_FALSE(paper->sentences.empty());
  // New papers' passages come with their pieces, as a build stores them.
  EXPECT_EQ(paper->sentence_pieces.size(), paper->sentences.size());

  // The tokenizer is reused, not retrained.
  std::string new_tokenizer;
  ASSERT_TRUE(Env::Default()->ReadFile(dir + "/tokenizer.model", &new_tokenizer).ok());
  EXPECT_EQ(new_tokenizer, old_tokenizer);

  // A query about a new paper finds it first.
  std::vector<float> q((*idx)->dimensions());
  (*idx)->Dense("coral reef acoustic recordings of fish spawning", q.data());
  auto hits = (*idx)->Search(q.data(), 1, 3);
  ASSERT_FALSE(hits[0].empty());
  EXPECT_EQ(hits[0][0].row, 31);

  // The resolver knows the new titles.
  EXPECT_EQ((*idx)->resolver().ResolveTitle("Quantum annealing schedules for protein folding lattices").row, 30);

  // No staging directory is left behind.
  for (auto& e : fs::directory_iterator(fs::path(dir).parent_path()))
    EXPECT_EQ(e.path().filename().string().find(fs::path(dir).filename().string() + ".staging"),
              std::string::npos);

  // Adding the same file again adds nothing and leaves the index as it is.
  std::string manifest_before;
  ASSERT_TRUE(Env::Default()->ReadFile(dir + "/manifest.json", &manifest_before).ok());
  auto again = AddToIndex(dir, corpus, opts);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->papers_added, 0u);
  EXPECT_EQ(again->skipped_known_ids, 3u);
  std::string manifest_after;
  ASSERT_TRUE(Env::Default()->ReadFile(dir + "/manifest.json", &manifest_after).ok());
  EXPECT_EQ(manifest_after, manifest_before);
  fs::remove_all(dir);
  fs::remove(corpus);
}

TEST(IndexUpdaterTest, ClearErrorsForAMissingIndexOrCorpus) {
  IndexUpdateOptions opts;
  opts.progress = false;
  const std::string corpus = WriteFile("novelta_update_corpus2.jsonl", kNewPapers);
  auto no_index = AddToIndex("/nonexistent/novelta-index", corpus, opts);
  EXPECT_TRUE(no_index.status().IsNotFound());
  EXPECT_NE(no_index.status().message().find("/nonexistent/novelta-index"), std::string::npos);

  const std::string dir = CopyOfFixtureIndex("novelta_update_test2");
  auto no_corpus = AddToIndex(dir, "/nonexistent/corpus.jsonl", opts);
  EXPECT_FALSE(no_corpus.ok());
  EXPECT_NE(no_corpus.status().message().find("/nonexistent/corpus.jsonl"), std::string::npos);
  // The index is untouched.
  auto idx = PaperIndex::Open(dir);
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ((*idx)->size(), 30u);
  fs::remove_all(dir);
  fs::remove(corpus);
}

TEST(IndexUpdaterTest, RefusesADamagedIndex) {
  const std::string dir = CopyOfFixtureIndex("novelta_update_test3");
  { std::ofstream(dir + "/embedder.bin", std::ios::app) << "garbage"; }
  const std::string corpus = WriteFile("novelta_update_corpus3.jsonl", kNewPapers);
  IndexUpdateOptions opts;
  opts.progress = false;
  auto result = AddToIndex(dir, corpus, opts);
  EXPECT_TRUE(result.status().IsCorruption()) << result.status().ToString();
  fs::remove_all(dir);
  fs::remove(corpus);
}

}  // namespace
}  // namespace novelta
