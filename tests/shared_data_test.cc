// Integration: the pipeline on the real shared data — an index of a
// systematic sample of the prior-work corpus, and real NeurIPS 2025 dev
// submissions assessed against it. Skipped when ../shared/data is absent.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "base/line_reader.h"
#include "index/index_builder.h"
#include "novelta/assessor.h"
#include "pipeline/compare/comparer.h"
#include "base/text.h"
#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

namespace fs = std::filesystem;
const std::string kData = NOVELTA_SHARED_DATA_DIR;

class SharedDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kData + "/corpus/prior-work.jsonl.gz")) return;
    dir_ = new fs::path(fs::temp_directory_path() / ("novelta_shared_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    // Every 8th paper of the corpus: ~12k papers, all venues and years.
    auto reader = LineReader::Open(kData + "/corpus/prior-work.jsonl.gz");
    ASSERT_TRUE(reader.ok());
    std::ofstream sample(*dir_ / "sample.jsonl");
    std::string line;
    while ((*reader)->Next(&line))
      if ((*reader)->line_number() % 8 == 0) sample << line << "\n";
    sample.close();
    IndexBuildOptions o;
    o.tokenizer.vocab_size = 8000;
    o.tokenizer_sample_papers = 6000;
    o.embedder.dimensions = 128;
    o.progress = false;
    auto m = BuildIndex((*dir_ / "sample.jsonl").string(), (*dir_ / "index").string(), o);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    auto a = OpenAssessor((*dir_ / "index").string());
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    assessor_ = a->release();
  }
  static void TearDownTestSuite() {
    delete assessor_;
    if (dir_) fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    if (assessor_ == nullptr) GTEST_SKIP() << "shared data not present";
  }
  static Assessor* assessor_;
  static fs::path* dir_;
};
Assessor* SharedDataTest::assessor_ = nullptr;
fs::path* SharedDataTest::dir_ = nullptr;

TEST_F(SharedDataTest, DevSubmissionsGetValidEvidenceBackedReports) {
  std::vector<IngestRecord> records;
  Status s = ReadSubmissions(kData + "/eval/neurips2025-dev.jsonl.gz", InputFormat::kJsonLines, {},
                             [&](IngestRecord&& r) {
                               if (records.size() < 12 && r.status.ok() &&
                                   !r.submission.fulltext.empty())
                                 records.push_back(std::move(r));
                             });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(records.size(), 12u);
  size_t with_cited = 0, with_evidence = 0;
  for (const auto& rec : records) {
    const Submission& sub = rec.submission;
    auto report = assessor_->Assess(sub, {});
    ASSERT_TRUE(report.ok()) << rec.where << ": " << report.status().ToString();
    EXPECT_EQ(report->cutoff.ToString(), "2025-05-15");
    EXPECT_GE(report->related_work.size(), 20u) << sub.id;
    EXPECT_FALSE(report->claims.empty()) << sub.id;
    bool cited = false;
    for (const auto& w : report->related_work) {
      EXPECT_LT(w.year, 2025) << sub.id << " " << w.id;  // 2025 papers are not prior
      EXPECT_LT(TitleSimilarity(w.title, sub.title), 0.8) << sub.id << " retrieved itself";
      cited |= w.cited;
    }
    with_cited += cited;
    for (const auto& ac : report->claims) {
      const std::string& field = ac.claim.span.field == "abstract"       ? sub.abstract
                                 : ac.claim.span.field == "introduction" ? sub.introduction
                                                                         : sub.fulltext;
      EXPECT_EQ(field.substr(ac.claim.span.start, ac.claim.span.end - ac.claim.span.start),
                ac.claim.text);
      with_evidence += !ac.verdict.evidence.empty();
      for (const auto& e : ac.verdict.evidence) {
        const PriorWork* w = nullptr;
        for (const auto& r : report->related_work)
          if (r.id == e.prior_id) w = &r;
        ASSERT_NE(w, nullptr);
        EXPECT_TRUE(EvidenceIsVerbatim(e, w->abstract));
      }
    }
    for (const auto& rs : report->reasoning_sentences)
      EXPECT_FALSE(rs.claim_ids.empty() && rs.prior_ids.empty()) << rs.text;
  }
  EXPECT_GT(with_evidence, 0u);
  // With an eighth of the corpus, some of the papers' own references are still found and marked.
  EXPECT_GE(with_cited, 3u);
}

}  // namespace
}  // namespace novelta
