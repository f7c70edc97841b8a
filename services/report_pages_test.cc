#include "services/report_pages.h"

#include <gtest/gtest.h>

#include <string>

namespace novelta {
namespace {

constexpr const char* kHostileTitle = "<script>alert(1)</script> \"><img src=x onerror=alert(2)>";

NoveltyReport MakeReport() {
  NoveltyReport r;
  r.submission.id = "sub-1";
  r.submission.title = "Sparse Mixture Routing for *Fast* [Inference]";
  r.submission.submitted = Date{2025, 5, 15};
  r.cutoff = Date{2025, 5, 15};
  r.conclusion = Conclusion::kIncremental;
  r.novelty_score = 0.42;
  r.reasoning = "Claim c1 is anticipated by P1.";
  r.reasoning_sentences = {{"Claim c1 is anticipated by P1.", {"c1"}, {"P1"}}};
  r.timing_ms = {{"total", 123.0}};
  r.index_id = "idx-abc";

  AssessedClaim c1;
  c1.claim.id = "c1";
  c1.claim.text = "We propose sparse expert routing that halves inference latency.";
  c1.claim.type = ClaimType::kMethod;
  c1.verdict.verdict = Verdict::kAnticipated;
  c1.verdict.confidence = 0.8;
  c1.verdict.max_similarity = 0.71;
  Evidence e;
  e.prior_id = "P1";
  e.title = "Routing Experts Sparsely";
  e.year = 2021;
  e.venue = "ICML";
  e.quote = "Sparse routing of experts reduces inference latency by half.";
  e.similarity = 0.71;
  e.shared_terms = {"sparse", "latency"};
  c1.verdict.evidence.push_back(e);

  AssessedClaim c2;
  c2.claim.id = "c2";
  c2.claim.text = "We release a new benchmark of routing tasks.";
  c2.claim.type = ClaimType::kDataset;
  c2.verdict.verdict = Verdict::kNovel;

  r.claims = {c1, c2};

  PriorWork p1;
  p1.id = "P1";
  p1.title = "Routing Experts Sparsely";
  p1.year = 2021;
  p1.venue = "ICML";
  p1.score = 0.9;
  p1.cited = false;
  p1.matched_by = {"paper", "c1"};
  PriorWork p2;
  p2.id = "P2";
  p2.title = "Mixture of Experts Revisited";
  p2.year = 2019;
  p2.venue = "NeurIPS";
  p2.score = 0.7;
  p2.cited = true;
  r.related_work = {p1, p2};
  r.warnings = {"1 claim dropped past the claim limit"};
  return r;
}

NoveltyReport MakeHostileReport() {
  NoveltyReport r = MakeReport();
  r.submission.title = kHostileTitle;
  r.submission.id = "\"><script>x()</script>";
  r.claims[0].claim.text = "We propose <b onmouseover=alert(3)>sparse</b> routing & more.";
  r.claims[0].verdict.evidence[0].quote = "Sparse routing </blockquote><script>evil()</script>";
  r.claims[0].verdict.evidence[0].title = "<iframe src=javascript:alert(4)>";
  r.related_work[0].title = "<svg onload=alert(5)>";
  r.related_work[0].venue = "\"onmouseover=\"x";
  r.reasoning_sentences[0].text = "<style>body{display:none}</style>";
  r.warnings = {"<a href=javascript:alert(6)>click</a>"};
  return r;
}

TEST(HtmlEscapeTest, EscapesAllActiveCharacters) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(HtmlEscape("plain text"), "plain text");
}

TEST(MarkdownEscapeTest, EscapesInlineSyntaxAndLineStarts) {
  EXPECT_EQ(MarkdownEscapeInline("*bold* _it_ [l](u) `c`"), "\\*bold\\* \\_it\\_ \\[l\\](u) \\`c\\`");
  EXPECT_EQ(MarkdownEscapeInline("<b>&x"), "\\<b\\>\\&x");
  EXPECT_EQ(MarkdownEscapeInline("# heading"), "\\# heading");
  EXPECT_EQ(MarkdownEscapeInline("- item"), "\\- item");
  EXPECT_EQ(MarkdownEscapeInline("12. item"), "12\\. item");
  EXPECT_EQ(MarkdownEscapeInline("a |b| c"), "a \\|b\\| c");
  EXPECT_EQ(MarkdownEscapeInline("two\nlines"), "two lines");
  EXPECT_EQ(MarkdownEscapeInline("state-of-the-art 3.5"), "state-of-the-art 3.5");
}

TEST(ReportHtmlTest, ShowsVerdictsEvidenceAndRelatedWork) {
  std::string html = RenderReportHtml(MakeReport());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  // Title is escaped but present.
  EXPECT_NE(html.find("Sparse Mixture Routing for *Fast* [Inference]"), std::string::npos);
  // Verdict badges for both claims and the conclusion.
  EXPECT_NE(html.find("badge v-anticipated\">Anticipated"), std::string::npos);
  EXPECT_NE(html.find("badge v-novel\">Novel"), std::string::npos);
  EXPECT_NE(html.find("badge c-incremental\">Incremental"), std::string::npos);
  EXPECT_NE(html.find("0.42"), std::string::npos);
  // Shared terms are highlighted in both the claim and the quote.
  EXPECT_NE(html.find("<mark>sparse</mark> expert"), std::string::npos);
  // Adjacent shared words are one mark.
  EXPECT_NE(html.find("<mark>Sparse routing</mark>"), std::string::npos);
  EXPECT_EQ(html.find("<mark>Sparse</mark> <mark>routing</mark>"), std::string::npos);
  EXPECT_NE(html.find("latency</mark> by half"), std::string::npos);
  // Stopwords are not highlighted even when both texts contain them.
  EXPECT_EQ(html.find("<mark>by</mark>"), std::string::npos);
  // Related work: year, venue and the cited / not cited marks.
  EXPECT_NE(html.find("<td>2021</td><td>ICML</td>"), std::string::npos);
  EXPECT_NE(html.find("badge uncited\">not cited"), std::string::npos);
  EXPECT_NE(html.find("badge cited\">cited"), std::string::npos);
  EXPECT_NE(html.find("1 / 2"), std::string::npos);  // uncited count
  EXPECT_NE(html.find("Claim c1 is anticipated by P1."), std::string::npos);
  EXPECT_NE(html.find("1 claim dropped"), std::string::npos);
  // Self-contained and printable: inline CSS with a print section, no scripts or links out.
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST(ReportHtmlTest, EscapesHostileSubmissionAndCorpusText) {
  std::string html = RenderReportHtml(MakeHostileReport());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<b "), std::string::npos);
  EXPECT_EQ(html.find("<a "), std::string::npos);
  EXPECT_EQ(html.find("\"onmouseover"), std::string::npos);
  EXPECT_EQ(html.find("</blockquote><script"), std::string::npos);
  // Only our own <style> element exists.
  size_t first_style = html.find("<style>");
  ASSERT_NE(first_style, std::string::npos);
  EXPECT_EQ(html.find("<style>", first_style + 1), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;iframe"), std::string::npos);
  // Highlighting still works on escaped text.
  EXPECT_NE(html.find("<mark>sparse</mark>&lt;/b&gt;"), std::string::npos);
}

TEST(ReportHtmlTest, EmptyReportRendersPlaceholders) {
  NoveltyReport r;
  std::string html = RenderReportHtml(r);
  EXPECT_NE(html.find("(untitled)"), std::string::npos);
  EXPECT_NE(html.find("No claims were found"), std::string::npos);
  EXPECT_NE(html.find("No related prior work"), std::string::npos);
}

TEST(ReportMarkdownTest, SameContentWithBlockquotes) {
  std::string md = RenderReportMarkdown(MakeReport());
  EXPECT_EQ(md.rfind("# Novelty report: Sparse Mixture Routing for \\*Fast\\* \\[Inference\\]\n", 0), 0u);
  EXPECT_NE(md.find("**Conclusion: Incremental**"), std::string::npos);
  EXPECT_NE(md.find("Novelty score: 0.42"), std::string::npos);
  EXPECT_NE(md.find("### c1: Anticipated"), std::string::npos);
  EXPECT_NE(md.find("### c2: Novel"), std::string::npos);
  EXPECT_NE(md.find("> **Sparse** **routing** of experts"), std::string::npos);
  EXPECT_NE(md.find("— Routing Experts Sparsely (2021, ICML), P1, similarity 0.71"), std::string::npos);
  EXPECT_NE(md.find("| 1 | Routing Experts Sparsely | 2021 | ICML | 0.900 | **not cited** |"),
            std::string::npos);
  EXPECT_NE(md.find("| 2 | Mixture of Experts Revisited | 2019 | NeurIPS | 0.700 | cited |"),
            std::string::npos);
  EXPECT_NE(md.find("Claim c1 is anticipated by P1."), std::string::npos);
  EXPECT_NE(md.find("- 1 claim dropped"), std::string::npos);
}

TEST(ReportMarkdownTest, EscapesHostileText) {
  std::string md = RenderReportMarkdown(MakeHostileReport());
  // Every '<' and '&' is backslash-escaped, so no raw HTML or entity survives.
  for (size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '<' || md[i] == '&') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(md[i - 1], '\\') << "unescaped " << md[i] << " at " << md.substr(i, 20);
    }
  }
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\>"), std::string::npos);
  // A quote cannot close the blockquote or start a new block: it stays on one "> " line.
  size_t q = md.find("> **Sparse** **routing**");
  ASSERT_NE(q, std::string::npos);
  EXPECT_LT(md.find("\\<script\\>evil()", q), md.find('\n', q));
}

}  // namespace
}  // namespace novelta
