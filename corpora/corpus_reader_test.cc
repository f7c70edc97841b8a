#include "corpora/corpus_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace novelta {
namespace {

const std::string kFixture = std::string(NOVELTA_SOURCE_DIR) + "/corpora/fixtures/tiny-corpus.jsonl";

TEST(CorpusReaderTest, ReadsFixtureAndSkipsBadRecordsWithReasons) {
  std::vector<CorpusRecord> records;
  CorpusReadStats stats;
  ASSERT_TRUE(ReadCorpus(kFixture, [&](CorpusRecord&& r) { records.push_back(std::move(r)); }, &stats).ok());
  EXPECT_EQ(records.size(), 30u);
  EXPECT_EQ(stats.records, 30u);
  EXPECT_EQ(stats.skipped, 3u);
  ASSERT_EQ(stats.first_errors.size(), 3u);
  EXPECT_NE(stats.first_errors[0].find("tiny-corpus.jsonl:31: invalid JSON"), std::string::npos)
      << stats.first_errors[0];
  EXPECT_NE(stats.first_errors[1].find("missing field 'id'"), std::string::npos);
  EXPECT_NE(stats.first_errors[2].find("'year'"), std::string::npos);
  EXPECT_EQ(records[0].id, "fx-gnn-01");
  EXPECT_EQ(records[0].date.year, 2017);
  EXPECT_EQ(records[0].venue, "iclr");
  EXPECT_FALSE(records.back().date.known());  // the fixture paper without a year
}

TEST(CorpusReaderTest, DateFieldWinsOverYearAndEmptyFileIsAnError) {
  auto r = ParseCorpusRecord({{"id", "a"}, {"title", "T"}, {"year", 2020}, {"date", "2020-03-02"}}, "x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->date.ToString(), "2020-03-02");
  EXPECT_FALSE(ParseCorpusRecord({{"id", "a"}, {"title", "  "}}, "x").ok());
  auto path = std::filesystem::temp_directory_path() / "novelta_empty_corpus.jsonl";
  { std::ofstream f(path); }
  CorpusReadStats stats;
  Status s = ReadCorpus(path.string(), [](CorpusRecord&&) {}, &stats);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("corpus is empty"), std::string::npos);
  EXPECT_TRUE(ReadCorpus("/nonexistent/corpus.jsonl", [](CorpusRecord&&) {}, &stats).IsNotFound());
}

}  // namespace
}  // namespace novelta
