// The PDF reader on papers rendered with LaTeX in three conference layouts
// (bench/pdf/render_papers.py; testdata/pdf holds one small paper in each,
// its Markdown source and what the PDF shows: title, abstract, headings,
// references). bench/pdf.sh measures the same on 60 real papers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "base/json.h"
#include "base/text.h"
#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(NOVELTA_SOURCE_DIR) + "/pipeline/ingest/testdata/pdf/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lower case without white space: "R EFERENCES" and "References" agree.
std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : ToLowerAscii(s))
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

double TokenF1(std::string_view a, std::string_view b) {
  std::vector<std::string> x = WordTokens(a), y = WordTokens(b);
  if (x.empty() || y.empty()) return x.empty() && y.empty() ? 1 : 0;
  std::map<std::string, int> count;
  for (const auto& t : x) ++count[t];
  double common = 0;
  for (const auto& t : y)
    if (count[t]-- > 0) ++common;
  return common == 0 ? 0 : 2 * common / static_cast<double>(x.size() + y.size());
}

class RenderedPdfTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderedPdfTest, ReadsWhatThePageShows) {
  const std::string layout = GetParam();
  const std::string pdf = ReadTestFile("sample_" + layout + ".pdf");
  ASSERT_FALSE(pdf.empty());
  auto truth = ParseJson(ReadTestFile("sample_" + layout + ".truth.json"), "truth");
  ASSERT_TRUE(truth.ok()) << truth.status().ToString();
  auto s = ParsePdfSubmission(pdf, "sample.pdf");
  ASSERT_TRUE(s.ok()) << s.status().ToString();

  EXPECT_EQ(Squeeze(s->title), Squeeze((*truth)["title"].get<std::string>()));
  EXPECT_GE(TokenF1((*truth)["abstract"].get<std::string>(), s->abstract), 0.98) << s->abstract;
  std::vector<std::string> headings;
  for (const Section& sec : s->sections) headings.push_back(Squeeze(sec.heading));
  for (const auto& h : (*truth)["headings"]) {
    const std::string want = Squeeze(h["text"].get<std::string>());
    EXPECT_NE(std::find(headings.begin(), headings.end(), want), headings.end()) << want;
  }
  const auto& refs = (*truth)["references"];
  ASSERT_EQ(s->references.size(), refs.size());
  for (size_t i = 0; i < refs.size(); ++i)
    EXPECT_GE(TokenF1(refs[i].get<std::string>(), s->references[i]), 0.95) << s->references[i];

  // None of the page furniture reaches the text: running header, line
  // numbers, venue footer, the date line, the arXiv stamp, the authors.
  for (const char* furniture : {"Under review as a conference paper", "Submitted to 39th Conference",
                                "arXiv:", "Anonymous", "Do not distribute"}) {
    EXPECT_THAT(s->fulltext, Not(HasSubstr(furniture))) << furniture;
  }
  for (const auto& author : (*truth)["authors"]) {
    const std::string line = author.get<std::string>();
    if (line.size() > 12) EXPECT_THAT(s->fulltext, Not(HasSubstr(line))) << line;
  }
  EXPECT_THAT(s->fulltext, Not(HasSubstr(" 012 ")));
  // End-of-line hyphens: joined where TeX broke a word, kept in compounds.
  EXPECT_THAT(s->fulltext, Not(HasSubstr("\x01")));
  EXPECT_THAT(s->fulltext, Not(HasSubstr("\x02")));
  EXPECT_THAT(s->abstract, HasSubstr("parameter-efficient"));
}

TEST_P(RenderedPdfTest, GivesTheSameSubmissionAsItsMarkdown) {
  const std::string layout = GetParam();
  auto pdf = ParsePdfSubmission(ReadTestFile("sample_" + layout + ".pdf"), "sample.pdf");
  auto md = ParseMarkdownSubmission(ReadTestFile("sample_" + layout + ".md"), "sample.md");
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_EQ(pdf->format, "pdf");
  EXPECT_GE(TokenF1(md->introduction, pdf->introduction), 0.97);
  ASSERT_EQ(pdf->references.size(), md->references.size());
  for (size_t i = 0; i < md->references.size(); ++i)
    EXPECT_GE(TokenF1(md->references[i], pdf->references[i]), 0.95) << pdf->references[i];
  ASSERT_EQ(pdf->sections.size(), md->sections.size());
  for (size_t i = 0; i < md->sections.size(); ++i) {
    EXPECT_EQ(Squeeze(pdf->sections[i].heading), Squeeze(md->sections[i].heading));
    EXPECT_EQ(pdf->sections[i].kind, md->sections[i].kind) << md->sections[i].heading;
    EXPECT_EQ(pdf->sections[i].level, md->sections[i].level) << md->sections[i].heading;
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, RenderedPdfTest, ::testing::Values("iclr", "neurips", "twocol"));

}  // namespace
}  // namespace novelta
