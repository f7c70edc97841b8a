// The reviewer's report page in a real browser: a report assessed on the
// fixture index is rendered to HTML, opened in headless Chromium, and the DOM
// Chromium builds must show every claim with its verdict. A screenshot of the
// page is kept under <build>/test-artifacts/ for people to look at.
//
// Skipped when Chromium is not installed (scripts/packages.txt lists it).
#include <gtest/gtest.h>

#include "novelta/assessor.h"
#include "pipeline/ingest/ingest.h"
#include "services/report_pages.h"
#include "tests/service_process.h"

namespace novelta {
namespace {

using namespace novelta::testing_support;

std::string FindChromium() {
  if (const char* env = std::getenv("NOVELTA_CHROMIUM")) return env;
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (::access(path, X_OK) == 0) return path;
  }
  return "";
}

// Flags that keep Chromium offline, quiet and self-contained, with a
// throw-away profile.
std::string ChromiumCommand(const std::string& chromium, const fs::path& profile) {
  return "timeout 90 " + chromium +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
         " --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars"
         " --user-data-dir=" + profile.string();
}

// Part of the submission restates a fixture paper; part is new.
const char* kSubmission =
    R"({"id": "browser-1", "title": "Scalable Graph Convolutions & <Quantum> Schedulers", "submitted": "2019-03-01",)"
    R"( "abstract": "We present a scalable approach for semi-supervised learning on graph-structured data based on )"
    R"(an efficient variant of convolutional neural networks which operate directly on graphs. We propose a quantum )"
    R"(annealing scheduler for protein folding that halves the energy of the folded state. We show that our )"
    R"(approach outperforms related methods on citation networks by a significant margin."})";

class ReportInBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = FindChromium();
    if (chromium_.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
    work_ = fs::temp_directory_path() / ("novelta_browser_" + std::to_string(::getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_ / "profile");
    artifacts_ = fs::path(NOVELTA_TEST_ARTIFACTS_DIR);
    fs::create_directories(artifacts_);
  }
  void TearDown() override {
    if (!work_.empty()) fs::remove_all(work_);
  }
  std::string chromium_;
  fs::path work_, artifacts_;
};

TEST_F(ReportInBrowserTest, RenderedDomShowsEveryClaimAndVerdictAndAScreenshotIsSaved) {
  std::string index = (work_ / "index").string();
  CommandResult built = RunCommand(std::string(NOVELTA_BINARY) + " index build --quiet --dimensions 24 --vocab-size 400" +
                                   " --corpus " + NOVELTA_SOURCE_DIR + "/corpora/fixtures/tiny-corpus.jsonl --out " +
                                   index);
  ASSERT_EQ(built.status, 0) << built.err;
  auto assessor = OpenAssessor(index);
  ASSERT_TRUE(assessor.ok()) << assessor.status().ToString();
  auto submission = ParseSubmissionJson(kSubmission, "browser submission");
  ASSERT_TRUE(submission.ok()) << submission.status().ToString();
  auto report = (*assessor)->Assess(*submission, AssessParams{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_GE(report->claims.size(), 2u) << "the page should show several claims";

  fs::path page = artifacts_ / "report.html";
  std::ofstream(page, std::ios::binary) << RenderReportHtml(*report);
  std::string base = ChromiumCommand(chromium_, work_ / "profile");

  CommandResult dom = RunCommand(base + " --dump-dom file://" + page.string());
  ASSERT_EQ(dom.status, 0) << dom.err.substr(0, 2000);
  ASSERT_NE(dom.out.find("<main>"), std::string::npos) << dom.out.substr(0, 500);
  // The hostile-looking title is text, not markup.
  EXPECT_NE(dom.out.find("Scalable Graph Convolutions &amp; &lt;Quantum&gt; Schedulers"), std::string::npos);
  EXPECT_EQ(dom.out.find("<quantum>"), std::string::npos);
  for (const auto& ac : report->claims) {
    SCOPED_TRACE(ac.claim.id);
    size_t start = dom.out.find("id=\"claim-" + ac.claim.id + "\"");
    ASSERT_NE(start, std::string::npos) << "claim missing from the rendered DOM";
    size_t end = dom.out.find("</article>", start);
    ASSERT_NE(end, std::string::npos);
    std::string article = dom.out.substr(start, end - start);
    EXPECT_NE(article.find(">" + ac.claim.id + "<"), std::string::npos);
    std::string badge = "class=\"badge v-" + std::string(VerdictName(ac.verdict.verdict)) + "\">";
    size_t b = article.find(badge);
    ASSERT_NE(b, std::string::npos) << "verdict badge missing: " << article.substr(0, 600);
    size_t label_end = article.find('<', b + badge.size());
    EXPECT_GT(label_end, b + badge.size()) << "the verdict badge has no text";
  }
  // Related work appears with years.
  for (const auto& p : report->related_work) {
    if (p.year > 0) {
      EXPECT_NE(dom.out.find(std::to_string(p.year)), std::string::npos) << p.id;
      break;
    }
  }

  fs::path png = artifacts_ / "report.png";
  fs::remove(png);
  CommandResult shot = RunCommand(base + " --window-size=1200,2200 --screenshot=" + png.string() + " file://" +
                                  page.string());
  ASSERT_EQ(shot.status, 0) << shot.err.substr(0, 2000);
  std::string bytes = ReadWholeFile(png);
  ASSERT_GT(bytes.size(), 10000u) << "screenshot missing or blank";
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // Width and height from the IHDR chunk.
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
  };
  EXPECT_EQ(be32(16), 1200u);
  EXPECT_EQ(be32(20), 2200u);
  std::printf("report page: %s\nscreenshot:  %s\n", page.c_str(), png.c_str());
}

}  // namespace
}  // namespace novelta
