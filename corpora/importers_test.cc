// Tests of the arXiv, OpenAlex and Semantic Scholar importers on the small
// fixtures in corpora/fixtures/import/, written in each source's format.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "corpora/arxiv_importer.h"
#include "corpora/corpus_reader.h"
#include "corpora/openalex_importer.h"
#include "corpora/semantic_scholar_importer.h"

namespace novelta {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(NOVELTA_SOURCE_DIR) + "/corpora/fixtures/import/" + name;
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("novelta_import_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

// Reads an imported corpus back with the corpus reader: it must accept every record.
std::vector<CorpusRecord> ReadBack(const std::string& path) {
  std::vector<CorpusRecord> out;
  CorpusReadStats stats;
  Status s = ReadCorpus(path, [&](CorpusRecord&& r) { out.push_back(std::move(r)); }, &stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stats.skipped, 0u) << (stats.first_errors.empty() ? "" : stats.first_errors[0]);
  return out;
}

ImportOptions Quiet() {
  ImportOptions o;
  o.progress = false;
  return o;
}

TEST(ArxivImporterTest, ConvertsSnapshotRecordsAndCountsBadOnes) {
  const std::string out = TempPath("arxiv.jsonl");
  ImportStats stats;
  ASSERT_TRUE(ImportArxiv({Fixture("arxiv-snapshot.jsonl")}, out, Quiet(), &stats).ok());
  EXPECT_EQ(stats.lines, 7u);
  EXPECT_EQ(stats.written, 4u);
  EXPECT_EQ(stats.skipped, 3u);  // blank title, no id, broken JSON
  EXPECT_EQ(stats.without_abstract, 1u);
  EXPECT_EQ(stats.first_errors.size(), 3u);
  EXPECT_NE(stats.first_errors[0].find("arxiv-snapshot.jsonl:4"), std::string::npos) << stats.first_errors[0];

  auto papers = ReadBack(out);
  ASSERT_EQ(papers.size(), 4u);
  EXPECT_EQ(papers[0].id, "arxiv:0704.0001");
  EXPECT_EQ(papers[0].title,
            "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
  EXPECT_EQ(papers[0].date.ToString(), "2007-04-02");  // the first version, not the last update
  EXPECT_EQ(papers[0].abstract.substr(0, 27), "A fully differential calcul");
  EXPECT_EQ(papers[0].venue, "arxiv");
  EXPECT_EQ(papers[1].title, "Attention Is All You Need");
  EXPECT_EQ(papers[1].date.ToString(), "2017-06-12");
  EXPECT_EQ(papers[2].id, "arxiv:cs/9901001");
  EXPECT_EQ(papers[2].date.ToString(), "1999-01");  // from the old-style id
  EXPECT_EQ(papers[3].date.ToString(), "2021-02");  // unparseable version date: the id's month
  std::filesystem::remove(out);
}

TEST(ArxivImporterTest, CategoryPrefixesFilter) {
  const std::string out = TempPath("arxiv-cs.jsonl.gz");
  ImportOptions options = Quiet();
  options.categories = {"cs."};
  ImportStats stats;
  ASSERT_TRUE(ImportArxiv({Fixture("arxiv-snapshot.jsonl")}, out, options, &stats).ok());
  EXPECT_EQ(stats.written, 3u);
  EXPECT_EQ(stats.filtered, 1u);  // hep-ph
  auto papers = ReadBack(out);    // gzip output reads back
  ASSERT_EQ(papers.size(), 3u);
  for (const auto& p : papers) EXPECT_NE(p.id, "arxiv:0704.0001");
  std::filesystem::remove(out);
}

TEST(ArxivImporterTest, Rfc2822Dates) {
  auto d = ParseRfc2822Date("Mon, 2 Apr 2007 19:18:42 GMT");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ToString(), "2007-04-02");
  EXPECT_TRUE(ParseRfc2822Date("12 Jun 2017").ok());
  EXPECT_TRUE(ParseRfc2822Date("yesterday").status().IsInvalidArgument());
  EXPECT_TRUE(ParseRfc2822Date("Mon, 2 Foo 2007").status().IsInvalidArgument());
}

TEST(OpenAlexImporterTest, RebuildsAbstractsFromTheInvertedIndex) {
  const std::string out = TempPath("openalex.jsonl");
  ImportStats stats;
  ASSERT_TRUE(ImportOpenAlex({Fixture("openalex-works.jsonl")}, out, Quiet(), &stats).ok());
  EXPECT_EQ(stats.lines, 7u);
  EXPECT_EQ(stats.written, 3u);
  EXPECT_EQ(stats.skipped, 3u);   // hostile position, non-numeric position, not an object
  EXPECT_EQ(stats.filtered, 1u);  // retracted
  auto papers = ReadBack(out);
  ASSERT_EQ(papers.size(), 3u);
  EXPECT_EQ(papers[0].id, "openalex:W2741809807");
  EXPECT_EQ(papers[0].abstract,
            "Despite growing interest in Open Access (OA) in scholarly publishing, little is known.");
  EXPECT_EQ(papers[0].date.ToString(), "2018-02-13");
  EXPECT_EQ(papers[0].venue, "PeerJ");
  EXPECT_EQ(papers[1].title, "Deep Residual Learning for Image Recognition");  // display_name
  EXPECT_EQ(papers[1].date.year, 2016);
  EXPECT_TRUE(papers[1].abstract.empty());
  std::filesystem::remove(out);
}

TEST(OpenAlexImporterTest, InvertedIndexEdgeCases) {
  EXPECT_EQ(*AbstractFromInvertedIndex(Json(nullptr), "w"), "");
  // Gaps (dropped tokens) are skipped, repeated words placed at every position.
  auto text = AbstractFromInvertedIndex(Json::parse(R"({"b": [2], "a": [0, 4], "c": [3]})"), "w");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "a b c a");
  auto hostile = AbstractFromInvertedIndex(Json::parse(R"({"x": [-1]})"), "works.jsonl:9");
  EXPECT_TRUE(hostile.status().IsInvalidArgument());
  EXPECT_NE(hostile.status().message().find("works.jsonl:9"), std::string::npos);
}

TEST(OpenAlexImporterTest, FieldFilter) {
  const std::string out = TempPath("openalex-cs.jsonl");
  ImportOptions options = Quiet();
  options.categories = {"computer science"};
  ImportStats stats;
  ASSERT_TRUE(ImportOpenAlex({Fixture("openalex-works.jsonl")}, out, options, &stats).ok());
  EXPECT_EQ(stats.written, 2u);
  EXPECT_EQ(stats.filtered, 2u);  // environmental science, retracted
  std::filesystem::remove(out);
}

TEST(SemanticScholarImporterTest, JoinsPapersWithAbstracts) {
  const std::string out = TempPath("s2.jsonl");
  ImportStats stats;
  ASSERT_TRUE(ImportSemanticScholar({Fixture("s2-papers.jsonl")}, {Fixture("s2-abstracts.jsonl.gz")},
                                    out, Quiet(), &stats)
                  .ok());
  EXPECT_EQ(stats.lines, 11u);
  EXPECT_EQ(stats.written, 4u);
  EXPECT_EQ(stats.skipped, 4u);  // no corpus id, bad date, non-numeric id, non-string abstract
  EXPECT_EQ(stats.without_abstract, 2u);
  auto papers = ReadBack(out);
  ASSERT_EQ(papers.size(), 4u);
  EXPECT_EQ(papers[0].id, "s2:215416146");
  EXPECT_EQ(papers[0].title, "Longformer: The Long-Document Transformer");
  EXPECT_EQ(papers[0].date.ToString(), "2020-04-10");
  EXPECT_EQ(papers[0].venue, "arXiv.org");
  EXPECT_EQ(papers[0].abstract.substr(0, 30), "Transformer-based models are u");
  EXPECT_EQ(papers[1].id, "s2:777");
  EXPECT_FALSE(papers[1].abstract.empty());
  // Then the papers without an abstract, by corpus id.
  EXPECT_EQ(papers[2].id, "s2:888");
  EXPECT_EQ(papers[3].id, "s2:52967399");
  EXPECT_EQ(papers[3].date.year, 2019);
  EXPECT_TRUE(papers[3].abstract.empty());
  std::filesystem::remove(out);
}

TEST(SemanticScholarImporterTest, FieldsOfStudyFilterAndRequiredAbstract) {
  const std::string out = TempPath("s2-cs.jsonl");
  ImportOptions options = Quiet();
  options.categories = {"Computer Science"};
  options.require_abstract = true;
  ImportStats stats;
  ASSERT_TRUE(ImportSemanticScholar({Fixture("s2-papers.jsonl")}, {Fixture("s2-abstracts.jsonl")},
                                    out, options, &stats)
                  .ok());
  EXPECT_EQ(stats.written, 1u);   // only Longformer is CS and has an abstract
  EXPECT_EQ(stats.filtered, 3u);  // biology; two CS papers without abstracts
  std::filesystem::remove(out);
}

TEST(ImporterTest, MissingInputIsAClearErrorAndLeavesNoOutput) {
  const std::string out = TempPath("none.jsonl");
  ImportStats stats;
  Status s = ImportArxiv({"/nonexistent/arxiv.json"}, out, Quiet(), &stats);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/arxiv.json"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out));
  Status bad_out = ImportOpenAlex({Fixture("openalex-works.jsonl")}, "/nonexistent/dir/out.jsonl",
                                  Quiet(), &stats);
  EXPECT_FALSE(bad_out.ok());
  EXPECT_NE(bad_out.message().find("/nonexistent/dir/out.jsonl"), std::string::npos);
}

// An Env whose writable files fail like a full disk: at creation, at the
// Nth append, or when closed.
class FullDiskEnv : public Env {
 public:
  bool fail_create = false;
  int good_appends = 1 << 30;
  bool fail_close = false;
  std::vector<std::string> created;

  Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* result) override {
    if (fail_create) return Status::ResourceExhausted(path + ": injected: no space left");
    NOVELTA_RETURN_IF_ERROR(Env::NewWritableFile(path, result));
    created.push_back(path);
    *result = std::make_unique<FailingFile>(std::move(*result), path, this);
    return Status::OK();
  }

 private:
  class FailingFile : public WritableFile {
   public:
    FailingFile(std::unique_ptr<WritableFile> base, std::string path, FullDiskEnv* env)
        : base_(std::move(base)), path_(std::move(path)), env_(env) {}
    Status Append(std::string_view data) override {
      if (env_->good_appends-- <= 0) return Status::ResourceExhausted(path_ + ": injected: no space left");
      return base_->Append(data);
    }
    Status Flush() override { return base_->Flush(); }
    Status Sync() override { return base_->Sync(); }
    Status Close() override {
      Status s = base_->Close();
      if (env_->fail_close) return Status::ResourceExhausted(path_ + ": injected: no space left");
      return s;
    }

   private:
    std::unique_ptr<WritableFile> base_;
    std::string path_;
    FullDiskEnv* env_;
  };
};

TEST(ImporterTest, OutputFaultsInjectedThroughEnvAreStatusesAndLeaveNoFiles) {
  for (const std::string name : {"faulty.jsonl", "faulty.jsonl.gz"}) {
    const std::string out = TempPath(name);
    for (int fault = 0; fault < 3; ++fault) {
      FullDiskEnv env;
      env.fail_create = fault == 0;
      // Plain: the second record's append fails; gzip: the first append of compressed bytes.
      if (fault == 1) env.good_appends = EndsWith(name, ".gz") ? 0 : 1;
      env.fail_close = fault == 2;
      ImportStats stats;
      Status s = ImportArxiv({Fixture("arxiv-snapshot.jsonl")}, out, Quiet(), &stats, &env);
      EXPECT_EQ(s.code(), Status::Code::kResourceExhausted) << name << " fault " << fault << ": " << s.ToString();
      EXPECT_NE(s.message().find(out), std::string::npos) << s.ToString();
      EXPECT_NE(s.message().find("injected"), std::string::npos) << s.ToString();
      EXPECT_FALSE(std::filesystem::exists(out)) << name << " fault " << fault;
      for (const auto& tmp : env.created) EXPECT_FALSE(std::filesystem::exists(tmp)) << tmp;
      EXPECT_EQ(env.created.size(), fault == 0 ? 0u : 1u);
    }
    // Without faults the same Env writes the whole corpus.
    FullDiskEnv env;
    ImportStats stats;
    ASSERT_TRUE(ImportArxiv({Fixture("arxiv-snapshot.jsonl")}, out, Quiet(), &stats, &env).ok());
    EXPECT_EQ(ReadBack(out).size(), 4u);
    std::filesystem::remove(out);
  }
}

}  // namespace
}  // namespace novelta
