#include "evaluation/withheld.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "base/line_reader.h"
#include "evaluation/evaluation.h"
#include "index/test_index_util.h"
#include "pipeline/assessor_impl.h"
#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

const std::string kDataset = std::string(NOVELTA_SOURCE_DIR) + "/evaluation/testdata/dev.jsonl";

// Reports assessed elsewhere from the withheld submissions get exactly the
// trust block `novelta eval` computes for the same pipeline.
TEST(WithheldTest, ReportsMadeFromWithheldSubmissionsScoreAsEvalDoes) {
  auto opened = PaperIndex::Open(testing::FixtureIndexDir());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::shared_ptr<const PaperIndex> index(std::move(opened).value());

  const std::string dir = ::testing::TempDir();
  const std::string withheld = dir + "/novelta_withheld.jsonl", reports = dir + "/novelta_reports.jsonl";
  auto written = WriteWithheldSubmissions(kDataset, withheld);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, 3u);  // the record without an abstract is not a submission

  AssessorOptions ao;
  ao.search_threads = 1;
  auto made = NewAssessor(index, ao);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto assessor = std::move(*made);
  AssessParams params;
  params.top_k = 5;
  auto reader = LineReader::Open(withheld);
  ASSERT_TRUE(reader.ok());
  std::ofstream out(reports);
  std::string line;
  while ((*reader)->Next(&line)) {
    auto j = ParseJson(line, "withheld");
    ASSERT_TRUE(j.ok());
    EXPECT_FALSE(j->contains("references"));
    auto sub = ParseSubmissionJsonValue(*j, "withheld");
    ASSERT_TRUE(sub.ok()) << sub.status().ToString();
    EXPECT_TRUE(sub->references.empty()) << sub->id;  // none left in the full text either
    auto report = assessor->Assess(*sub, params);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    out << ToJson(*report).dump() << "\n";
  }
  out.close();

  auto trust = TrustOfReports(kDataset, *index, reports);
  ASSERT_TRUE(trust.ok()) << trust.status().ToString();
  EvalOptions eo;
  eo.progress = false;
  eo.top_k = 5;
  auto eval = RunEvaluation(kDataset, index, eo);
  ASSERT_TRUE(eval.ok()) << eval.status().ToString();
  EXPECT_EQ(*trust, eval->metrics["trust"]);
  EXPECT_GT((*trust)["claims"].get<int>(), 0);

  // A line that is not a report is an error naming it.
  {
    std::ofstream bad(reports);
    bad << "{\"claims\": 3}\n";
  }
  auto refused = TrustOfReports(kDataset, *index, reports);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("novelta_reports.jsonl:1"), std::string::npos)
      << refused.status().ToString();
  std::remove(withheld.c_str());
  std::remove(reports.c_str());
}

}  // namespace
}  // namespace novelta
